"""Raw-data exports of a survey: CSV, XLSX (repeats on their own sheets) and SPSS .sav.

One row per response. Single choice, Likert and yes/no: one column (code or label); multiple choice:
one column per option (1/0 with codes, the option label or empty with labels); ranking: one column per
option with its rank; “other, namely” texts in `<name>_other`. Repeated sections go to their own
sheet (`response_id`, `entry`, questions). Cells are protected against spreadsheet formula injection.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.lib.tabular import safe_cell, write_csv

from .formdef import FormDef
from .models import Answer, Item, Response
from .selectors import STATES


@dataclass
class Column:
    key: str
    label: str
    item: Item | None = None
    option: str = ""  # choice code for one-column-per-option
    part: str = "value"  # value | other | option


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)


META = ["response_id", "status", "started_at", "submitted_at", "size_class", "state", "municipality_ags", "demo"]


def _columns(fd: FormDef, items: list[Item]) -> list[Column]:
    cols: list[Column] = []
    for item in items:
        if not item.is_question:
            continue
        if item.kind in (Item.Kind.MULTIPLE, Item.Kind.RANKING):
            for choice in fd.choices_for(item):
                cols.append(Column(f"{item.name}/{choice.name}", f"{item.label}: {choice.label}", item, choice.name, "option"))
            if item.allow_other:
                cols.append(Column(f"{item.name}/other", f"{item.label}: {_('Other')}", item, "other", "option"))
        else:
            cols.append(Column(item.name, item.label, item))
        if item.allow_other:
            cols.append(Column(f"{item.name}_other", f"{item.label}: {_('Other, namely')}", item, "", "other"))
    return cols


def _cell(fd: FormDef, col: Column, answer: tuple | None, labels: bool) -> Any:
    if answer is None:
        return ""
    code, codes, number, date, text, file = answer
    item = col.item
    if col.part == "other":
        return text if (code == "other" or " other " in (codes or "")) else ""
    if col.part == "option":
        chosen = codes.split()
        if item.kind == Item.Kind.RANKING:
            return chosen.index(col.option) + 1 if col.option in chosen else ""
        if labels:
            return (fd.choice_label(item, col.option) if col.option != "other" else _("Other")) if col.option in chosen else ""
        return 1 if col.option in chosen else 0
    kind = item.kind
    if kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO):
        if labels:
            return _("Other") if code == "other" and item.allow_other else fd.choice_label(item, code)
        return code
    if kind == Item.Kind.MUNICIPALITY:
        return text if labels else code
    if kind in Item.NUMBER_KINDS:
        if number is None:
            return ""
        return int(number) if kind == Item.Kind.INTEGER or number == number.to_integral_value() else float(number)
    if kind == Item.Kind.DATE:
        return date.isoformat() if date else ""
    if kind == Item.Kind.FILE:
        return text if file else ""
    return text


def build_sheets(fd: FormDef, base: QuerySet[Response], *, labels: bool = False) -> list[Sheet]:
    """The export as sheets: "responses" plus one per repeated section."""
    repeats = [i for i in fd.items if i.kind == Item.Kind.REPEAT]
    in_repeat = {i.pk: fd.repeat_of(i) for i in fd.items}
    main_items = [i for i in fd.items if in_repeat[i.pk] is None]
    main = Sheet(_("responses"), [Column(k, k) for k in META] + _columns(fd, main_items))
    repeat_sheets = {
        r.pk: Sheet(r.name, [Column("response_id", "response_id"), Column("entry", "entry")]
                    + _columns(fd, [i for i in fd.items if in_repeat[i.pk] == r]))
        for r in repeats
    }
    responses = list(base.order_by("pk").values_list(
        "pk", "status", "started_at", "submitted_at", "size_class", "state_code", "place__ags", "is_demo"))
    answers: dict[int, dict[tuple[int, int], tuple]] = {}
    qs = Answer.objects.filter(response__in=base).order_by().values_list(
        "response_id", "item_id", "instance", "code", "codes", "number", "date", "text", "file")
    for rid, iid, inst, *rest in qs.iterator(chunk_size=5000):
        answers.setdefault(rid, {})[(iid, inst)] = tuple(rest)
    tz = timezone.get_current_timezone()
    for pk, status, started, submitted, size_class, state, ags, demo in responses:
        mine = answers.get(pk, {})
        row = [pk, status, started.astimezone(tz).strftime("%Y-%m-%d %H:%M") if started else "",
               submitted.astimezone(tz).strftime("%Y-%m-%d %H:%M") if submitted else "", size_class,
               STATES.get(state, state) if labels else state, ags or "", 1 if demo else 0]
        for col in main.columns[len(META):]:
            row.append(_cell(fd, col, mine.get((col.item.pk, 0)), labels))
        main.rows.append(row)
        for sheet in repeat_sheets.values():
            item_ids = {c.item.pk for c in sheet.columns[2:]}
            instances = sorted({inst for (iid, inst) in mine if iid in item_ids})
            for inst in instances:
                sheet.rows.append([pk, inst + 1] + [_cell(fd, c, mine.get((c.item.pk, inst)), labels) for c in sheet.columns[2:]])
    return [main, *repeat_sheets.values()]


def to_csv(sheet: Sheet) -> bytes:
    return write_csv([c.key for c in sheet.columns], sheet.rows)


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """Write-only openpyxl (fast for 10,000 rows); a second header row carries the question wording."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=re.sub(r"[\[\]\*\?/\\:]", "_", sheet.title)[:31] or "Sheet")
        ws.freeze_panes = "A3"
        header = []
        for c in sheet.columns:
            cell = WriteOnlyCell(ws, value=safe_cell(c.key))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        ws.append([safe_cell(c.label) for c in sheet.columns])
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _spss_name(key: str, used: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not re.match(r"[A-Za-z]", name):
        name = "v" + name
    name = name[:60]
    base, n = name, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:56]}_{n}"
    used.add(name.lower())
    return name


