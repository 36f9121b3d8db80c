"""Building questionnaires: surveys, versions, items, choice lists."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts.models import Organisation, User
from panreflex.audit.services import audit_record, diff, snapshot

from .. import expressions
from ..models import Choice, ChoiceList, Item, Survey, SurveyVersion, new_token

NAME_RE = re.compile(r"^[^\W\d][\w.\-]*$")

# Default 5-point agreement scale for Likert questions built in the UI
LIKERT_DEFAULT = [
    ("1", "stimme überhaupt nicht zu", "strongly disagree"),
    ("2", "stimme eher nicht zu", "disagree"),
    ("3", "teils, teils", "neither agree nor disagree"),
    ("4", "stimme eher zu", "agree"),
    ("5", "stimme voll und ganz zu", "strongly agree"),
]
YESNO_DEFAULT = [("yes", "Ja", "Yes"), ("no", "Nein", "No")]


class SurveyError(ValidationError):
    """A precise, translated message about why a survey change is refused."""


SURVEY_FIELDS = ["title", "title_en", "description", "anonymous", "starts_at", "ends_at", "visibility"]


@transaction.atomic
def survey_create(
    *, actor: User | None, organisation: Organisation, title: str, title_en: str = "", description: str = "",
    anonymous: bool = False, starts_at=None, ends_at=None, visibility: str = "private", form_id: str = "",
    is_demo: bool = False,
) -> Survey:
    survey = Survey(
        organisation=organisation, title=title, title_en=title_en, description=description, anonymous=anonymous,
        starts_at=starts_at, ends_at=ends_at, visibility=visibility, created_by=actor, form_id=form_id[:100],
        is_demo=is_demo,
    )
    _check_dates(survey)
    survey.full_clean()
    survey.save()
    SurveyVersion.objects.create(survey=survey, number=1)
    audit_record(actor=actor, action="create", obj=survey, changes=snapshot(survey, fields=SURVEY_FIELDS))
    return survey


def _check_dates(survey: Survey) -> None:
    if survey.starts_at and survey.ends_at and survey.ends_at <= survey.starts_at:
        raise SurveyError({"ends_at": _("The end must be after the start.")})


@transaction.atomic
def survey_update(*, actor: User | None, survey: Survey, open_link: bool | None = None, **fields) -> Survey:
    before = snapshot(survey, fields=SURVEY_FIELDS)
    for key, value in fields.items():
        if key not in SURVEY_FIELDS:
            raise TypeError(key)
        if key == "anonymous" and value != survey.anonymous and survey.responses.exists():
            raise SurveyError(_("Anonymity cannot be changed once responses exist."))
        setattr(survey, key, value)
    if open_link is True and not survey.open_token:
        survey.open_token = new_token()
    elif open_link is False:
        survey.open_token = ""
    _check_dates(survey)
    survey.full_clean()
    survey.save()
    changes = diff(before, snapshot(survey, fields=SURVEY_FIELDS))
    audit_record(actor=actor, action="update", obj=survey, changes=changes)
    return survey


@transaction.atomic
def survey_delete(*, actor: User | None, survey: Survey) -> None:
    audit_record(actor=actor, action="delete", obj=survey, changes=snapshot(survey, fields=SURVEY_FIELDS))
    survey.delete()


def current_version(survey: Survey) -> SurveyVersion:
    return survey.versions.order_by("-number").first()


def fielded_version(survey: Survey) -> SurveyVersion | None:
    """The latest frozen version: the one new respondents answer."""
    return survey.versions.filter(frozen_at__isnull=False).order_by("-number").first()


def version_editable(survey: Survey) -> SurveyVersion | None:
    version = current_version(survey)
    return None if version is None or version.is_frozen else version


@transaction.atomic
def survey_start_fieldwork(*, actor: User | None, survey: Survey) -> Survey:
    """Freeze the current version and open the survey for answers."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    version = current_version(survey)
    if not Item.objects.filter(version=version).exclude(kind__in=[*Item.CONTAINERS, Item.Kind.NOTE]).exists():
        raise SurveyError(_("The questionnaire has no questions yet."))
    if not version.is_frozen:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    survey.status = Survey.Status.FIELD
    survey.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=survey, changes={"status": ["draft", "field"], "version": version.number})
    return survey


@transaction.atomic
def survey_close(*, actor: User | None, survey: Survey) -> Survey:
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=survey, changes={"status": ["field", "closed"]})
    return survey


