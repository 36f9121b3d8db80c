"""Raw-data exports of a survey: CSV, XLSX (repeats on their own sheets) and SPSS .sav.

One row per response. Single choice, Likert and yes/no: one column (code or label); multiple choice:
one column per option (1/0 with codes, the option label or empty with labels); ranking: one column per
option with its rank; “other, namely” texts in `<name>_other`. Repeated sections go to their own
sheet (`response_id`, `entry`, questions; loops: the entry is the loop choice's code) — or, in the
wide form, further columns of the one sheet. Calculations are columns like questions; forms with an
`instance_name` get that name per response. Cells are protected against spreadsheet formula injection.
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
    instance: int = 0  # the entry of a repeat or loop (wide form)


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)


META = ["response_id", "status", "started_at", "submitted_at", "size_class", "state", "municipality_ags", "demo"]


def _columns(fd: FormDef, items: list[Item]) -> list[Column]:
    cols: list[Column] = []
    for item in items:
        if not (item.is_stored or item.is_metadata):
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
    if kind in Item.NUMBER_KINDS or kind == Item.Kind.RANGE or (kind in Item.COMPUTED and number is not None):
        if number is None:
            return ""
        return int(number) if kind == Item.Kind.INTEGER or number == number.to_integral_value() else float(number)
    if kind == Item.Kind.ACKNOWLEDGE:
        return code
    if kind == Item.Kind.DATE:
        return date.isoformat() if date else ""
    if kind == Item.Kind.FILE:
        return text if file else ""
    return text


def _entry_key(fd: FormDef, container: Item, instance: int) -> str:
    """How an entry is named: its number in a repeat, the choice's code in a loop."""
    if container.kind == Item.Kind.LOOP:
        choices = fd.choices_for(container)
        return choices[instance].name if instance < len(choices) else str(instance + 1)
    return str(instance + 1)


def _instance_name(fd: FormDef, mine: dict[tuple[int, int], tuple]) -> str:
    from . import expressions
    from .services.answers import answer_value, values_for

    answers = {}
    for (iid, inst), (code, codes, number, date, text, _file) in mine.items():
        if iid in fd.by_id:
            answers[(iid, inst)] = Answer(item_id=iid, instance=inst, code=code, codes=codes, number=number, date=date,
                                          text=text)
    values = values_for(fd, answers)
    for (iid, inst), answer in answers.items():
        if inst == 0 and fd.by_id[iid].kind in Item.COMPUTED:
            values[fd.by_id[iid].name] = answer_value(fd.by_id[iid], answer)
    return expressions._as_text(expressions.value_of(fd.version.settings["sheet"]["instance_name"], values))


def build_sheets(fd: FormDef, base: QuerySet[Response], *, labels: bool = False, wide: bool = False) -> list[Sheet]:
    """The export as sheets: "responses" plus one per repeated section and loop (long form) — or, with
    `wide`, every entry of repeats and loops as further columns of the one sheet (`name_2`, `name_<code>`)."""
    repeats = [i for i in fd.items if i.kind in Item.REPEATING and fd.repeat_of(i) is None]
    in_repeat = {i.pk: fd.repeat_of(i) for i in fd.items}
    top = {i.pk: (next((a for a in reversed(fd.ancestors(i)) if a.kind in Item.REPEATING), None)) for i in fd.items}
    main_items = [i for i in fd.items if in_repeat[i.pk] is None]
    has_name = bool(((fd.version.settings or {}).get("sheet") or {}).get("instance_name"))
    meta = META + (["instance_name"] if has_name else [])
    main = Sheet(_("responses"), [Column(k, k) for k in meta] + _columns(fd, main_items))
    repeat_sheets = {
        r.pk: Sheet(r.name, [Column("response_id", "response_id"), Column("entry", "entry")]
                    + _columns(fd, [i for i in fd.items if top[i.pk] == r]))
        for r in repeats
    }
    responses = list(base.order_by("pk").values_list(
        "pk", "status", "started_at", "submitted_at", "size_class", "state_code", "place__ags", "is_demo"))
    answers: dict[int, dict[tuple[int, int], tuple]] = {}
    qs = Answer.objects.filter(response__in=base).order_by().values_list(
        "response_id", "item_id", "instance", "code", "codes", "number", "date", "text", "file")
    for rid, iid, inst, *rest in qs.iterator(chunk_size=5000):
        answers.setdefault(rid, {})[(iid, inst)] = tuple(rest)
    if wide:
        for r in repeats:
            cols = repeat_sheets[r.pk].columns[2:]
            ids = {c.item.pk for c in cols}
            if r.kind == Item.Kind.LOOP:
                instances = list(range(len(fd.choices_for(r))))
            else:
                instances = sorted({inst for mine in answers.values() for (iid, inst) in mine if iid in ids}) or [0]
            for inst in instances:
                key = _entry_key(fd, r, inst)
                for c in cols:
                    main.columns.append(Column(f"{c.key}_{key}", f"{c.label} ({key})", c.item, c.option, c.part, inst))
        repeat_sheets = {}
    tz = timezone.get_current_timezone()
    for pk, status, started, submitted, size_class, state, ags, demo in responses:
        mine = answers.get(pk, {})
        row = [pk, status, started.astimezone(tz).strftime("%Y-%m-%d %H:%M") if started else "",
               submitted.astimezone(tz).strftime("%Y-%m-%d %H:%M") if submitted else "", size_class,
               STATES.get(state, state) if labels else state, ags or "", 1 if demo else 0]
        if has_name:
            row.append(_instance_name(fd, mine))
        for col in main.columns[len(meta):]:
            row.append(_cell(fd, col, mine.get((col.item.pk, col.instance)), labels))
        main.rows.append(row)
        for rpk, sheet in repeat_sheets.items():
            item_ids = {c.item.pk for c in sheet.columns[2:]}
            instances = sorted({inst for (iid, inst) in mine if iid in item_ids})
            container = fd.by_id[rpk]
            for inst in instances:
                entry = _entry_key(fd, container, inst) if container.kind == Item.Kind.LOOP else inst + 1
                sheet.rows.append([pk, entry] + [_cell(fd, c, mine.get((c.item.pk, inst)), labels) for c in sheet.columns[2:]])
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
        elif (item is not None and (item.kind in Item.NUMBER_KINDS or item.kind == Item.Kind.RANGE or col.part == "option")) \
                or col.key in ("response_id", "demo"):
            data[name] = [float(v) if v not in ("", None) else None for v in values]
            measure[name] = "scale" if item is not None and (item.kind in Item.NUMBER_KINDS or item.kind == Item.Kind.RANGE) \
                else "nominal"
        else:
            data[name] = ["" if v is None else str(v) for v in values]
            measure[name] = "nominal"
    df = pl.DataFrame(data, strict=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.sav"
        pyreadstat.write_sav(df, str(path), column_labels=column_labels, variable_value_labels=value_labels,
                             variable_measure=measure, file_label=str(fd.version.survey.title)[:60])
        return path.read_bytes()
