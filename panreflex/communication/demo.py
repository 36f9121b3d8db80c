"""Demo content of the communication app (filled in below)."""

from __future__ import annotations


def load_demo_communication(*, stdout=None) -> None:
    return None
