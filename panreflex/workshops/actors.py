"""Who is acting in a workshop: a signed-in user or a guest of one workshop. What an actor may do is
decided by `accounts.policy` (the workshop rules in `rules.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Guest


@dataclass
class Actor:
    """The person acting in a workshop: a signed-in user or a guest of one workshop."""

    user: object | None = None
    guest: Guest | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        if self.user is not None:
            return f"u{self.user.pk}"
        if self.guest is not None:
            return f"g{self.guest.pk}"
        return "anon"

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.display_name
        if self.guest is not None:
            return str(self.guest)
        return ""

    @property
    def audit_actor(self):
        return self.user

    def author_fields(self) -> dict:
        return {"author": self.user, "author_guest": self.guest}


def as_actor(subject) -> Actor:
    """A user (or None) as an Actor; an Actor as it is."""
    return subject if isinstance(subject, Actor) else Actor(user=subject)
