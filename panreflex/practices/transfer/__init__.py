"""Import and export of practice examples (issue #3, "In and out").

- `columns`: the one column format shared by CSV, XLSX and JSON (English and German headers);
- `importer`: `practices_import(...)` – read, validate row by row, write all-or-nothing (or dry run);
- `exporter`: `practices_export(...)` – the same format for any search result;
- `demo`: see `panreflex.practices.demo` (the 36 documented examples are loaded through the importer).
"""

from .exporter import EXPORT_FORMATS, practices_export
from .importer import ImportReport, RowError, practices_import

__all__ = ["EXPORT_FORMATS", "ImportReport", "RowError", "practices_export", "practices_import"]
