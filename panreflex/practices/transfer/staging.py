"""Keeping an uploaded import file between the dry run and the real import, so that the user need not
choose it again. The file lies outside the served media under a random name; the session holds the
only reference to it. Files older than a day are removed whenever a new one is staged."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "practices_import_staged"
MAX_AGE_SECONDS = 24 * 60 * 60


def staging_dir() -> Path:
    """Next to the media folder (the data directory), never inside what is served."""
    folder = Path(settings.MEDIA_ROOT).resolve().parent / "import-staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cleanup(folder: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # pragma: no cover - removed concurrently
            pass


def stage(session, *, data: bytes, filename: str) -> dict:
    unstage(session)
    folder = staging_dir()
    _cleanup(folder)
    token = secrets.token_hex(16)
    (folder / f"{token}.upload").write_bytes(data)
    info = {"token": token, "filename": Path(filename).name[:200], "size": len(data)}
    session[SESSION_KEY] = info
    return info


def staged(session) -> dict | None:
    info = session.get(SESSION_KEY)
    if not info or not (staging_dir() / f"{info['token']}.upload").exists():
        return None
    return info


def read(info: dict) -> bytes:
    return (staging_dir() / f"{info['token']}.upload").read_bytes()


def unstage(session) -> None:
    info = session.pop(SESSION_KEY, None)
    if info:
        (staging_dir() / f"{info['token']}.upload").unlink(missing_ok=True)