def to_sav(fd: FormDef, base: QuerySet[Response]) -> bytes:
    """SPSS .sav of the main sheet (codes): choices become numbered values with value labels."""
    import polars as pl
    import pyreadstat

    sheet = build_sheets(fd, base, labels=False)[0]
    used: set[str] = set()
    data: dict[str, list] = {}
    column_labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    measure: dict[str, str] = {}
    for index, col in enumerate(sheet.columns):
        name = _spss_name(col.key, used)
        values = [row[index] for row in sheet.rows]
        column_labels[name] = col.label[:250]
        item = col.item
        if item is not None and col.part == "value" and item.kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO):
            codes = [c.name for c in fd.choices_for(item)] + (["other"] if item.allow_other else [])
            numbering = {code: float(i + 1) for i, code in enumerate(codes)}
            data[name] = [numbering.get(v) if v != "" else None for v in values]
            value_labels[name] = {numbering[c]: (fd.choice_label(item, c) if c != "other" else _("Other"))[:120] for c in codes}
            measure[name] = "ordinal" if item.kind == Item.Kind.LIKERT else "nominal"
        elif (item is not None and (item.kind in Item.NUMBER_KINDS or col.part == "option")) or col.key in ("response_id", "demo"):
            data[name] = [float(v) if v not in ("", None) else None for v in values]
            measure[name] = "scale" if item is not None and item.kind in Item.NUMBER_KINDS else "nominal"
        else:
            data[name] = ["" if v is None else str(v) for v in values]
            measure[name] = "nominal"
    df = pl.DataFrame(data, strict=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.sav"
        pyreadstat.write_sav(df, str(path), column_labels=column_labels, variable_value_labels=value_labels,
                             variable_measure=measure, file_label=str(fd.version.survey.title)[:60])
        return path.read_bytes()
