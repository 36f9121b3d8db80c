"""Source documents of events: which files are accepted, checked by their content (magic bytes), not by
name: a renamed HTML page, SVG or program is refused. Shared by the upload form and the service."""

from __future__ import annotations

from panreflex.lib.uploads import CheckedFile, check_upload

SOURCE_DOCUMENTS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/rtf": ".rtf",
}
SOURCE_DOCUMENT_MAX = 10 * 1024 * 1024
MAX_DOCUMENTS = 10


def event_document_check(uploaded) -> CheckedFile:
    """The content check of a source document (type and size); raises ValidationError with the file named."""
    return check_upload(uploaded, allowed=SOURCE_DOCUMENTS, max_bytes=SOURCE_DOCUMENT_MAX)
