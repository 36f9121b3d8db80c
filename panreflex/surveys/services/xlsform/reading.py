"""XLSForm import: pyxform reads the workbook, this module maps its form definition onto items.

Two readings of the same workbook are combined: `xls2json.parse_file_to_json` (pyxform's form
definition: what each element *is*, after pyxform's own checks) and `xls2json_backends.*_to_dict`
(the sheets as written: row numbers, the exact column names of every language, and the columns
PanReflex keeps without using them, which export writes back verbatim).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.accounts.models import Organisation, User

from ... import expressions
from ...models import Choice, ChoiceList, Item, Survey, SurveyVersion
from ..questionnaire import NAME_RE, survey_create

logger = logging.getLogger(__name__)

PYXFORM_GENERATED = re.compile(r"^(reserved_name_for_field_list_labels|generated_table_list_label)_\d+$")
TABLE_LABEL = re.compile(r"^generated_table_list_label_\d+$")
SELECT_TYPES = {"select one": Item.Kind.SINGLE, "select all that apply": Item.Kind.MULTIPLE, "rank": Item.Kind.RANKING}
SIMPLE_TYPES = {
    "integer": Item.Kind.INTEGER, "int": Item.Kind.INTEGER, "decimal": Item.Kind.DECIMAL, "text": Item.Kind.TEXT,
    "date": Item.Kind.DATE, "note": Item.Kind.NOTE, "file": Item.Kind.FILE, "calculate": Item.Kind.CALCULATE,
    "hidden": Item.Kind.HIDDEN, "acknowledge": Item.Kind.ACKNOWLEDGE, "trigger": Item.Kind.ACKNOWLEDGE,
    "range": Item.Kind.RANGE, "time": Item.Kind.TIME, "dateTime": Item.Kind.DATETIME, "datetime": Item.Kind.DATETIME,
}
FROM_FILE = re.compile(r"^(select_one_from_file|select_multiple_from_file|select one from file|select multiple from file)\s+(\S+)")
LOOP_TYPE = re.compile(r"^begin[ _]loop\s+over\s+(\S+)", re.IGNORECASE)
# columns whose meaning PanReflex represents; every other column of a row is kept verbatim
TRANSLATABLE = {"label", "caption", "hint", "constraint_message", "constraining_message", "jr:constraintmsg"}
HANDLED = TRANSLATABLE | {
    "type", "name", "command", "tag", "value", "required", "relevant", "relevance", "constraint", "appearance",
    "parameters", "repeat_count", "count", "jr:count", "calculation", "calculate", "choice_filter", "default",
    "read_only", "readonly", "trigger",
}
HANDLED_PREFIXED = {"relevant", "required", "constraint", "calculate", "readonly", "jr:constraintmsg", "appearance",
                    "accept", "jr:count"}
LANG_IN_HEADER = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)\s*$")
LANG_NAMES = {
    "german": "de", "deutsch": "de", "english": "en", "englisch": "en", "french": "fr", "français": "fr",
    "francais": "fr", "spanish": "es", "español": "es", "espanol": "es", "türkçe": "tr", "turkce": "tr",
    "turkish": "tr", "arabic": "ar", "العربية": "ar", "russian": "ru", "русский": "ru", "ukrainian": "uk",
    "українська": "uk", "polish": "pl", "polski": "pl", "italian": "it", "italiano": "it", "portuguese": "pt",
    "chinese": "zh", "swahili": "sw", "dutch": "nl", "farsi": "fa", "persian": "fa", "kurdish": "ku",
}
META_CONTROL = {"bodyless"}


class XLSFormError(ValueError):
    """The workbook is not a valid XLSForm, or cannot be imported (strict mode). `messages` lists each problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass
class ImportResult:
    survey: Survey
    report: list[dict] = field(default_factory=list)


