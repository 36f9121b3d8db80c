"""XLSForm export: survey/choices/settings sheets with openpyxl, every language and construct written back.

Columns PanReflex kept without using them (media, sms fields, guidance hints, …) and sheets it does not
read are written verbatim; PanReflex-only kinds travel in `bind::panreflex:*` columns (which pyxform
passes through), so an exported form imports unchanged and pyxform makes the same XForm of it.
"""

from __future__ import annotations

import io
from decimal import Decimal

from ...models import ChoiceList, Item, SurveyVersion

DEFAULT_LANGUAGES = [["de", "German (de)"], ["en", "English (en)"]]


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def languages(version: SurveyVersion) -> list[list[str]]:
    return version.languages or DEFAULT_LANGUAGES


def _col(base: str, header: str) -> str:
    return f"{base}::{header}" if header else base


def _type(item: Item, fd, list_name: str) -> tuple[str, str, str]:
    """(XLSForm type, appearance, bind::panreflex:kind) of an item."""
    kind = item.kind
    appearance = item.appearance
    cl = fd.lists.get(item.choice_list_id) if item.choice_list_id else None
    pr_kind = ""
    if kind == Item.Kind.GROUP:
        return "begin_group", appearance, ""
    if kind == Item.Kind.MATRIX:
        return "begin_group", "table-list", ""
    if kind == Item.Kind.REPEAT:
        return "begin_repeat", appearance, ""
    if kind == Item.Kind.LOOP:
        return f"begin loop over {list_name}", appearance, ""
    other = " or_other" if item.allow_other else ""
    if kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO):
        if cl is not None and cl.source_file:
            typ = f"select_one_from_file {cl.source_file}"
        else:
            typ = f"select_one {list_name}{other}"
        if kind == Item.Kind.LIKERT and not (item.parent_id and fd.by_id[item.parent_id].kind == Item.Kind.MATRIX):
            appearance = appearance or "likert"
        if kind == Item.Kind.YESNO:
            pr_kind = "yesno"
        return typ, appearance, pr_kind
    if kind == Item.Kind.MULTIPLE:
        if cl is not None and cl.source_file:
            return f"select_multiple_from_file {cl.source_file}", appearance, ""
        return f"select_multiple {list_name}{other}", appearance, ""
    if kind == Item.Kind.RANKING:
        return f"rank {list_name}", appearance, ""
    if kind == Item.Kind.LONGTEXT:
        has_rows = any(k.strip().lower() in ("rows", "body::rows", "control::rows")
                       for k in (item.extra or {}).get("columns", {}))
        return "text", appearance or ("" if has_rows else "multiline"), "longtext"
    if kind == Item.Kind.MUNICIPALITY:
        return "text", appearance, "municipality"
    if kind == Item.Kind.DATETIME:
        return "dateTime", appearance, ""
    if kind in (Item.Kind.OTHER, Item.Kind.ACKNOWLEDGE) and (item.extra or {}).get("type"):
        return item.extra["type"], appearance, ""
    if kind == Item.Kind.OTHER:
        return "text", appearance, ""
    return str(kind), appearance, ""


def _parameters(item: Item) -> str:
    parts = []
    if item.kind == Item.Kind.RANGE:
        if item.min_value is not None:
            parts.append(f"start={_num(item.min_value)}")
        if item.max_value is not None:
            parts.append(f"end={_num(item.max_value)}")
        if (item.extra or {}).get("step"):
            parts.append(f"step={item.extra['step']}")
    if (item.extra or {}).get("parameters"):
        parts.append(item.extra["parameters"])
    if item.randomize and item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.RANKING, Item.Kind.YESNO):
        parts.append("randomize=true")
    return " ".join(parts)


