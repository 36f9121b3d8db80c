"""The persona walk: every URL of the platform requested as every persona, compared with what the
access rules say (issue #2). Each app lists its cases in `panreflex/<app>/tests/walk.py`:

    from panreflex.testing.walk import WalkCase, expect

    def cases(p):  # p: Personas, with data the app created in `setup(p)` if it defines one
        practice = ...
        return [
            WalkCase("practices:detail", kwargs={"pk": practice.pk}, expect=expect(public=200)),
            WalkCase("practices:edit", kwargs={"pk": practice.pk},
                     expect=expect(anonymous=302, default=404, alice=200, dora=200)),
        ]

`expect()` builds {persona: status}. `anonymous` is eve; `signed_in` applies to every signed-in
persona; `default` to every persona not named; names override. The central test
(panreflex/core/tests/test_persona_walk.py) fails when a named URL of the project has no case, so a new
view cannot be added without saying who may see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ALL = ("eve", "vera", "bob", "alice", "carla", "charlie", "dora")


def expect(*, default: int | None = None, anonymous: int | None = None, signed_in: int | None = None,
           public: int | None = None, **by_name: int) -> dict[str, int]:
    """Expected status per persona. `public=200` means everyone gets 200."""
    result: dict[str, int] = {}
    for name in ALL:
        status = public if public is not None else default
        if name == "eve" and anonymous is not None:
            status = anonymous
        if name != "eve" and signed_in is not None:
            status = signed_in
        if name in by_name:
            status = by_name[name]
        if status is None:
            raise ValueError(f"no expected status for persona {name}")
        result[name] = status
    return result


@dataclass
class WalkCase:
    url_name: str
    kwargs: dict = field(default_factory=dict)
    expect: dict[str, int] = field(default_factory=dict)
    query: str = ""
    method: str = "get"  # only safe methods are walked; POST rules are tested in the apps
    htmx: bool = False


# --- ids of other organisations' objects (issue 13) ------------------------------------------------
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|csrf[-_]token["\']?\s*[:=]\s*)"[^"]*"', re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def normalised(body: bytes | str) -> str:
    """A response body with what differs between any two requests taken out (CSRF tokens) and every
    number blanked (the ids themselves), so that the answer to a forbidden id can be compared with the
    answer to an id that does not exist."""
    text = body.decode() if isinstance(body, bytes) else body
    return _DIGITS.sub("#", _CSRF.sub("", text))