@dataclass
class _Langs:
    """pyxform's language keys ("Türkçe (tr)", "English", "default") → PanReflex codes ("tr", "en", …)."""

    codes: dict[str, str] = field(default_factory=dict)
    order: list[list[str]] = field(default_factory=list)  # [[code, column name], …] as SurveyVersion.languages
    plain: str = "de"  # the code of the plain `label` column

    def add(self, key: str) -> str:
        key = key.strip() or "default"
        if key in self.codes:
            return self.codes[key]
        if key == "default":
            code = self.plain
            header = ""
        else:
            code = language_code(key)
            header = key
        taken = {c for c, _h in self.order}
        if code in taken:  # two columns naming the same language ("English" and "English (en)")
            base, n = code, 2
            while f"{base}-{n}" in taken:
                n += 1
            code = f"{base}-{n}"
        self.codes[key] = code
        self.order.append([code, header])
        return code

    def texts(self, value: Any) -> dict[str, str]:
        if value is None or value == "":
            return {}
        if not isinstance(value, dict):
            return {self.add("default"): str(value)}
        out: dict[str, str] = {}
        for key, text in value.items():
            code = self.add(str(key))
            if text not in (None, ""):
                out[code] = str(text)
        return out


def language_code(name: str) -> str:
    """“Türkçe (tr)” → tr, “English” → en, “Chinese” → zh; otherwise a short slug of the name."""
    name = (name or "").strip()
    m = LANG_IN_HEADER.search(name)
    if m:
        return m.group(1).lower().replace("_", "-")
    low = name.lower()
    if low in LANG_NAMES:
        return LANG_NAMES[low]
    if re.fullmatch(r"[a-z]{2}", low):
        return low
    return (re.sub(r"[^\w]+", "-", low).strip("-") or "x")[:20]


@dataclass
class _Ctx:
    rows: dict[str, int]
    raw: dict[str, dict]
    types: dict[str, str]
    langs: _Langs
    attachments: dict[str, bytes]
    choices_rows: dict[str, list[dict]]
    report: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    or_other_lists: set[str] = field(default_factory=set)

    def note(self, name: str, message: str, *, kind: str = "", kept: bool = True) -> None:
        self.report.append({"row": self.rows.get(name), "name": name, "type": kind or self.types.get(name, ""),
                            "message": message, "kept": kept})


def _where(ctx: _Ctx, name: str) -> str:
    row = ctx.rows.get(name)
    kind = ctx.types.get(name, "")
    if row:
        return _("Row %(row)s (name “%(name)s”, type “%(type)s”)") % {"row": row, "name": name, "type": kind}
    return _("Element “%(name)s”") % {"name": name}


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in {"yes", "true", "true()", "1"}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_handled_column(header: str) -> bool:
    """Whether a survey column is one PanReflex represents (else it is kept verbatim for export)."""
    low = header.strip().lower()
    low = re.sub(r"^([a-z_]+)\s*:(?!:)", r"\1::", low)  # the old single-colon form: label:English, bind:relevant
    parts = [p.strip() for p in low.split("::")]
    head = parts[0]
    if head in HANDLED:
        return True
    if head in ("bind", "body", "control") and len(parts) > 1:
        return parts[1] in HANDLED_PREFIXED or parts[1].startswith("panreflex:")
    return False


def _sheet(sheets: dict, name: str) -> str | None:
    return next((k for k in sheets if isinstance(k, str) and k.strip().lower() == name
                 and not k.endswith("_header")), None)


def _read_workbook(path: Path) -> tuple[dict, dict]:
    from pyxform import xls2json, xls2json_backends
    from pyxform.errors import PyXFormError

    reader = xls2json_backends.xls_to_dict if path.suffix == ".xls" else xls2json_backends.xlsx_to_dict
    try:
        sheets = reader(str(path))
    except PyXFormError as exc:
        raise XLSFormError([_("The XLSForm is not valid: %(error)s") % {"error": str(exc).strip()}]) from exc
    except Exception as exc:  # pyxform/openpyxl/xlrd raise many kinds for broken files
        raise XLSFormError([_("The file is not a readable Excel workbook: %(error)s") % {"error": exc}]) from exc
    if _sheet(sheets, "survey") is None:  # (a workbook of one sheet is that sheet, as in pyxform)
        raise XLSFormError([_("The workbook has no “survey” sheet (sheets found: %(names)s).")
                            % {"names": ", ".join(sheets.get("sheet_names", [])) or "–"}])
    try:
        warnings: list[str] = []
        definition = xls2json.parse_file_to_json(str(path), warnings=warnings)
        from pyxform.xls2xform import convert

        convert(xlsform=str(path), warnings=warnings)  # what only building the XForm finds (e.g. `include`)
    except PyXFormError as exc:
        unknown = re.match(r"Unknown question type '(.+)'", str(exc).strip())
        if unknown:  # say where
            for index, row in enumerate(sheets[_sheet(sheets, "survey")], start=2):
                if _cell(row.get("type")).strip() == unknown.group(1):
                    raise XLSFormError([_("Row %(row)s (name “%(name)s”, type “%(type)s”): the type “%(type)s” is not "
                                          "an XLSForm type.") % {"row": index, "name": _cell(row.get("name")),
                                                                "type": unknown.group(1)}]) from exc
        raise XLSFormError([_("The XLSForm is not valid: %(error)s") % {"error": str(exc).strip()}]) from exc
    except Exception as exc:
        raise XLSFormError([_("The XLSForm cannot be read: %(error)s") % {"error": exc}]) from exc
    return sheets, definition