def export_xlsform(*, version: SurveyVersion) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ...formdef import FormDef

    fd = FormDef.load(version)
    survey = version.survey
    langs = languages(version)
    rows: list[dict[str, str]] = []
    used_lists: dict[int, ChoiceList] = {}

    def row_for(item: Item) -> dict[str, str]:
        list_name = fd.lists[item.choice_list_id].name if item.choice_list_id else ""
        if item.choice_list_id:
            used_lists[item.choice_list_id] = fd.lists[item.choice_list_id]
        typ, appearance, pr_kind = _type(item, fd, list_name)
        extra = item.extra or {}
        row = {"type": typ, "name": item.name}
        for base, texts in (("label", item.labels), ("hint", item.hints), ("constraint_message", item.constraint_messages)):
            for code, header in langs:
                if texts.get(code):
                    row[_col(base, header)] = texts[code]
        row.update({
            "required": "yes" if item.required else extra.get("required", ""), "relevant": item.relevant, "constraint": item.constraint,
            "appearance": appearance, "parameters": _parameters(item),
            "repeat_count": str(item.repeat_count) if item.repeat_count else extra.get("count", ""),
            "calculation": item.calculation, "choice_filter": item.choice_filter, "default": item.default,
            "read_only": "yes" if item.read_only else "", "trigger": item.trigger,
            "body::accept": extra.get("accept", "") if item.kind in (Item.Kind.FILE, Item.Kind.OTHER) else "",
            "bind::panreflex:kind": pr_kind, "bind::panreflex:unit": item.unit,
            "bind::panreflex:min": "" if item.kind == Item.Kind.RANGE else _num(item.min_value),
            "bind::panreflex:max": "" if item.kind == Item.Kind.RANGE else _num(item.max_value),
            "bind::panreflex:randomize": "true" if item.randomize and not _parameters(item).count("randomize") else "",
        })
        for key, value in extra.get("columns", {}).items():
            row.setdefault(key, value)
        return row

    def visit(parent: Item | None):
        for item in fd.kids(parent):
            rows.append(row_for(item))
            if item.is_container:
                visit(item)
                end = {Item.Kind.REPEAT: "end_repeat", Item.Kind.LOOP: "end loop"}.get(item.kind, "end_group")
                rows.append({"type": end})

    visit(None)
    headers = (version.settings or {}).get("headers") or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    _write(ws, rows, order=headers.get("survey"))

    choice_rows = []
    for cl in sorted({**fd.lists, **used_lists}.values(), key=lambda c: c.pk):
        if cl.source_file:
            continue
        for choice in fd.choices.get(cl.pk, []):
            row = {"list_name": cl.name, "name": choice.name}
            for code, header in langs:
                if choice.labels.get(code):
                    row[_col("label", header)] = choice.labels[code]
            row.update(choice.filters or {})
            choice_rows.append(row)
    _write(wb.create_sheet("choices"), choice_rows, header=["list_name", "name"], order=headers.get("choices"))

    settings = dict((version.settings or {}).get("sheet") or {})
    title_key = next((k for k in settings if k.strip().lower() in ("form_title", "title")), "form_title")
    settings[title_key] = survey.title
    if not any(k.strip().lower() in ("form_id", "id_string") for k in settings):
        settings["form_id"] = survey.form_id or f"panreflex_survey_{survey.pk}"
    if not version.settings:
        settings["version"] = str(version.number)
        codes = [c for c, _h in langs]
        settings["default_language"] = dict(langs).get("de" if "de" in codes else codes[0], "")
    _write(wb.create_sheet("settings"), [settings])
    for name, sheet in ((version.settings or {}).get("sheets") or {}).items():
        ws_extra = wb.create_sheet(name[:31])
        _write(ws_extra, sheet.get("rows") or [], header=sheet.get("header") or None)
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write(ws, rows: list[dict[str, str]], header: list[str] | None = None, order: list[str] | None = None) -> None:
    """A sheet of dict rows: the fixed `header` first, then every column with a value — in `order`
    (the sheet's columns as imported) where known, else as met."""
    columns: list[str] = list(header or [])
    for row in rows:
        for key, value in row.items():
            if value not in (None, "") and key not in columns:
                columns.append(key)
    if order:
        rank = {name: i for i, name in enumerate(order)}
        fixed = len(header or [])
        rest = sorted(columns[fixed:], key=lambda c: (rank.get(c, len(rank)), columns.index(c)))
        columns = columns[:fixed] + rest
    if not columns:
        columns = ["type", "name"]
    ws.append(columns)
    for row in rows:
        ws.append([row.get(c, "") or "" for c in columns])


def export_attachments(*, version: SurveyVersion) -> dict[str, bytes]:
    """The CSV files of the form's external choice lists (as uploaded), by file name."""
    return {cl.source_file: cl.source_csv.encode("utf-8")
            for cl in ChoiceList.objects.filter(version=version).exclude(source_file="")}


def version_signature(version: SurveyVersion) -> list[tuple]:
    """A canonical description of a questionnaire (used to prove that export → import is unchanged)."""
    from ...formdef import FormDef

    fd = FormDef.load(version)
    out = [("languages", tuple(tuple(x) for x in languages(version)))]
    for item in fd.items:
        depth = len(fd.ancestors(item))
        choices = tuple((c.name, tuple(sorted(c.labels.items())), tuple(sorted((c.filters or {}).items())))
                        for c in fd.choices_for(item))
        out.append((
            depth, item.kind, item.name, tuple(sorted(item.labels.items())), tuple(sorted(item.hints.items())),
            item.required, item.relevant, item.constraint, tuple(sorted(item.constraint_messages.items())), choices,
            item.allow_other, item.randomize, item.unit, _num(item.min_value), _num(item.max_value), item.repeat_count,
            item.appearance, item.calculation, item.choice_filter, item.default, item.read_only, item.trigger,
            repr(sorted((item.extra or {}).items())),
        ))
    return out
