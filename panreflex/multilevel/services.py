"""Writes of the multi-level app: validated (`full_clean`), atomic and audited.

Imports are all-or-nothing with a report by row: every row is checked; if any is bad (a date that is
neither German nor ISO, an unknown level, an end before the start, an unknown actor, a hierarchy cycle),
`ImportFailed` lists every bad row with its message and nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot
from panreflex.lib.tabular import Table, split_multi, unsafe_cell

from .documents import MAX_DOCUMENTS, event_document_check
from .models import (
    ACTOR_LEVELS,
    LEVEL_RANK,
    TOPIC_FROM_SOURCE,
    Actor,
    Dataset,
    Event,
    EventDocument,
    EventKind,
    EventLink,
    Level,
    NavigatorEntry,
    Relation,
    Topic,
)

EVENT_FIELDS = (
    "level", "kind", "topic", "title", "legal_basis", "date_announced", "date_in_force", "date_end", "source_ref",
    "source_url", "note", "visibility",
)


# --- dates --------------------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(text: str) -> date | None:
    """ISO (2021-03-08) or German (08.03.2021, 8.3.2021) dates; empty → None; anything else ValueError."""
    value = (text or "").strip()
    if not value:
        return None
    if "T" in value and _ISO.match(value[:10]):  # XLSX cells with a time part
        value = value[:10]
    match = _ISO.match(value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _GERMAN.match(value)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise ValueError(_("“%(value)s” is not a date (use 31.12.2021 or 2021-12-31).") % {"value": text})


def _check_event_dates(event: Event) -> None:
    if not event.date_announced and not event.date_in_force:
        raise ValidationError({"date_in_force": _("Give the date it was announced or the date it came into force.")})
    event.start = event.date_in_force or event.date_announced
    if event.date_end and event.date_end < event.start:
        raise ValidationError({"date_end": _("The event ends before it starts.")})
    if event.date_announced and event.date_in_force and event.date_in_force < event.date_announced:
        raise ValidationError({"date_in_force": _("The event comes into force before it was announced.")})


# --- import reports -----------------------------------------------------------------------------------
@dataclass
class RowProblem:
    row: int  # the row of the file (1 = the header row)
    message: str


class ImportFailed(ValidationError):
    """An import with bad rows: `problems` names each of them; nothing was stored."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__([_("Row %(row)s: %(message)s") % {"row": p.row, "message": p.message} for p in problems])

    @property
    def summary(self) -> str:
        return ngettext("%(n)s row has a problem. Nothing was imported.",
                        "%(n)s rows have problems. Nothing was imported.", len(self.problems)) % {"n": len(self.problems)}


def _import_rows(rows, handle) -> int:
    """Run `handle(row, cells)` for every row, each in a savepoint; collect the bad rows and raise
    `ImportFailed` with all of them (the caller's transaction then stores nothing). Returns the rows done."""
    problems: list[RowProblem] = []
    done = 0
    for row, cells in rows:
        cells = {k: unsafe_cell(v or "").strip() for k, v in cells.items()}
        try:
            with transaction.atomic():
                handle(row, cells)
        except (ValueError, ValidationError) as exc:
            problems.append(RowProblem(row, _message(exc)))
        else:
            done += 1
    if problems:
        raise ImportFailed(problems)
    return done


# --- events -------------------------------------------------------------------------------------------
def _jurisdiction(municipality, level: str) -> str:
    if level in (Level.NATIONAL, Level.FEDERAL):
        return "DE"
    if level == Level.STATE:
        return "DE-NW" if municipality.ags.startswith("05") else "DE"
    return municipality.ags


@transaction.atomic
def event_create(*, organisation, author, municipality, title: str, level: str, topic: str,
                 kind: str = EventKind.MEASURE, legal_basis: str = "", date_announced=None, date_in_force=None,
                 date_end=None, source_ref: str = "", source_url: str = "", note: str = "",
                 visibility: str = "private", is_demo: bool = False, key: str = "", audit: bool = True) -> Event:
    event = Event(
        organisation=organisation, created_by=author if getattr(author, "is_authenticated", False) else None,
        dataset=Dataset.OWN, key=key, municipality=municipality, level=level,
        jurisdiction=_jurisdiction(municipality, level), kind=kind, topic=topic, title=(title or "").strip(),
        legal_basis=legal_basis, date_announced=date_announced, date_in_force=date_in_force, date_end=date_end,
        source_ref=source_ref, source_url=source_url, note=note, visibility=visibility, is_demo=is_demo,
    )
    _check_event_dates(event)
    if level == Level.NATIONAL:
        raise ValidationError({"level": _("The national value is OxCGRT's; choose the level that decided.")})
    event.full_clean()
    event.save()
    if audit:
        audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=event, changes=diff({}, snapshot(event)))
    return event


