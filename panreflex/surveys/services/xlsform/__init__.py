"""XLSForm interchange (the spreadsheet standard of ODK and KoboToolbox): `reading` imports a workbook
(pyxform reads it), `writing` exports one, `xform` compares the XForms pyxform makes of two workbooks."""

from ...xform import normalised, same_xform, xform_of
from .reading import (
    ImportResult,
    XLSFormError,
    format_report,
    import_xlsform,
    is_handled_column,
    language_code,
)
from .writing import export_attachments, export_xlsform, languages, version_signature

__all__ = [
    "ImportResult", "XLSFormError", "export_attachments", "export_xlsform", "format_report", "import_xlsform",
    "is_handled_column", "language_code", "languages", "normalised", "same_xform", "version_signature", "xform_of",
]