@transaction.atomic
def version_new(*, actor: User | None, survey: Survey) -> SurveyVersion:
    """Copy the current (frozen) version into a new editable one."""
    source = current_version(survey)
    if not source.is_frozen:
        return source
    target = SurveyVersion.objects.create(survey=survey, number=source.number + 1, languages=source.languages,
                                          settings=source.settings)
    list_map: dict[int, ChoiceList] = {}
    for cl in source.choice_lists.order_by("pk"):
        new = ChoiceList.objects.create(version=target, name=cl.name, source_file=cl.source_file,
                                        source_csv=cl.source_csv)
        list_map[cl.pk] = new
        Choice.objects.bulk_create(
            [Choice(choice_list=new, name=c.name, labels=c.labels, position=c.position, filters=c.filters)
             for c in cl.choices.all()]
        )
    item_map: dict[int, Item] = {}
    pending = list(Item.objects.filter(version=source).order_by("position", "pk"))
    while pending:
        rest = []
        for item in pending:
            if item.parent_id and item.parent_id not in item_map:
                rest.append(item)
                continue
            old_pk, old_parent, old_list = item.pk, item.parent_id, item.choice_list_id
            item.pk = None
            item.version = target
            item.parent = item_map.get(old_parent)
            item.choice_list = list_map.get(old_list)
            item.save()
            item_map[old_pk] = item
        pending = rest
    audit_record(actor=actor, action="update", obj=survey, changes={"version": [source.number, target.number]})
    return target


def _require_editable(version: SurveyVersion) -> None:
    if version.is_frozen:
        raise SurveyError(_("This version is in the field and frozen. Create a new version to change the questionnaire."))


def known_names(version: SurveyVersion, *, exclude: Item | None = None) -> set[str]:
    qs = Item.objects.filter(version=version)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return set(qs.values_list("name", flat=True))


def _validate_item(item: Item) -> None:
    errors: dict[str, str] = {}
    if not NAME_RE.match(item.name or ""):
        errors["name"] = _("Use letters, digits, “_”, “-” or “.”, starting with a letter or “_”.")
    elif Item.objects.filter(version=item.version, name=item.name).exclude(pk=item.pk).exists():
        errors["name"] = _("The name “%(name)s” is already used in this questionnaire.") % {"name": item.name}
    names = known_names(item.version, exclude=item) | {item.name}
    for field_name in ("relevant", "constraint", "calculation", "choice_filter"):
        text = getattr(item, field_name)
        if text.strip():
            try:
                if field_name == "choice_filter":
                    tree = expressions.parse(text, columns=True)
                    missing = sorted(expressions.references(tree) - names)
                    if missing:
                        raise expressions.ExpressionError(
                            _("The expression refers to unknown question(s): %(names)s.") % {"names": ", ".join(missing)})
                else:
                    expressions.check(text, names, allow_self=field_name == "constraint")
            except expressions.ExpressionError as exc:
                errors[field_name] = str(exc)
    if item.kind == Item.Kind.CALCULATE and not item.calculation.strip():
        errors["calculation"] = _("A calculation needs a formula.")
    if item.min_value is not None and item.max_value is not None and item.min_value > item.max_value:
        errors["max_value"] = _("The maximum must not be below the minimum.")
    if item.parent_id:
        parent = item.parent
        if parent.version_id != item.version_id or not parent.is_container:
            errors["parent"] = _("Questions can only be placed in a section.")
        elif parent.kind == Item.Kind.MATRIX and item.kind != Item.Kind.LIKERT:
            errors["kind"] = _("A Likert matrix contains only Likert rows.")
    if item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.RANKING, Item.Kind.LOOP) and not item.choice_list_id:
        errors["choices"] = _("Give at least one answer option.")
    if item.allow_other and item.kind not in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
        errors["allow_other"] = _("“Other, namely” is only possible for single and multiple choice.")
    if errors:
        raise SurveyError(errors)


ITEM_FIELDS = [
    "kind", "name", "labels", "hints", "required", "relevant", "constraint", "constraint_messages", "allow_other",
    "randomize", "unit", "min_value", "max_value", "repeat_count", "appearance", "extra", "calculation",
    "choice_filter", "default", "read_only", "trigger",
]


@transaction.atomic
def choice_list_set(*, version: SurveyVersion, name: str, choices: list[tuple[str, dict]]) -> ChoiceList:
    """Create or replace a choice list: choices = [(code, {"de": ..., "en": ...}), ...]."""
    _require_editable(version)
    if not choices:
        raise SurveyError({"choices": _("Give at least one answer option.")})
    codes = [c for c, _l in choices]
    for code in codes:
        if not NAME_RE.match(code) and not re.fullmatch(r"[\w.\-]+", code):
            raise SurveyError({"choices": _("The code “%(code)s” is not valid (letters, digits, “_”, “-”, “.”).") % {"code": code}})
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise SurveyError({"choices": _("The code “%(code)s” appears twice.") % {"code": dupes[0]}})
    cl, _created = ChoiceList.objects.get_or_create(version=version, name=name)
    kept = {}  # the further columns (choice_filter columns, media) of codes that stay
    for old in cl.choices.all():
        kept.setdefault(old.name, old.filters)
    cl.choices.all().delete()
    Choice.objects.bulk_create(
        [Choice(choice_list=cl, name=code, labels=labels, position=i, filters=kept.get(code, {}))
         for i, (code, labels) in enumerate(choices)]
    )
    return cl