@transaction.atomic
def event_update(*, event: Event, actor, data: dict[str, Any]) -> Event:
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event)
    for key, value in data.items():
        setattr(event, key, value)
    if event.level == Level.NATIONAL:
        raise ValidationError({"level": _("The national value is OxCGRT's; choose the level that decided.")})
    event.jurisdiction = _jurisdiction(event.municipality, event.level)
    _check_event_dates(event)
    event.full_clean()
    event.save()
    changes = diff(before, snapshot(event))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=event, changes=changes)
    return event


@transaction.atomic
def event_delete(*, event: Event, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=event, changes=diff(snapshot(event), {}))
    files = [d.file for d in event.documents.all()]
    event.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


# --- source documents ---------------------------------------------------------------------------------
def event_document_add(*, event: Event, actor, uploaded, title: str = "") -> EventDocument:
    """Store an uploaded document as a source of an own measure (the caller has checked `change`)."""
    if event.is_reference:
        raise ValidationError(_("The shipped reference rows take no documents."))
    checked = event_document_check(uploaded)
    with transaction.atomic():
        if EventDocument.objects.filter(event=event).count() >= MAX_DOCUMENTS:
            raise ValidationError(_("An event has at most %(n)s documents; remove one first.") % {"n": MAX_DOCUMENTS})
        document = EventDocument(event=event, title=(title.strip() or uploaded.name)[:200], uploaded_by=actor,
                                 content_type=checked.content_type, extension=checked.extension, size=checked.size)
        document.file.save(f"source{checked.extension}", uploaded, save=False)
        try:
            document.full_clean()
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=event,
                     note=f"source document added: {document.title} ({checked.content_type}, {checked.size} bytes)")
    return document


def event_document_delete(*, document: EventDocument, actor) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=document.event,
                     note=f"source document removed: {document.title}")
        stored = document.file
        document.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


@transaction.atomic
def event_link_create(*, higher: Event, lower: Event, actor, kind: str = EventLink.Kind.IMPLEMENTS,
                      note: str = "") -> EventLink:
    if higher.pk == lower.pk:
        raise ValidationError(_("A rule cannot be linked to itself."))
    if LEVEL_RANK[Level(higher.level)] >= LEVEL_RANK[Level(lower.level)]:
        raise ValidationError(_("The higher rule must come from a higher level than the local measure."))
    if EventLink.objects.filter(higher=higher, lower=lower).exists():
        raise ValidationError(_("These two events are already linked."))
    link = EventLink(higher=higher, lower=lower, kind=kind, note=note)
    link.full_clean()
    link.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=lower, note=f"link from event {higher.pk}")
    return link


@transaction.atomic
def event_link_update_reflection(*, link: EventLink, actor, improvised: str, worked: str, transfer: str,
                                 insights=None, practices=None, transfer_to=None) -> EventLink:
    """The reflection on a rule → measure link: what was improvised, what worked (with the insights and
    practice examples that show it), what would transfer and to which other long crises. `insights`,
    `practices` and `transfer_to` (None: left as they are) must come from the policy-scoped choices."""
    link.improvised, link.worked, link.transfer = improvised.strip(), worked.strip(), transfer.strip()
    link.full_clean()
    link.save(update_fields=["improvised", "worked", "transfer"])
    if insights is not None:
        link.insights.set(insights)
    if practices is not None:
        link.practices.set(practices)
    if transfer_to is not None:
        link.transfer_to.set(transfer_to)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=link.lower, note=f"reflection on link {link.pk}")
    return link


REFLECTION_INSIGHT_KIND = {"improvised": "innovation", "worked": "strength", "transfer": "innovation"}