def _row_maps(sheets: dict) -> tuple[dict[str, int], dict[str, dict], dict[str, str], list[str]]:
    """name -> row number (as pyxform counts: header is row 1), name -> the row as written, name -> type,
    duplicate-name errors."""
    rows: dict[str, int] = {}
    raw: dict[str, dict] = {}
    types: dict[str, str] = {}
    errors: list[str] = []
    for index, row in enumerate(sheets[_sheet(sheets, "survey")], start=2):
        name = _cell(row.get("name")).strip()
        kind = _cell(row.get("type")).strip()
        if not name or kind.lower().replace("_", " ") in ("end group", "end repeat", "end loop"):
            continue
        if name in rows:
            errors.append(
                _("Row %(row)s: the name “%(name)s” is already used in row %(first)s; names must be unique in the whole form.")
                % {"row": index, "name": name, "first": rows[name]}
            )
            continue
        rows[name] = index
        raw[name] = row
        types[name] = kind
    return rows, raw, types, errors


def _choices_rows(sheets: dict) -> dict[str, list[dict]]:
    key = _sheet(sheets, "choices")
    out: dict[str, list[dict]] = {}
    for row in sheets.get(key, []) if key else []:
        list_name = _cell(row.get("list_name", row.get("list name", ""))).strip()
        if list_name:
            out.setdefault(list_name, []).append(row)
    return out


def import_xlsform(
    *, data: bytes, filename: str, actor: User | None, organisation: Organisation, strict: bool = False,
    attachments: dict[str, bytes] | None = None,
) -> ImportResult:
    """Import an XLSForm workbook (.xlsx or .xls) as a new survey (draft); `attachments` are the CSV
    files its external choice lists name. Raises XLSFormError with precise messages; stores nothing then."""
    if data[:2] == b"PK":
        suffix = ".xlsx"
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        suffix = ".xls"
    else:
        raise XLSFormError([_("“%(name)s” is not an Excel workbook (.xlsx or .xls).") % {"name": filename}])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (re.sub(r"[^\w\-]", "_", Path(filename).stem or "form")[:80] + suffix)
            path.write_bytes(data)
            sheets, definition = _read_workbook(path)
        return _import(sheets, definition, filename=filename, actor=actor, organisation=organisation, strict=strict,
                       attachments=attachments or {})
    except XLSFormError:
        raise
    except Exception as exc:  # a defect of PanReflex, never the respondent's fault: nothing is stored
        logger.exception("XLSForm import of %s failed", filename)
        raise XLSFormError([_("The XLSForm could not be imported because of an internal error (%(error)s); "
                              "nothing was stored. Please report this form to the platform team.")
                            % {"error": type(exc).__name__}]) from exc


