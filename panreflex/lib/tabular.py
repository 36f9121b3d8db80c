"""Reading and writing tables as Excel users have them.

- CSV in UTF-8 (with or without BOM) or Windows-1252, separator `,` `;` or tab, detected;
- XLSX through openpyxl (first sheet, or a named one);
- numbers with decimal comma or point (`parse_number`), and a clear message when they are mixed;
- export to CSV (UTF-8 with BOM, `;`-separated for German Excel, or `,`) and XLSX, with spreadsheet
  formula injection neutralised (cells starting with = + - @ tab CR get a leading apostrophe).

All readers return a `Table` of header names and rows (lists of strings), 1-based row numbers as the
user sees them in the spreadsheet, so import services can report errors by row and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


class TabularError(ValueError):
    """A problem with the file as a whole (encoding, format, empty)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    first_data_row: int = 2  # spreadsheet row number of rows[0]

    def dicts(self) -> Iterable[tuple[int, dict[str, str]]]:
        """(row number as in the spreadsheet, {header: value}) for every non-empty row."""
        for index, row in enumerate(self.rows):
            if not any((cell or "").strip() for cell in row):
                continue
            padded = list(row) + [""] * (len(self.headers) - len(row))
            yield self.first_data_row + index, dict(zip(self.headers, padded, strict=False))


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (BOM allowed), else Windows-1252. Returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise TabularError(
            _("The file is neither UTF-8 nor Windows-1252 text (byte %(pos)s cannot be read).") % {"pos": exc.start}
        ) from exc


def detect_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {d: first.count(d) for d in (";", ",", "\t")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096]:
        raise TabularError(_("The file is not a text (CSV) file."))
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise TabularError(_("The file is empty."))
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise TabularError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    headers = [h.strip() for h in rows[0]]
    return Table(headers=headers, rows=rows[1:], encoding=encoding, delimiter=delimiter)


def read_xlsx(data: bytes, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise TabularError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    if sheet is not None and sheet not in wb.sheetnames:
        raise TabularError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = [[_cell_text(c) for c in row] for row in ws.iter_rows(values_only=True)]
    wb.close()
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise TabularError(_("The sheet is empty."))
    return Table(headers=[h.strip() for h in rows[0]], rows=rows[1:], encoding="xlsx")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def read_table(data: bytes, filename: str = "", sheet: str | None = None) -> Table:
    """Read CSV or XLSX by content (XLSX is a ZIP file), whatever the file name says."""
    if data[:2] == b"PK":
        return read_xlsx(data, sheet=sheet)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise TabularError(_("The file is named .xlsx but is not an Excel workbook."))
    return read_csv(data)


_NUMBER_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")
_NUMBER_POINT = re.compile(r"^[+-]?\d{1,3}(,\d{3})*(\.\d+)?$|^[+-]?\d+(\.\d+)?$")


def parse_number(value: str, *, decimal: str | None = None) -> Decimal | None:
    """Parse "1.234,5" (German) or "1,234.5"/"1234.5". `decimal` forces ',' or '.'; None guesses per value.

    Returns None for an empty cell; raises ValueError with a translated message for text."""
    text = (value or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if decimal == ",":
        candidate = text.replace(".", "").replace(",", ".")
    elif decimal == ".":
        candidate = text.replace(",", "")
    elif "," in text and "." in text:
        candidate = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        candidate = text.replace(",", ".") if _NUMBER_COMMA.match(text) else text
    else:
        candidate = text
    try:
        number = Decimal(candidate)
    except InvalidOperation as exc:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    return number


def guess_decimal_mark(values: Sequence[str]) -> str | None:
    """',' or '.' when a column is consistent; raises ValueError when both appear as decimal marks."""
    comma = point = False
    for v in values:
        t = (v or "").strip()
        if re.fullmatch(r"[+-]?\d+,\d+", t):
            comma = True
        elif re.fullmatch(r"[+-]?\d+\.\d+", t) and not re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", t):
            point = True
    if comma and point:
        raise ValueError(_("Decimal commas and decimal points are mixed in this column."))
    return "," if comma else "." if point else None


# --- export ---------------------------------------------------------------------------------------
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text starting with = + - @ gets a leading apostrophe.
    Plain numbers ("-3", "+1.5") stay numbers."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        try:
            float(value.replace(",", "."))
            return value
        except ValueError:
            return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """Undo `safe_cell` on import, so that an export imports back to the same text."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in _DANGEROUS:
        return value[1:]
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """sheets: [(title, headers, rows), ...]. Header row bold and frozen, columns auto-sized roughly."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=re.sub(r"[\[\]\*\?/\\:]", "_", str(title))[:31] or "Sheet")
        ws.append([safe_cell(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) for h in headers]
        for row in rows:
            values = [safe_cell(v) for v in row]
            ws.append(values)
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = max(widths[i], min(60, len(str(v or ""))))
        ws.freeze_panes = "A2"
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[_col_letter(i)].width = max(8, w + 2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def split_multi(value: str) -> list[str]:
    """Split a multi-valued cell on ';', '|' or ',' (whichever appears first in priority order)."""
    text = (value or "").strip()
    if not text:
        return []
    for sep in (";", "|", ","):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text]
