"""Refusals: a request that the rules refuse, with a translated message for the person."""

from __future__ import annotations


class Refused(Exception):
    """A request that the rules refuse. `message` is shown to the user as it is (translated); `code`
    is for programs (`locked`, `vote_limit`, `stale`, `forbidden`, `not_found`, ...)."""

    def __init__(self, message: str, *, code: str = "refused", data: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.data = data or {}