def _default_list(version: SurveyVersion, kind: str) -> ChoiceList | None:
    if kind == Item.Kind.LIKERT:
        name, rows = "agree5", LIKERT_DEFAULT
    elif kind == Item.Kind.YESNO:
        name, rows = "yes_no", YESNO_DEFAULT
    else:
        return None
    existing = ChoiceList.objects.filter(version=version, name=name).first()
    if existing:
        return existing
    return choice_list_set(version=version, name=name, choices=[(c, {"de": de, "en": en}) for c, de, en in rows])


@transaction.atomic
def item_create(
    *, actor: User | None, version: SurveyVersion, kind: str, name: str, parent: Item | None = None,
    choices: list[tuple[str, dict]] | None = None, position: int | None = None, **fields,
) -> Item:
    _require_editable(version)
    if position is None:
        position = (Item.objects.filter(version=version, parent=parent).aggregate(m=Max("position"))["m"] or 0) + 1
    item = Item(version=version, parent=parent, kind=kind, name=name, position=position)
    for key, value in fields.items():
        if key not in ITEM_FIELDS:
            raise TypeError(key)
        setattr(item, key, value)
    if choices:
        item.choice_list = choice_list_set(version=version, name=f"{name}_choices", choices=choices)
    elif parent is not None and parent.kind == Item.Kind.MATRIX and not item.choice_list_id:
        sibling = Item.objects.filter(parent=parent).exclude(choice_list=None).first()
        item.choice_list = sibling.choice_list if sibling else _default_list(version, Item.Kind.LIKERT)
    else:
        item.choice_list = _default_list(version, kind)
    _validate_item(item)
    item.full_clean(exclude=["version", "parent", "choice_list", "labels", "hints", "constraint_messages", "extra"])
    item.save()
    audit_record(actor=actor, action="create", obj=version.survey, changes={"question": [None, item.name]})
    return item


@transaction.atomic
def item_update(*, actor: User | None, item: Item, choices: list[tuple[str, dict]] | None = None, **fields) -> Item:
    _require_editable(item.version)
    before = snapshot(item, fields=ITEM_FIELDS)
    for key, value in fields.items():
        if key not in ITEM_FIELDS:
            raise TypeError(key)
        setattr(item, key, value)
    if choices is not None and item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.RANKING, Item.Kind.LIKERT):
        list_name = item.choice_list.name if item.choice_list_id else f"{item.name}_choices"
        shared = item.choice_list_id and Item.objects.filter(choice_list_id=item.choice_list_id).exclude(pk=item.pk).exists()
        if shared:
            list_name = f"{item.name}_choices"
        item.choice_list = choice_list_set(version=item.version, name=list_name, choices=choices)
    elif not item.choice_list_id:
        item.choice_list = _default_list(item.version, item.kind)
    _validate_item(item)
    item.full_clean(exclude=["version", "parent", "choice_list", "labels", "hints", "constraint_messages", "extra"])
    item.save()
    audit_record(actor=actor, action="update", obj=item.version.survey,
                 changes={f"{item.name}.{k}": v for k, v in diff(before, snapshot(item, fields=ITEM_FIELDS)).items()})
    return item


@transaction.atomic
def item_delete(*, actor: User | None, item: Item) -> None:
    _require_editable(item.version)
    names = known_names(item.version) - {item.name} - {c.name for c in item.children.all()}
    for other in Item.objects.filter(version=item.version).exclude(pk=item.pk):
        for field_name in ("relevant", "constraint", "calculation", "choice_filter"):
            text = getattr(other, field_name)
            try:
                refs = expressions.references(expressions.parse(text, columns=field_name == "choice_filter")) if text else set()
            except expressions.ExpressionError:
                refs = set()
            if item.name in refs:
                raise SurveyError(
                    _("“%(other)s” refers to “%(name)s” in its %(field)s; change that first.")
                    % {"other": other.name, "name": item.name, "field": field_name}
                )
    del names
    audit_record(actor=actor, action="delete", obj=item.version.survey, changes={"question": [item.name, None]})
    item.delete()


@transaction.atomic
def item_move(*, actor: User | None, item: Item, direction: int) -> None:
    _require_editable(item.version)
    siblings = list(Item.objects.filter(version=item.version, parent_id=item.parent_id).order_by("position", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index + direction
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for pos, sibling in enumerate(siblings, start=1):
            if sibling.position != pos:
                sibling.position = pos
                sibling.save(update_fields=["position"])


def decimal_or_none(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))