def _import(sheets, definition, *, filename, actor, organisation, strict, attachments) -> ImportResult:
    rows, raw, types, errors = _row_maps(sheets)
    if errors:
        raise XLSFormError(errors)
    settings_key = _sheet(sheets, "settings")
    settings_row = {str(k): _cell(v) for k, v in (sheets.get(settings_key) or [{}])[0].items()} if settings_key else {}
    settings_row = {k: v for k, v in settings_row.items() if v != ""}
    langs = _Langs()
    default_language = str(definition.get("default_language") or "default")
    if default_language != "default":
        langs.plain = language_code(default_language)
    ctx = _Ctx(rows=rows, raw=raw, types=types, langs=langs, attachments=attachments,
               choices_rows=_choices_rows(sheets))

    title = str(definition.get("title") or filename)[:200]
    with transaction.atomic():
        survey = survey_create(actor=actor, organisation=organisation, title=title,
                               form_id=re.sub(r"[^\w-]", "_", str(definition.get("id_string") or ""))[:100])
        version = survey.versions.get()
        children = definition.get("children", []) or []
        _find_or_other(children, ctx)
        cache: dict[str, ChoiceList] = {}
        for list_name in ctx.choices_rows:  # every list, in the sheet's order (also lists no question uses)
            _choice_list(version, list_name, {}, ctx, cache, name="")
        _build(children, None, version, ctx, cache)
        _check_expressions(version, ctx)
        extra_sheets = {}
        for key in sheets:
            if not isinstance(key, str) or key.endswith("_header") or key == "sheet_names":
                continue
            if key.strip().lower() in ("survey", "choices", "settings"):
                continue
            header = list((sheets.get(f"{key}_header") or [{}])[0].keys())
            extra_sheets[key] = {"header": [str(h) for h in header],
                                 "rows": [{str(k): _cell(v) for k, v in r.items()} for r in sheets[key]]}
            if key.strip().lower() not in ("external_choices",):
                ctx.report.append({"row": None, "name": key, "type": "sheet", "kept": True, "message": _(
                    "The sheet “%(sheet)s” is kept for export but not used by PanReflex.") % {"sheet": key}})
        if ctx.errors:
            raise XLSFormError(ctx.errors)
        if not Item.objects.filter(version=version).exists():
            raise XLSFormError([_("The form contains no question PanReflex can represent.")])
        if strict and ctx.report:
            raise XLSFormError([_format(r) for r in ctx.report])
        version.languages = langs.order or []
        # the columns' order as written (PostgreSQL's jsonb does not keep the keys' order, and pyxform
        # writes e.g. media in column order)
        headers = {name: [str(h) for h in (sheets.get(f"{key}_header") or [{}])[0]]
                   for name in ("survey", "choices") if (key := _sheet(sheets, name))}
        version.settings = {"sheet": settings_row, "headers": headers,
                            **({"sheets": extra_sheets} if extra_sheets else {})}
        version.save(update_fields=["languages", "settings"])
        survey.import_report = ctx.report
        survey.save(update_fields=["import_report"])
    return ImportResult(survey=survey, report=ctx.report)


def _format(entry: dict) -> str:
    if entry.get("row"):
        return _("Row %(row)s (name “%(name)s”, type “%(type)s”): %(message)s") % entry
    if entry.get("name"):
        return f"{entry['name']}: {entry['message']}"
    return entry["message"]


def format_report(report: list[dict]) -> list[str]:
    return [_format(r) for r in report]


def _find_or_other(children: list[dict], ctx: _Ctx) -> None:
    """pyxform expands `select_one x or_other` into an "other" choice plus a text question `<name>_other`
    shown if `selected(../<name>, 'other')`: fold that back into one question with “other, namely”."""
    names = {el.get("name") for el in children}
    for el in children:
        name = el.get("name")
        if el.get("type") in ("select one", "select all that apply") and f"{name}_other" in names \
                and re.search(r"\b(or_other|or specify other)\s*$", ctx.types.get(name, "")):
            other = next(c for c in children if c.get("name") == f"{name}_other")
            relevant = (other.get("bind") or {}).get("relevant", "")
            if other.get("type") == "text" and re.fullmatch(rf"selected\(\.\./{re.escape(name)},\s*'other'\)", relevant):
                el["_or_other"] = True
                other["_folded"] = True
                ctx.or_other_lists.add(el.get("itemset") or el.get("list_name") or "")
        _find_or_other(el.get("children", []) or [], ctx)


def _split_row(row: dict, ctx: _Ctx) -> tuple[str, dict[str, str], dict[str, str]]:
    """A choices row (or CSV row) → (code, labels per language, further columns)."""
    code = _cell(row.get("name")).strip()
    labels: dict[str, str] = {}
    others: dict[str, str] = {}
    for header, value in row.items():
        header = str(header)
        low = header.strip().lower()
        if low in ("list_name", "list name", "name"):
            continue
        m = re.match(r"^(label|caption)(?:\s*::?\s*(.*))?$", header.strip(), re.IGNORECASE)
        if m:
            text = _cell(value)
            if text:
                labels[ctx.langs.add(m.group(2) or "default")] = text
            continue
        if _cell(value) != "":
            others[header] = _cell(value)
    return code, labels, others