@transaction.atomic
def event_link_reflection_to_insight(*, link: EventLink, actor, field: str):
    """Turn one reflection field of a rule → measure link into an insight of the evidence app (owned by
    the organisation of the local measure, private until its editors change that). Asking twice for the
    same field returns the insight made the first time."""
    from django.conf import settings

    from panreflex.evidence.models import Insight
    from panreflex.evidence.services import insight_create
    from panreflex.taxonomy.models import Term

    if field not in REFLECTION_INSIGHT_KIND:
        raise ValueError(field)
    text = getattr(link, field).strip()
    if not text:
        raise ValidationError(_("Write the reflection first."))
    key = f"multilevel-link-{link.pk}-{field}"
    existing = Insight.objects.filter(external_key=key).first()
    if existing is not None:
        return existing
    label = f"{link.higher.title[:140]} → {link.lower.title[:140]}"
    return insight_create(
        organisation=link.lower.organisation, author=actor, statement=text[:2000], kind=REFLECTION_INSIGHT_KIND[field],
        themes=Term.objects.filter(vocabulary="theme", code="T1"),
        sources=[{"kind": "document", "label": label[:300], "url": settings.SITE_URL + link.lower.get_absolute_url()}],
        external_key=key,
    )


@transaction.atomic
def event_link_delete(*, link: EventLink, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=link.lower, note=f"link from event {link.higher_id}")
    link.delete()


# --- import of events ---------------------------------------------------------------------------------
EVENT_COLUMNS = ("event_id", "date_announced", "date_in_force", "date_end", "level", "topic", "title", "legal_basis",
                 "kind", "source_ref", "source_url", "note")
_LEVEL_WORDS = {
    **{c.value: c.value for c in Level},
    **{str(c.label).lower(): c.value for c in Level},
    "bund": Level.FEDERAL, "land": Level.STATE, "bezirksregierung": Level.DISTRICT_GOVERNMENT,
    "kreis": Level.DISTRICT, "kommune": Level.MUNICIPALITY, "stadt": Level.MUNICIPALITY, "gemeinde": Level.MUNICIPALITY,
    "zivilgesellschaft": Level.CIVIL_SOCIETY,
}


def _level(text: str, allowed=None) -> str:
    value = _LEVEL_WORDS.get((text or "").strip().lower())
    if value is None or (allowed is not None and value not in allowed):
        names = ", ".join(str(c) for c in (allowed or [lv.value for lv in Level]))
        raise ValueError(_("unknown level “%(value)s” (allowed: %(names)s)") % {"value": text, "names": names})
    return value


def _topic(text: str) -> str:
    value = (text or "").strip()
    low = value.lower()
    for choice in Topic:
        if low in (choice.value, str(choice.label).lower()):
            return choice.value
    if low in TOPIC_FROM_SOURCE:
        return TOPIC_FROM_SOURCE[low].value
    raise ValueError(_("unknown topic “%(value)s”") % {"value": text})


def _choice(text: str, choices, default: str, what: str) -> str:
    value = (text or "").strip()
    if not value:
        return default
    for choice in choices:
        if value.lower() in (choice.value, str(choice.label).lower()):
            return choice.value
    raise ValueError(_("unknown %(what)s “%(value)s”") % {"what": what, "value": text})


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(" ".join(str(m) for m in msgs) for msgs in exc.message_dict.values()) \
            if hasattr(exc, "error_dict") else " ".join(str(m) for m in exc.messages)
    return str(exc)


def _missing_columns(table: Table, required: Iterable[str]) -> None:
    missing = [c for c in required if c not in table.headers]
    if missing:
        raise ValidationError(_("The file lacks the column(s) %(cols)s. Nothing was imported.") % {"cols": ", ".join(missing)})


def _own_event(key: str, organisation) -> Event | None:
    """The organisation's own event an imported `event_id` names: its identifier, or `panreflex-<id>` as the
    export writes it for events entered without one."""
    if not key:
        return None
    own = Event.objects.filter(dataset=Dataset.OWN, organisation=organisation)
    found = own.filter(key=key).first()
    if found is None and key.startswith("panreflex-") and key[10:].isdigit():
        found = own.filter(pk=int(key[10:]), key="").first()
    return found


