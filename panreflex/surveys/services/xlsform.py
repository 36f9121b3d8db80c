"""XLSForm interchange (the spreadsheet standard of ODK and KoboToolbox).

Import: pyxform reads the workbook (`xls2json_backends.xlsx_to_dict` for the sheets and row numbers,
`xls2json.workbook_to_json` for the form definition); this module maps the JSON form definition onto
PanReflex items. Invalid forms (pyxform errors, unknown types, missing survey sheet, broken or
duplicate names) raise `XLSFormError` with precise messages and nothing is stored. Valid XLSForm
features PanReflex cannot represent are listed in the import report (row, name, type, what happened)
— or refused altogether with `strict=True`.

Export writes survey/choices/settings sheets with openpyxl; PanReflex-only kinds travel in
`bind::panreflex:*` columns (which pyxform passes through), so an exported form imports unchanged.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.accounts.models import Organisation, User

from .. import expressions
from ..models import Choice, ChoiceList, Item, Survey, SurveyVersion
from .questionnaire import NAME_RE, survey_create

LANG_COLUMNS = {"de": "German (de)", "en": "English (en)"}
REF_RE = re.compile(r"\$\{\s*([A-Za-z_][\w.\-]*)\s*\}")
PYXFORM_GENERATED = re.compile(r"^(reserved_name_for_field_list_labels|generated_table_list_label)_\d+$")
TABLE_LABEL = re.compile(r"^generated_table_list_label_\d+$")
SKIPPED_META = {"meta"}
SELECT_TYPES = {"select one": Item.Kind.SINGLE, "select all that apply": Item.Kind.MULTIPLE, "rank": Item.Kind.RANKING}
SIMPLE_TYPES = {
    "integer": Item.Kind.INTEGER, "decimal": Item.Kind.DECIMAL, "text": Item.Kind.TEXT, "date": Item.Kind.DATE,
    "note": Item.Kind.NOTE, "file": Item.Kind.FILE,
}
PANREFLEX_KINDS = {"likert", "yesno", "municipality", "longtext", "matrix"}
KNOWN_SETTINGS = {"form_title", "form_id", "default_language", "version", "title", "id_string", "name", "type",
                  "sms_keyword", "children", "choices"}
KNOWN_ELEMENT_KEYS = {"type", "name", "label", "hint", "bind", "control", "children", "choices", "itemset",
                      "list_name", "parameters"}


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
class _Ctx:
    rows: dict[str, int]
    types: dict[str, str]
    default_lang: str
    report: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    seen_names: dict[str, int] = field(default_factory=dict)
    dropped_langs: set[str] = field(default_factory=set)
    or_other_lists: set[str] = field(default_factory=set)
    generated_counts: dict[str, int] = field(default_factory=dict)

    def note(self, name: str, message: str, *, kind: str = "") -> None:
        self.report.append({"row": self.rows.get(name), "name": name, "type": kind or self.types.get(name, ""),
                            "message": message})


def _where(ctx: _Ctx, name: str) -> str:
    row = ctx.rows.get(name)
    kind = ctx.types.get(name, "")
    if row:
        return _("Row %(row)s (name “%(name)s”, type “%(type)s”)") % {"row": row, "name": name, "type": kind}
    return _("Element “%(name)s”") % {"name": name}


def _lang(key: str, default_lang: str) -> str | None:
    k = (key or "").strip().lower()
    if k == "default":
        return default_lang
    if "german" in k or "deutsch" in k or k in ("de",) or "(de)" in k:
        return "de"
    if "english" in k or k in ("en",) or "(en)" in k:
        return "en"
    return None


def _texts(value: Any, ctx: _Ctx, name: str, what: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        return {ctx.default_lang: str(value)}
    out: dict[str, str] = {}
    for key, text in value.items():
        lang = _lang(key, ctx.default_lang)
        if lang is None:
            ctx.dropped_langs.add(key)
            continue
        if text not in (None, "") and not out.get(lang):
            out[lang] = str(text)
    return out


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in {"yes", "true", "true()", "1"}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _read_workbook(path: Path) -> tuple[dict, dict]:
    from pyxform import xls2json, xls2json_backends
    from pyxform.errors import PyXFormError

    try:
        sheets = xls2json_backends.xlsx_to_dict(str(path))
    except Exception as exc:  # pyxform/openpyxl raise many kinds for broken files
        raise XLSFormError([_("The file is not a readable Excel workbook (.xlsx): %(error)s") % {"error": exc}]) from exc
    names = [str(n).lower() for n in sheets.get("sheet_names", [])]
    if "survey" not in names:
        raise XLSFormError([_("The workbook has no “survey” sheet (sheets found: %(names)s).")
                            % {"names": ", ".join(sheets.get("sheet_names", [])) or "–"}])
    try:
        warnings: list[str] = []
        definition = xls2json.parse_file_to_json(str(path), warnings=warnings)
    except PyXFormError as exc:
        raise XLSFormError([_("The XLSForm is not valid: %(error)s") % {"error": str(exc).strip()}]) from exc
    except Exception as exc:
        raise XLSFormError([_("The XLSForm cannot be read: %(error)s") % {"error": exc}]) from exc
    return sheets, definition


def _row_maps(sheets: dict) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """name -> row number (as pyxform counts: header is row 1), name -> type, duplicate-name errors."""
    rows: dict[str, int] = {}
    types: dict[str, str] = {}
    errors: list[str] = []
    survey_key = next(k for k in sheets if str(k).lower() == "survey")
    for index, row in enumerate(sheets[survey_key], start=2):
        name = str(row.get("name") or "").strip()
        kind = str(row.get("type") or "").strip()
        if not name or kind.lower().replace("_", " ") in ("end group", "end repeat"):
            continue
        if name in rows:
            errors.append(
                _("Row %(row)s: the name “%(name)s” is already used in row %(first)s; names must be unique in the whole form.")
                % {"row": index, "name": name, "first": rows[name]}
            )
            continue
        rows[name] = index
        types[name] = kind
    return rows, types, errors


def import_xlsform(
    *, data: bytes, filename: str, actor: User | None, organisation: Organisation, strict: bool = False,
) -> ImportResult:
    """Import an XLSForm workbook as a new survey (draft). Raises XLSFormError; stores nothing then."""
    if data[:2] != b"PK":
        raise XLSFormError([_("“%(name)s” is not an Excel workbook (.xlsx).") % {"name": filename}])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        path.write_bytes(data)
        sheets, definition = _read_workbook(path)
    rows, types, errors = _row_maps(sheets)
    if errors:
        raise XLSFormError(errors)

    children = definition.get("children", [])
    named_langs = {_lang(k, "de") for k in _all_label_keys(children) if k != "default"} - {None}
    default_lang = _lang(str(definition.get("default_language") or ""), "de") if definition.get("default_language") not in (None, "", "default") else None
    if default_lang is None:
        default_lang = next(iter(named_langs)) if len(named_langs) == 1 else "de"
    ctx = _Ctx(rows=rows, types=types, default_lang=default_lang)

    for key, value in definition.items():
        if key in KNOWN_SETTINGS or key == "default_language" or value in (None, "", False):
            continue
        ctx.report.append({"row": None, "name": key, "type": "settings",
                           "message": _("The setting “%(key)s” is not used by PanReflex and was not imported.") % {"key": key}})

    title = str(definition.get("title") or filename)[:200]
    with transaction.atomic():
        survey = survey_create(actor=actor, organisation=organisation, title=title,
                               form_id=re.sub(r"[^\w-]", "_", str(definition.get("id_string") or ""))[:100])
        version = survey.versions.get()
        list_cache: dict[str, ChoiceList] = {}
        _find_or_other(children, ctx)
        top_choices = definition.get("choices", {}) or {}
        _build(children, None, version, ctx, list_cache, top_choices)
        _check_expressions(version, ctx)
        for lang in sorted(ctx.dropped_langs):
            ctx.report.append({"row": None, "name": "", "type": "language", "message": _(
                "Texts in the language “%(lang)s” were not imported: PanReflex keeps German and English wording."
            ) % {"lang": lang}})
        if ctx.errors:
            raise XLSFormError(ctx.errors)
        if not Item.objects.filter(version=version).exists():
            raise XLSFormError([_("The form contains no question PanReflex can represent.")])
        if strict and ctx.report:
            raise XLSFormError([_format(r) for r in ctx.report])
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


def _all_label_keys(children: list[dict]):
    for el in children:
        for key in ("label", "hint"):
            if isinstance(el.get(key), dict):
                yield from el[key].keys()
        for choice in el.get("choices", []) or []:
            if isinstance(choice.get("label"), dict):
                yield from choice["label"].keys()
        yield from _all_label_keys(el.get("children", []) or [])


def _find_or_other(children: list[dict], ctx: _Ctx) -> None:
    """pyxform expands `select_one x or_other` into an "other" choice plus a text question `<name>_other`
    shown if `selected(../<name>, 'other')`: fold that back into one question with “other, namely”."""
    names = {el.get("name") for el in children}
    for el in children:
        name = el.get("name")
        if el.get("type") in ("select one", "select all that apply") and f"{name}_other" in names:
            other = next(c for c in children if c.get("name") == f"{name}_other")
            relevant = (other.get("bind") or {}).get("relevant", "")
            if other.get("type") == "text" and re.fullmatch(rf"selected\(\.\./{re.escape(name)},\s*'other'\)", relevant):
                el["_or_other"] = True
                other["_folded"] = True
                ctx.or_other_lists.add(el.get("itemset") or el.get("list_name") or "")
        _find_or_other(el.get("children", []) or [], ctx)


def _choice_list(version, list_name: str, el: dict, ctx: _Ctx, cache: dict, top_choices: dict) -> ChoiceList | None:
    if not list_name:
        return None
    if list_name in cache:
        return cache[list_name]
    raw = top_choices.get(list_name) or el.get("choices") or []
    cl = ChoiceList.objects.create(version=version, name=list_name)
    position = 0
    for choice in raw:
        code = str(choice.get("name", ""))
        labels = _texts(choice.get("label"), ctx, code, "label")
        if list_name in ctx.or_other_lists and code == "other" and set(labels.values()) <= {"Other"}:
            continue  # added by pyxform for or_other
        extra_keys = sorted(set(choice) - {"name", "label"})
        if extra_keys:
            ctx.report.append({"row": None, "name": f"{list_name}/{code}", "type": "choice", "message": _(
                "The choice columns %(cols)s were not imported."
            ) % {"cols": ", ".join(f"“{k}”" for k in extra_keys)}})
        Choice.objects.create(choice_list=cl, name=code, labels=labels, position=position)
        position += 1
    cache[list_name] = cl
    return cl


def _build(children: list[dict], parent: Item | None, version: SurveyVersion, ctx: _Ctx, cache: dict, top_choices: dict) -> None:
    position = 0
    repeat_counts: dict[str, int] = {}
    for el in children:
        name = str(el.get("name", ""))
        kind_raw = el.get("type", "")
        if parent is None and name in SKIPPED_META and (el.get("control") or {}).get("bodyless"):
            continue  # pyxform's own instanceID block
        if el.get("_folded") or PYXFORM_GENERATED.match(name):
            continue
        bind = dict(el.get("bind") or {})
        control = dict(el.get("control") or {})
        # pyxform turns a numeric repeat_count into a calculate named <repeat>_count
        if kind_raw == "calculate" and name.endswith("_count") and re.fullmatch(r"\d+", str(bind.get("calculate", ""))) \
                and any(c.get("name") == name[:-6] and c.get("type") == "repeat" for c in children):
            repeat_counts[name[:-6]] = int(bind["calculate"])
            continue
        pr_kind = str(bind.pop("panreflex:kind", "") or "")
        kind = None
        if kind_raw == "group":
            kids = el.get("children", []) or []
            is_matrix = pr_kind == "matrix" or any(PYXFORM_GENERATED.match(str(k.get("name", ""))) for k in kids)
            kind = Item.Kind.MATRIX if is_matrix else Item.Kind.GROUP
            if is_matrix:
                control.pop("appearance", None)
                generated = next((k for k in kids if TABLE_LABEL.match(str(k.get("name", "")))), None)
                if generated is not None and not el.get("label"):
                    el = {**el, "label": generated.get("label")}
        elif kind_raw == "repeat":
            kind = Item.Kind.REPEAT
        elif kind_raw in SELECT_TYPES:
            kind = SELECT_TYPES[kind_raw]
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
        else:
            from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

            if kind_raw not in QUESTION_TYPE_DICT and kind_raw not in ("calculate",):
                ctx.errors.append(_("%(where)s: the type “%(type)s” is not an XLSForm type.")
                                  % {"where": _where(ctx, name), "type": kind_raw})
            else:
                ctx.note(name, _("The XLSForm type “%(type)s” is not supported by PanReflex; the element was not imported.")
                         % {"type": ctx.types.get(name) or kind_raw})
            continue
        if not NAME_RE.match(name):
            ctx.note(name, _("The name “%(name)s” is not a valid variable name; the element was not imported.") % {"name": name})
            continue
        item = Item(version=version, parent=parent, kind=kind, name=name, position=position)
        position += 1
        item.labels = _texts(el.get("label"), ctx, name, "label")
        item.hints = _texts(el.get("hint"), ctx, name, "hint")
        item.required = _truthy(bind.pop("required", ""))
        item.relevant = str(bind.pop("relevant", "") or "")
        item.constraint = str(bind.pop("constraint", "") or "")
        item.constraint_messages = _texts(bind.pop("jr:constraintMsg", None), ctx, name, "constraint_message")
        item.unit = str(bind.pop("panreflex:unit", "") or "")[:40]
        item.min_value = _decimal(bind.pop("panreflex:min", None))
        item.max_value = _decimal(bind.pop("panreflex:max", None))
        item.randomize = _truthy(bind.pop("panreflex:randomize", "")) or _truthy((el.get("parameters") or {}).get("randomize"))
        params = {k: v for k, v in (el.get("parameters") or {}).items() if k != "randomize"}
        item.allow_other = bool(el.get("_or_other"))
        if kind == Item.Kind.FILE and control.get("accept"):
            item.extra = {"accept": str(control.pop("accept"))}
        if kind == Item.Kind.REPEAT:
            count = str(control.pop("jr:count", "") or "")
            if name in repeat_counts:
                item.repeat_count = repeat_counts[name]
            elif re.fullmatch(r"\d+", count):
                item.repeat_count = int(count)
            elif count:
                ctx.note(name, _("The repeat count “%(count)s” is not a number; respondents add entries themselves.") % {"count": count})
        appearance = str(control.pop("appearance", "") or "")
        if appearance:
            item.appearance = appearance[:100]
            ctx.note(name, _("The appearance “%(appearance)s” is kept for export but not used in the web form.")
                     % {"appearance": appearance})
        control.pop("bodyless", None)
        for key in sorted(control):
            ctx.note(name, _("The property “%(key)s” is not supported and was not imported.") % {"key": key})
        for key in sorted(bind):
            if key == "jr:requiredMsg":
                ctx.note(name, _("The custom required message was not imported; PanReflex shows its own message."))
            elif key in ("readonly",) and str(bind[key]) in ("false()", "no", ""):
                continue
            else:
                ctx.note(name, _("The rule “%(key)s” (%(value)s) is not supported and was not imported.")
                         % {"key": key, "value": bind[key]})
        for key in sorted(set(el) - KNOWN_ELEMENT_KEYS - {"_or_other", "_folded"}):
            ctx.note(name, _("The column “%(key)s” is not supported and was not imported.") % {"key": key})
        if params:
            ctx.note(name, _("The parameters %(params)s are not supported and were not imported.")
                     % {"params": ", ".join(f"{k}={v}" for k, v in params.items())})
        if kind in Item.CHOICE_KINDS or (kind == Item.Kind.LIKERT):
            list_name = str(el.get("itemset") or el.get("list_name") or "")
            item.choice_list = _choice_list(version, list_name, el, ctx, cache, top_choices)
            if item.choice_list is None:
                ctx.errors.append(_("%(where)s: no choice list.") % {"where": _where(ctx, name)})
                continue
        item.save()
        ctx.names.add(name)
        if kind in Item.CONTAINERS:
            _build(el.get("children", []) or [], item, version, ctx, cache, top_choices)


def _check_expressions(version: SurveyVersion, ctx: _Ctx) -> None:
    names = set(Item.objects.filter(version=version).values_list("name", flat=True))
    for item in Item.objects.filter(version=version):
        changed = []
        for field_name, label in (("relevant", _("display condition")), ("constraint", _("validation rule"))):
            text = getattr(item, field_name)
            if not text:
                continue
            try:
                expressions.check(text, names, allow_self=field_name == "constraint")
            except expressions.ExpressionError as exc:
                ctx.note(item.name, _("The %(what)s “%(expr)s” cannot be used (%(error)s); it was not imported.")
                         % {"what": label, "expr": text, "error": exc})
                setattr(item, field_name, "")
                changed.append(field_name)
        for field_name in ("labels", "hints", "constraint_messages"):
            texts = getattr(item, field_name)
            for lang, text in list(texts.items()):
                missing = sorted(set(REF_RE.findall(text)) - names)
                if missing:
                    for ref in missing:
                        text = re.sub(r"\$\{\s*" + re.escape(ref) + r"\s*\}", f"[{ref}]", text)
                    texts[lang] = text
                    ctx.note(item.name, _("The text refers to %(refs)s, which was not imported; shown as [name].")
                             % {"refs": ", ".join(f"${{{r}}}" for r in missing)})
                    changed.append(field_name)
        if changed:
            item.save(update_fields=sorted(set(changed)))


# --- export ---------------------------------------------------------------------------------------
SURVEY_COLUMNS = [
    "type", "name", "label::German (de)", "label::English (en)", "hint::German (de)", "hint::English (en)",
    "required", "relevant", "constraint", "constraint_message::German (de)", "constraint_message::English (en)",
    "appearance", "parameters", "repeat_count", "body::accept", "bind::panreflex:kind", "bind::panreflex:unit",
    "bind::panreflex:min", "bind::panreflex:max", "bind::panreflex:randomize",
]


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def export_xlsform(*, version: SurveyVersion) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..formdef import FormDef

    fd = FormDef.load(version)
    survey = version.survey
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(SURVEY_COLUMNS)
    langs = set()
    for item in fd.items:
        langs |= {k for k, v in item.labels.items() if v}
    used_lists: dict[int, ChoiceList] = {}

    def row_for(item: Item) -> list[str]:
        kind = item.kind
        list_name = fd.lists[item.choice_list_id].name if item.choice_list_id else ""
        pr_kind = ""
        appearance = item.appearance
        if kind == Item.Kind.GROUP:
            typ = "begin_group"
        elif kind == Item.Kind.MATRIX:
            typ, appearance = "begin_group", "table-list"
        elif kind == Item.Kind.REPEAT:
            typ = "begin_repeat"
        elif kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO):
            typ = f"select_one {list_name}" + (" or_other" if item.allow_other else "")
            if kind == Item.Kind.LIKERT and not (item.parent_id and fd.by_id[item.parent_id].kind == Item.Kind.MATRIX):
                appearance = appearance or "likert"
            if kind == Item.Kind.YESNO:
                pr_kind = "yesno"
        elif kind == Item.Kind.MULTIPLE:
            typ = f"select_multiple {list_name}" + (" or_other" if item.allow_other else "")
        elif kind == Item.Kind.RANKING:
            typ = f"rank {list_name}"
        elif kind == Item.Kind.LONGTEXT:
            typ, pr_kind = "text", "longtext"
        elif kind == Item.Kind.MUNICIPALITY:
            typ, pr_kind = "text", "municipality"
        else:
            typ = kind
        if item.choice_list_id:
            used_lists[item.choice_list_id] = fd.lists[item.choice_list_id]
        randomize = ""
        parameters = ""
        if item.randomize:
            if kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.RANKING, Item.Kind.YESNO):
                parameters = "randomize=true"
            else:
                randomize = "true"
        return [
            typ, item.name, item.labels.get("de", ""), item.labels.get("en", ""), item.hints.get("de", ""),
            item.hints.get("en", ""), "yes" if item.required else "", item.relevant, item.constraint,
            item.constraint_messages.get("de", ""), item.constraint_messages.get("en", ""), appearance, parameters,
            str(item.repeat_count) if item.repeat_count else "", (item.extra or {}).get("accept", ""), pr_kind,
            item.unit, _num(item.min_value), _num(item.max_value), randomize,
        ]

    def visit(parent: Item | None):
        for item in fd.kids(parent):
            ws.append(row_for(item))
            if item.is_container:
                visit(item)
                ws.append(["end_repeat" if item.kind == Item.Kind.REPEAT else "end_group"] + [""] * (len(SURVEY_COLUMNS) - 1))

    visit(None)
    cs = wb.create_sheet("choices")
    cs.append(["list_name", "name", "label::German (de)", "label::English (en)"])
    for cl in sorted(used_lists.values(), key=lambda c: c.name):
        for choice in fd.choices.get(cl.pk, []):
            cs.append([cl.name, choice.name, choice.labels.get("de", ""), choice.labels.get("en", "")])
    ss = wb.create_sheet("settings")
    ss.append(["form_title", "form_id", "version", "default_language"])
    default = "German (de)" if "de" in langs or not langs else "English (en)"
    ss.append([survey.title, survey.form_id or f"panreflex_survey_{survey.pk}", str(version.number), default])
    for sheet in (ws, cs, ss):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def version_signature(version: SurveyVersion) -> list[tuple]:
    """A canonical description of a questionnaire (used to prove that export → import is unchanged)."""
    from ..formdef import FormDef

    fd = FormDef.load(version)
    out = []
    for item in fd.items:
        depth = len(fd.ancestors(item))
        choices = tuple((c.name, tuple(sorted(c.labels.items()))) for c in fd.choices_for(item))
        out.append((
            depth, item.kind, item.name, tuple(sorted(item.labels.items())), tuple(sorted(item.hints.items())),
            item.required, item.relevant, item.constraint, tuple(sorted(item.constraint_messages.items())), choices,
            item.allow_other, item.randomize, item.unit, _num(item.min_value), _num(item.max_value), item.repeat_count,
            item.appearance, tuple(sorted((item.extra or {}).items())),
        ))
    return out
