"""Checking uploaded files by content, not by name (a renamed executable is not a PDF)."""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_DOCUMENTS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def check_upload(uploaded, *, allowed: dict[str, str] | None = None, max_bytes: int | None = None) -> CheckedFile:
    """Validate an UploadedFile by size and by its magic bytes. Raises ValidationError in the user's language."""
    allowed = allowed or ALLOWED_DOCUMENTS
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    size = uploaded.size
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; at most %(limit)s are allowed.")
            % {"name": uploaded.name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": uploaded.name})
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in allowed:
        names = ", ".join(sorted(set(allowed.values())))
        raise ValidationError(
            _("The file “%(name)s” is not an allowed type by its content (%(found)s). Allowed: %(names)s.")
            % {"name": uploaded.name, "found": mime or _("unknown"), "names": names}
        )
    return CheckedFile(content_type=mime, extension=allowed[mime], size=size)