@transaction.atomic
def events_import(*, table: Table, organisation, municipality, author, visibility: str = "private") -> list[Event]:
    """Import a city's own measures (columns as in the export). All rows or none (`ImportFailed` names
    every bad row); an `event_id` that names one of the organisation's measures updates it."""
    _missing_columns(table, ("title", "level", "topic"))
    if "date_in_force" not in table.headers and "date_announced" not in table.headers:
        raise ValidationError(_("The file needs a date_in_force or a date_announced column. Nothing was imported."))
    created: list[Event] = []
    seen: dict[str, int] = {}

    def handle(row: int, cells: dict[str, str]) -> None:
        data = dict(
            title=cells.get("title", ""), level=_level(cells.get("level", "")), topic=_topic(cells.get("topic", "")),
            kind=_choice(cells.get("kind", ""), EventKind, EventKind.MEASURE, _("kind")),
            legal_basis=cells.get("legal_basis", "")[:300], date_announced=parse_date(cells.get("date_announced", "")),
            date_in_force=parse_date(cells.get("date_in_force", "")), date_end=parse_date(cells.get("date_end", "")),
            source_ref=cells.get("source_ref", "")[:300], source_url=cells.get("source_url", "")[:1000],
            note=cells.get("note", ""),
        )
        key = cells.get("event_id", "")[:120]
        if key and key in seen:
            raise ValueError(_("the identifier “%(key)s” is already used in row %(row)s") % {"key": key, "row": seen[key]})
        if key:
            seen[key] = row
        existing = _own_event(key, organisation)
        if existing is not None:
            created.append(event_update(event=existing, actor=author, data=data))
            return
        if key.startswith("panreflex-"):
            raise ValueError(_("the identifier “%(key)s” names no measure of this organisation") % {"key": key})
        created.append(event_create(organisation=organisation, author=author, municipality=municipality,
                                    visibility=visibility, key=key, audit=False, **data))

    if not _import_rows(table.dicts(), handle):
        raise ValidationError(_("The file has no rows. Nothing was imported."))
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=created[0], note=f"{len(created)} events imported")
    return created


# --- actors and relations -----------------------------------------------------------------------------
ACTOR_FIELDS = ("name", "level", "kind", "place", "parent_body", "contact_role", "note", "visibility", "contact_name",
                "contact_email", "contact_phone", "contact_consent_on", "contact_consent_note")
PERSONAL_CONTACT = ("contact_name", "contact_email", "contact_phone")
ACTOR_LEVEL_VALUES = [c.value for c in ACTOR_LEVELS]
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+|\b0)\d[\d /()-]{5,}\d")


def _check_actor(actor: Actor) -> None:
    """No personal contact data without recorded consent, and none hidden in the role, name or note."""
    errors = {}
    for name in ("name", "contact_role", "parent_body", "note"):
        value = getattr(actor, name) or ""
        if _EMAIL.search(value) or _PHONE.search(value):
            errors[name] = _("No e-mail addresses or phone numbers here: enter them as personal contact data, "
                             "with the date the person agreed.")
    if any(getattr(actor, f) for f in PERSONAL_CONTACT) and not actor.contact_consent_on:
        errors["contact_consent_on"] = _("Personal contact data only with recorded consent: give the day the "
                                         "person agreed, or leave the contact person, e-mail and phone empty.")
    if actor.contact_consent_on and actor.contact_consent_on > timezone.localdate():
        errors["contact_consent_on"] = _("The consent cannot be recorded for a day in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def actor_create(*, organisation, author, municipality, name: str, level: str, kind: str, parent_body: str = "",
                 contact_role: str = "", note: str = "", place=None, visibility: str = "private",
                 contact_name: str = "", contact_email: str = "", contact_phone: str = "", contact_consent_on=None,
                 contact_consent_note: str = "", is_demo: bool = False, audit: bool = True) -> Actor:
    actor = Actor(
        organisation=organisation, created_by=author if getattr(author, "is_authenticated", False) else None,
        municipality=municipality, name=(name or "").strip(), level=level, kind=kind, place=place,
        parent_body=parent_body, contact_role=contact_role, note=note, visibility=visibility, is_demo=is_demo,
        contact_name=contact_name, contact_email=contact_email, contact_phone=contact_phone,
        contact_consent_on=contact_consent_on, contact_consent_note=contact_consent_note,
    )
    _check_actor(actor)
    if Actor.objects.filter(municipality=municipality, organisation=organisation, name__iexact=actor.name).exists():
        raise ValidationError({"name": _("An actor of this name is already in the network.")})
    actor.full_clean()
    actor.save()
    if audit:
        audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=actor, changes=diff({}, snapshot(actor)))
    return actor