def _choice_list(version, list_name: str, el: dict, ctx: _Ctx, cache: dict, *, name: str) -> ChoiceList | None:
    if not list_name:
        return None
    if list_name in cache:
        return cache[list_name]
    source_file = ""
    source_csv = ""
    m = FROM_FILE.match(ctx.types.get(name, ""))
    if m:
        source_file = m.group(2)
        if not source_file.lower().endswith(".csv"):
            ctx.errors.append(_("%(where)s: the choices come from “%(file)s”; PanReflex reads external choice lists "
                                "from CSV files only.") % {"where": _where(ctx, name), "file": source_file})
            return None
        content = ctx.attachments.get(source_file)
        if content is None:
            ctx.errors.append(_("%(where)s: the choices come from the file “%(file)s”; upload it together with "
                                "the form.") % {"where": _where(ctx, name), "file": source_file})
            return None
        try:
            source_csv = content.decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(source_csv)))
        except (UnicodeDecodeError, csv.Error) as exc:
            ctx.errors.append(_("%(where)s: the file “%(file)s” is not a readable UTF-8 CSV file (%(error)s).")
                              % {"where": _where(ctx, name), "file": source_file, "error": exc})
            return None
        if not rows or "name" not in rows[0]:
            ctx.errors.append(_("%(where)s: the file “%(file)s” needs a “name” column and at least one row.")
                              % {"where": _where(ctx, name), "file": source_file})
            return None
    else:
        rows = ctx.choices_rows.get(list_name)
        if rows is None:  # pyxform's own lists (e.g. from a loop's columns)
            rows = [{"name": c.get("name"), **_label_columns(c.get("label"))} for c in (el.get("choices") or [])]
    cl = ChoiceList.objects.create(version=version, name=list_name[:100], source_file=source_file[:200],
                                   source_csv=source_csv)
    objs = []
    for row in rows:
        code, labels, others = _split_row(row, ctx)
        if not code:
            continue
        objs.append(Choice(choice_list=cl, name=code[:100], labels=labels, filters=others, position=len(objs)))
    Choice.objects.bulk_create(objs)
    cache[list_name] = cl
    return cl


def _label_columns(label: Any) -> dict[str, str]:
    if isinstance(label, dict):
        return {f"label::{k}" if k != "default" else "label": v for k, v in label.items()}
    return {"label": label} if label else {}


def _as_written(name: str, ctx: _Ctx, headers: tuple[str, ...], parsed: Any) -> str:
    """A rule as the row states it (pyxform adds inherited conditions to some elements, which an
    export would then state twice); pyxform's reading where there is no row."""
    row = ctx.raw.get(name)
    if row is None:
        return str(parsed or "")
    for key, value in row.items():
        if re.sub(r"^([a-z_]+)\s*:(?!:)", r"\1::", str(key).strip().lower()) in headers:
            return _cell(value).strip()
    return ""


def _kept_columns(name: str, ctx: _Ctx) -> dict[str, str]:
    row = ctx.raw.get(name) or {}
    return {str(k): _cell(v) for k, v in row.items() if not is_handled_column(str(k)) and _cell(v) != ""}


