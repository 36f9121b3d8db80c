"""Reading an import file (CSV, XLSX or JSON) into records, before any validation of the content.

The format is decided by content, not by name: XLSX is a ZIP file, JSON starts with `[` or `{`,
everything else is read as CSV (UTF-8 or Windows-1252, `,` `;` or tab, detected by `lib.tabular`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from panreflex.lib import tabular


class FileError(ValueError):
    """The file as a whole cannot be read (encoding, format, size)."""


@dataclass
class Records:
    format: str  # csv | xlsx | json
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, {header: value})
    encoding: str = ""
    delimiter: str = ""
    header_rows: dict[str, int] = field(default_factory=dict)  # header -> row where it first occurs


def detect_format(data: bytes, filename: str = "") -> str:
    if data[:2] == b"PK":
        return "xlsx"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{") or filename.lower().endswith(".json"):
        return "json"
    return "csv"


def read_records(data: bytes, filename: str = "") -> Records:
    kind = detect_format(data, filename)
    if kind == "json":
        return _read_json(data)
    skipped = 0
    if kind == "csv":
        data, skipped = _drop_excel_sep_line(data)
    try:
        table = tabular.read_table(data, filename=filename)
    except tabular.TabularError as exc:
        raise FileError(str(exc)) from exc
    table.first_data_row += skipped
    rows = []
    for number, values in table.dicts():
        rows.append((number, {h: tabular.unsafe_cell(v or "") for h, v in values.items()}))
    headers = [tabular.unsafe_cell(h) for h in table.headers]
    return Records(
        format="xlsx" if table.encoding == "xlsx" else "csv",
        headers=headers,
        rows=rows,
        encoding="" if table.encoding == "xlsx" else table.encoding,
        delimiter=table.delimiter,
        header_rows={h: 1 + skipped for h in headers},
    )


def _drop_excel_sep_line(data: bytes) -> tuple[bytes, int]:
    """Excel may write a first line `sep=;`; the separator is detected anyway, so drop it."""
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom):]
    if body[:4].lower() == b"sep=":
        newline = body.find(b"\n")
        if newline != -1:
            return bom + body[newline + 1:], 1
    return data, 0


def _read_json(data: bytes) -> Records:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            _("The JSON file is not UTF-8 text (byte %(pos)s cannot be read).") % {"pos": exc.start}
        ) from exc
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(
            _("The JSON file cannot be read: %(error)s (line %(line)s, column %(column)s).")
            % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
        ) from exc
    entries = payload.get("practices") if isinstance(payload, dict) else payload
    if not isinstance(entries, list):
        raise FileError(_("The JSON file must hold a list of practice examples (or an object with the key “practices”)."))
    headers: list[str] = []
    header_rows: dict[str, int] = {}
    rows = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise FileError(_("Entry %(row)s of the JSON file is not an object.") % {"row": number})
        for key in entry:
            if key not in header_rows:
                header_rows[key] = number
                headers.append(key)
        rows.append((number, entry))
    return Records(format="json", headers=headers, rows=rows, encoding="utf-8", header_rows=header_rows)