@transaction.atomic
def actor_update(*, actor_obj: Actor, actor, data: dict[str, Any]) -> Actor:
    unknown = set(data) - set(ACTOR_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    obj = Actor.objects.select_for_update().get(pk=actor_obj.pk)
    before = snapshot(obj)
    for key, value in data.items():
        setattr(obj, key, value)
    _check_actor(obj)
    if Actor.objects.filter(municipality=obj.municipality, organisation=obj.organisation,
                            name__iexact=obj.name).exclude(pk=obj.pk).exists():
        raise ValidationError({"name": _("An actor of this name is already in the network.")})
    obj.full_clean()
    obj.save()
    changes = diff(before, snapshot(obj))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, changes=changes)
    return obj


@transaction.atomic
def actor_delete(*, actor_obj: Actor, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=actor_obj, changes=diff(snapshot(actor_obj), {}))
    actor_obj.delete()


def _periods_overlap(a_from, a_to, b_from, b_to) -> bool:
    return (a_to is None or b_from is None or b_from <= a_to) and (b_to is None or a_from is None or a_from <= b_to)


def would_make_cycle(*, source: Actor, target: Actor, valid_from=None, valid_to=None, extra=()) -> bool:
    """Would source → target (gives directives to) close a cycle of directive relations valid at the same
    time? `extra` holds (source_id, target_id, from, to) of relations not yet stored (imports)."""
    edges: dict[int, list[int]] = {}
    stored = Relation.objects.filter(kind__in=Relation.HIERARCHY, source__municipality_id=source.municipality_id)
    for s, t, f, u in [*stored.values_list("source_id", "target_id", "valid_from", "valid_to"), *extra]:
        if _periods_overlap(f, u, valid_from, valid_to):
            edges.setdefault(s, []).append(t)
    seen, stack = set(), [target.pk]
    while stack:
        node = stack.pop()
        if node == source.pk:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return False


def _check_relation(relation: Relation, extra=()) -> None:
    if relation.source_id == relation.target_id:
        raise ValidationError(_("An actor cannot have a relation to itself."))
    if relation.source.municipality_id != relation.target.municipality_id:
        raise ValidationError(_("Both actors must belong to the same network."))
    if relation.valid_from and relation.valid_to and relation.valid_to < relation.valid_from:
        raise ValidationError({"valid_to": _("The relation ends before it starts.")})
    if relation.kind in Relation.HIERARCHY and would_make_cycle(
        source=relation.source, target=relation.target, valid_from=relation.valid_from, valid_to=relation.valid_to,
        extra=extra,
    ):
        raise ValidationError(
            _("“%(source)s gives directives to %(target)s” would make a cycle: %(target)s already gives directives "
              "(directly or through others) to %(source)s in that period.")
            % {"source": relation.source.name, "target": relation.target.name}
        )


@transaction.atomic
def relation_create(*, organisation, author, source: Actor, target: Actor, kind: str, valid_from=None, valid_to=None,
                    topic: str = "", source_ref: str = "", note: str = "", visibility: str = "private",
                    is_demo: bool = False, audit: bool = True, extra=()) -> Relation:
    relation = Relation(
        organisation=organisation, created_by=author if getattr(author, "is_authenticated", False) else None,
        source=source, target=target, kind=kind, topic=topic, valid_from=valid_from, valid_to=valid_to, source_ref=source_ref,
        note=note, visibility=visibility, is_demo=is_demo,
    )
    _check_relation(relation, extra)
    relation.full_clean()
    relation.save()
    if audit:
        audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=relation, changes=diff({}, snapshot(relation)))
    return relation


@transaction.atomic
def relation_delete(*, relation: Relation, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=relation, changes=diff(snapshot(relation), {}))
    relation.delete()


NETWORK_COLUMNS = ("source", "source_level", "source_type", "relation", "target", "target_level", "target_type",
                   "valid_from", "valid_to", "topic", "source_ref", "note")


@dataclass
class ColumnMapping:
    """How to read relations out of another table, e.g. the CSV export of a survey: which column names the
    source actor (or one fixed actor, e.g. the answering office), which the target(s) (several in one cell,
    separated by ; | or , as a multiple-choice answer exports them), and which the relation (or a fixed one,
    e.g. "coordinates" for the question "With whom did you coordinate?")."""

    target_column: str
    source_column: str = ""
    fixed_source: str = ""
    relation_column: str = ""
    fixed_relation: str = ""
    separator: str = ""  # between several partners in one cell; empty: ; | or , (whichever comes first)