def _build(children: list[dict], parent: Item | None, version: SurveyVersion, ctx: _Ctx, cache: dict) -> None:
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    position = 0
    repeat_counts: dict[str, int] = {}
    for el in children:
        name = str(el.get("name", ""))
        kind_raw = el.get("type", "")
        if parent is None and name == "meta" and (el.get("control") or {}).get("bodyless"):
            continue  # pyxform's own instanceID block
        if el.get("_folded") or PYXFORM_GENERATED.match(name):
            continue
        if name not in ctx.rows and kind_raw == "calculate":
            if not (name.endswith("_count") and any(c.get("name") == name[:-6] for c in children)):
                continue  # generated by pyxform (e.g. instanceName)
        bind = dict(el.get("bind") or {})
        control = dict(el.get("control") or {})
        # pyxform turns a numeric repeat_count into a calculate named <repeat>_count
        if kind_raw == "calculate" and name not in ctx.rows and name.endswith("_count") \
                and re.fullmatch(r"\d+", str(bind.get("calculate", ""))):
            repeat_counts[name[:-6]] = int(bind["calculate"])
            continue
        raw_type = ctx.types.get(name, kind_raw)
        if name in ctx.raw:  # the appearance as written (pyxform rewrites table-list to field-list)
            control["appearance"] = _as_written(name, ctx, ("appearance", "body::appearance", "control::appearance"), "")
        pr_kind = str(bind.pop("panreflex:kind", "") or "")
        kind = None
        list_name = str(el.get("itemset") or el.get("list_name") or "")
        if kind_raw == "group":
            kids = el.get("children", []) or []
            table_rows = [k for k in kids if not PYXFORM_GENERATED.match(str(k.get("name", "")))]
            is_matrix = pr_kind == "matrix" or (
                any(PYXFORM_GENERATED.match(str(k.get("name", ""))) for k in kids)
                and all(k.get("type") == "select one" for k in table_rows))  # else a table-list group
            kind = Item.Kind.MATRIX if is_matrix else Item.Kind.GROUP
            if is_matrix:
                control.pop("appearance", None)
            # a table-list group's label and hint are on pyxform's generated first row
            generated = next((k for k in kids if TABLE_LABEL.match(str(k.get("name", "")))), None)
            if generated is not None and not el.get("label"):
                el = {**el, "label": generated.get("label")}
            if generated is not None and not el.get("hint") and generated.get("hint"):
                el = {**el, "hint": generated.get("hint")}
        elif kind_raw == "repeat":
            kind = Item.Kind.REPEAT
        elif kind_raw == "loop":
            kind = Item.Kind.LOOP
            m = LOOP_TYPE.match(raw_type)
            list_name = m.group(1) if m else name
            el = {**el, "choices": el.get("columns") or []}
        elif kind_raw in SELECT_TYPES and not raw_type.lower().replace("_", " ").startswith("select one external"):
            kind = SELECT_TYPES[kind_raw]
            m = FROM_FILE.match(raw_type)
            if m:
                list_name = m.group(2)
            if kind == Item.Kind.SINGLE and (pr_kind in ("likert", "yesno") or control.get("appearance") == "likert"):
                kind = Item.Kind.YESNO if pr_kind == "yesno" else Item.Kind.LIKERT
                if control.get("appearance") == "likert":
                    control.pop("appearance")
            if parent is not None and parent.kind == Item.Kind.MATRIX:
                kind = Item.Kind.LIKERT
                if control.get("appearance") in ("list-nolabel", "label"):
                    control.pop("appearance")
        elif kind_raw in SIMPLE_TYPES:
            kind = SIMPLE_TYPES[kind_raw]
            if kind == Item.Kind.TEXT:
                if pr_kind == "municipality":
                    kind = Item.Kind.MUNICIPALITY
                elif pr_kind == "longtext" or control.get("appearance") == "multiline" or control.get("rows"):
                    kind = Item.Kind.LONGTEXT
                    control.pop("rows", None)
                    if control.get("appearance") == "multiline":
                        control.pop("appearance")
        elif kind_raw in QUESTION_TYPE_DICT or name in ctx.rows:
            if kind_raw not in QUESTION_TYPE_DICT and not raw_type.lower().replace("_", " ").startswith("select one external"):
                ctx.errors.append(_("%(where)s: the type “%(type)s” is not an XLSForm type.")
                                  % {"where": _where(ctx, name), "type": raw_type})
                continue
            kind = Item.Kind.OTHER  # geopoint, photo, barcode, metadata …: kept with its type
        else:
            ctx.errors.append(_("%(where)s: the type “%(type)s” is not an XLSForm type.")
                              % {"where": _where(ctx, name), "type": kind_raw})
            continue
        if not NAME_RE.match(name):
            ctx.errors.append(_("%(where)s: the name “%(name)s” is not a valid variable name.")
                              % {"where": _where(ctx, name), "name": name})
            continue
        item = Item(version=version, parent=parent, kind=kind, name=name[:100], position=position)
        position += 1
        extra: dict[str, Any] = {}
        item.labels = ctx.langs.texts(el.get("label"))
        item.hints = ctx.langs.texts(el.get("hint"))
        item.required = _truthy(bind.pop("required", ""))
        item.relevant = _as_written(name, ctx, ("relevant", "relevance", "bind::relevant"), bind.pop("relevant", ""))
        item.constraint = _as_written(name, ctx, ("constraint", "bind::constraint"), bind.pop("constraint", ""))
        item.calculation = _as_written(name, ctx, ("calculation", "calculate", "bind::calculate"),
                                       bind.pop("calculate", ""))
        item.read_only = _truthy(bind.pop("readonly", ""))
        item.constraint_messages = ctx.langs.texts(bind.pop("jr:constraintMsg", None))
        item.choice_filter = str(el.get("choice_filter") or "")
        item.default = _cell(el.get("default"))[:500]
        item.trigger = _cell(el.get("trigger"))[:200]
        item.unit = str(bind.pop("panreflex:unit", "") or "")[:40]
        item.min_value = _decimal(bind.pop("panreflex:min", None))
        item.max_value = _decimal(bind.pop("panreflex:max", None))
        params = dict(el.get("parameters") or {})
        item.randomize = _truthy(bind.pop("panreflex:randomize", "")) or _truthy(params.pop("randomize", ""))
        if kind == Item.Kind.RANGE:
            item.min_value = _decimal(params.pop("start", None))
            item.max_value = _decimal(params.pop("end", None))
            step = params.pop("step", None)
            if step not in (None, ""):
                extra["step"] = _cell(step)
        if params:
            raw_params = _cell((ctx.raw.get(name) or {}).get("parameters"))
            extra["parameters"] = re.sub(r"\brandomize\s*=\s*\S+", "", raw_params).strip() if raw_params else \
                " ".join(f"{k}={v}" for k, v in params.items())
        item.allow_other = bool(el.get("_or_other"))
        if kind in (Item.Kind.FILE, Item.Kind.OTHER) and control.get("accept"):
            extra["accept"] = str(control.pop("accept"))
        if kind == Item.Kind.OTHER or (kind == Item.Kind.ACKNOWLEDGE and kind_raw == "trigger"):
            extra["type"] = raw_type
        raw_required = _cell((ctx.raw.get(name) or {}).get("required")).strip()
        if raw_required and not item.required:
            extra["required"] = raw_required  # an explicit "no" (pyxform writes required="false()")
        if kind == Item.Kind.REPEAT:
            count = str(control.pop("jr:count", "") or "")
            if name in repeat_counts:
                item.repeat_count = repeat_counts[name]
            elif re.fullmatch(r"\d+", count):
                item.repeat_count = int(count)
            elif count:
                extra["count"] = _cell((ctx.raw.get(name) or {}).get("repeat_count") or count)
        appearance = str(control.pop("appearance", "") or "")
        if appearance:
            item.appearance = appearance[:100]
        kept = _kept_columns(name, ctx)
        if kept:
            extra["columns"] = kept
            ctx.note(name, _("The columns %(cols)s are kept for export but not used by PanReflex's web form.")
                     % {"cols": ", ".join(f"“{k}”" for k in kept)})
        if item.kind == Item.Kind.OTHER:
            ctx.note(name, _("The XLSForm type “%(type)s” is kept for export; the web form %(how)s.") % {
                "type": raw_type, "how": _("does not ask it (the device fills it in)") if item.is_metadata
                else _("asks it as a text answer")})
        item.extra = extra
        if kind in Item.CHOICE_KINDS or kind == Item.Kind.LOOP:
            item.choice_list = _choice_list(version, list_name, el, ctx, cache, name=name)
            if item.choice_list is None:
                if not any(name in e for e in ctx.errors):
                    ctx.errors.append(_("%(where)s: no choice list.") % {"where": _where(ctx, name)})
                continue
        item.save()
        if kind in Item.CONTAINERS:
            _build(el.get("children", []) or [], item, version, ctx, cache)


def _check_expressions(version: SurveyVersion, ctx: _Ctx) -> None:
    """Every rule is kept as written (export writes it back); the ones PanReflex cannot evaluate are
    reported: the web form then treats them as met (conditions) or empty (calculations)."""
    names = set(Item.objects.filter(version=version).values_list("name", flat=True))
    labels = (("relevant", _("display condition")), ("constraint", _("validation rule")),
              ("calculation", _("calculation")), ("choice_filter", _("choice filter")))
    for item in Item.objects.filter(version=version):
        for field_name, label in labels:
            text = getattr(item, field_name)
            if not text:
                continue
            try:
                if field_name == "choice_filter":
                    tree = expressions.parse(text, columns=True)
                    missing = sorted(expressions.references(tree) - names)
                    if missing:
                        raise expressions.ExpressionError(_("The expression refers to unknown question(s): %(names)s.")
                                                          % {"names": ", ".join(missing)})
                else:
                    expressions.check(text, names, allow_self=field_name == "constraint")
            except expressions.ExpressionError as exc:
                ctx.note(item.name, _("The %(what)s “%(expr)s” is kept for export, but PanReflex cannot evaluate it "
                                      "(%(error)s).") % {"what": label, "expr": text, "error": exc}, kept=False)
