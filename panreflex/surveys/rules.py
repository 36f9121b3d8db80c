"""The access rules of surveys, registered with `accounts.policy` (called only through it): a survey is
OwnedContent (view and export by the visibility contract; change, delete by editors of the owner and
staff). Answering goes by the personal or open link's token, not by these rules."""

from __future__ import annotations

from panreflex.accounts import policy

from .models import Survey


def register() -> None:
    policy.register_owned(Survey, kind="survey")