def _mapped_rows(table: Table, mapping: ColumnMapping):
    needed = [c for c in (mapping.target_column, mapping.source_column, mapping.relation_column) if c]
    _missing_columns(table, needed)
    if not (mapping.source_column or mapping.fixed_source) or not (mapping.relation_column or mapping.fixed_relation):
        raise ValidationError(_("Name a column or a fixed value for the source actor and for the relation."))
    for row, cells in table.dicts():
        source = mapping.fixed_source or cells.get(mapping.source_column, "")
        relation = mapping.fixed_relation or cells.get(mapping.relation_column, "")
        value = cells.get(mapping.target_column, "")
        targets = [t.strip() for t in value.split(mapping.separator) if t.strip()] if mapping.separator \
            else split_multi(value)
        for target in targets:
            yield row, {"source": source, "relation": relation, "target": target}


@transaction.atomic
def network_import(*, table: Table, organisation, municipality, author, visibility: str = "private",
                   create_actors: bool = False, mapping: ColumnMapping | None = None) -> dict[str, int]:
    """Import relations (columns as in the CSV export, or read through a `ColumnMapping`). Actors are found
    by name in the organisation's part of the network; with `create_actors` an unknown actor is added with
    the level and type given in its row (municipality and "other" when the row has none), otherwise it is
    an error naming the row. All rows or none (`ImportFailed` names every bad row)."""
    if mapping is None:
        _missing_columns(table, ("source", "relation", "target"))
        rows = table.dicts()
    else:
        rows = _mapped_rows(table, mapping)
    actors = {a.name.lower(): a for a in Actor.objects.filter(municipality=municipality, organisation=organisation)}
    counts = {"relations": 0, "actors": 0}

    def handle(row: int, cells: dict[str, str]) -> None:
        ends, new = [], []
        for side in ("source", "target"):
            name = cells.get(side, "")
            if not name:
                raise ValueError(_("the column %(col)s is empty") % {"col": side})
            found = actors.get(name.lower())
            if found is None:
                if not create_actors:
                    raise ValueError(_("the actor “%(name)s” is unknown in this network") % {"name": name})
                found = actor_create(
                    organisation=organisation, author=author, municipality=municipality, name=name,
                    level=_level(cells.get(f"{side}_level", "") or Level.MUNICIPALITY, ACTOR_LEVEL_VALUES),
                    kind=_choice(cells.get(f"{side}_type", ""), Actor.Kind, Actor.Kind.OTHER, _("type")),
                    visibility=visibility, audit=False,
                )
                new.append(found)
            ends.append(found)
        relation_create(
            organisation=organisation, author=author, source=ends[0], target=ends[1],
            kind=_choice(cells.get("relation", ""), Relation.Kind, "", _("relation")) or _missing_relation(),
            topic=_topic(cells["topic"]) if cells.get("topic") else "",
            valid_from=parse_date(cells.get("valid_from", "")), valid_to=parse_date(cells.get("valid_to", "")),
            source_ref=cells.get("source_ref", "")[:500], note=cells.get("note", ""), visibility=visibility,
            audit=False,
        )
        for actor in new:  # only once the row is stored (a bad row's savepoint takes its new actors back)
            actors[actor.name.lower()] = actor
        counts["actors"] += len(new)
        counts["relations"] += 1

    if not _import_rows(rows, handle):
        raise ValidationError(_("The file has no rows. Nothing was imported."))
    return counts


def _missing_relation():
    raise ValueError(_("the column relation is empty"))


# --- navigator ----------------------------------------------------------------------------------------
NAVIGATOR_FIELDS = ("topic", "period_start", "period_end", "deciding_level", "implementing_level", "legal_basis",
                    "summary", "is_published")


@transaction.atomic
def navigator_entry_save(*, entry: NavigatorEntry | None, actor, data: dict[str, Any], events=()) -> NavigatorEntry:
    unknown = set(data) - set(NAVIGATOR_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    created = entry is None
    entry = entry or NavigatorEntry(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    before = {} if created else snapshot(entry)
    for key, value in data.items():
        setattr(entry, key, value)
    if entry.period_end and entry.period_start and entry.period_end < entry.period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    entry.full_clean()
    entry.save()
    entry.events.set(events)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE, obj=entry,
                 changes=diff(before, snapshot(entry)))
    return entry


@transaction.atomic
def navigator_entry_delete(*, entry: NavigatorEntry, actor) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=entry, changes=diff(snapshot(entry), {}))
    entry.delete()
