"""Reads of the multi-level app; every queryset of restricted rows goes through the access policy
(`accounts.policy`, where `rules.py` registers the rules of this app)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from panreflex.accounts import access
from panreflex.accounts.models import Organisation
from panreflex.core.datasources import DATASETS
from panreflex.places.models import Place

from .models import (
    DATASET_CREDIT_KEY,
    LEVEL_RANK,
    Actor,
    Dataset,
    Event,
    EventDocument,
    EventLink,
    Level,
    NavigatorEntry,
    Relation,
    Series,
)

STATE_ISO = {
    "01": "DE-SH", "02": "DE-HH", "03": "DE-NI", "04": "DE-HB", "05": "DE-NW", "06": "DE-HE", "07": "DE-RP",
    "08": "DE-BW", "09": "DE-BY", "10": "DE-SL", "11": "DE-BE", "12": "DE-BB", "13": "DE-MV", "14": "DE-SN",
    "15": "DE-ST", "16": "DE-TH",
}
EVENT_LIST_FIELDS = ("id", "level", "start", "date_end", "date_announced", "date_in_force", "title", "dataset", "topic",
                     "legal_basis", "organisation_id", "visibility", "released_at", "kind", "municipality_id")


def level_labels() -> dict[str, str]:
    return {c.value: str(c.label) for c in Level}


def cities() -> QuerySet[Place]:
    """Municipalities with a chronology or a network: the partner cities with series, and any with actors
    or own measures."""
    ids = set(Series.objects.filter(municipality__isnull=False).values_list("municipality_id", flat=True))
    ids |= set(Actor.objects.values_list("municipality_id", flat=True).distinct())
    ids |= set(Event.objects.filter(municipality__isnull=False).values_list("municipality_id", flat=True).distinct())
    return Place.objects.filter(pk__in=ids).order_by("name")


def get_city_or_404(ags: str) -> Place:
    place = Place.objects.filter(kind=Place.Kind.MUNICIPALITY, ags=ags).first()
    if place is None:
        raise Http404
    return place


def jurisdictions(city: Place) -> list[str]:
    return ["DE", STATE_ISO.get(city.ags[:2], ""), city.ags]


def city_events_q(city: Place) -> Q:
    return Q(organisation__isnull=True, municipality__isnull=True, jurisdiction__in=jurisdictions(city)) | Q(municipality=city)


@dataclass
class EventFilters:
    levels: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)


def city_events(*, viewer, city: Place, filters: EventFilters | None = None) -> QuerySet[Event]:
    qs = access.scope(viewer, Event.objects.filter(city_events_q(city)))
    if filters:
        if filters.levels:
            qs = qs.filter(level__in=filters.levels)
        if filters.topics:
            qs = qs.filter(topic__in=filters.topics)
        if filters.datasets:
            qs = qs.filter(dataset__in=filters.datasets)
    return qs.order_by("start", "id")


class EventRow(NamedTuple):
    pk: int
    level: str
    start: date
    date_end: date | None
    date_announced: date | None
    date_in_force: date | None
    title: str
    dataset: str


def event_rows(qs: QuerySet[Event]) -> list[EventRow]:
    return [EventRow(*row) for row in qs.values_list("pk", *EventRow._fields[1:])]


def events_by_pk(pks: list[int]) -> list[Event]:
    """The events of `pks` as model instances, in that order (the table page of the chronology)."""
    found = Event.objects.only(*EVENT_LIST_FIELDS).in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def in_window(qs: QuerySet[Event], start: date, end: date) -> QuerySet[Event]:
    """Events that touch the window: started in it, or started before and ended in or after it."""
    return qs.filter(Q(start__gte=start, start__lte=end) | Q(start__lt=start, date_end__gte=start))


def city_series(city: Place) -> list[Series]:
    order = {"incidence": 0, "icu": 1, "stringency": 2, "other": 3}
    series = list(Series.objects.filter(Q(municipality=city) | Q(municipality__isnull=True))
                  .exclude(kind=Series.Kind.INDICATOR))
    return sorted(series, key=lambda s: (order.get(s.kind, 9), s.label, s.pk))


def city_links(*, viewer, city: Place) -> QuerySet[EventLink]:
    return access.scope(viewer, EventLink.objects.filter(lower__municipality=city)).select_related("higher", "lower")


@dataclass
class CityFigures:
    city: Place
    measures: int = 0  # the city's own measures the viewer sees
    lead: list[int] = field(default_factory=list)  # lead times of those with both dates
    reaction: list[int] = field(default_factory=list)  # reaction times of their links to higher rules

    @property
    def lead_median(self) -> float | None:
        return statistics.median(self.lead) if self.lead else None

    @property
    def reaction_median(self) -> float | None:
        return statistics.median(self.reaction) if self.reaction else None


def figures_by_city(*, viewer) -> list[CityFigures]:
    """Per city with own measures: how many, the median lead time (announced → in force) and the median
    local reaction time (higher rule → measure), over what `viewer` may see. Two queries."""
    by_city: dict[int, CityFigures] = {}
    own = access.scope(viewer, Event.objects.filter(municipality__isnull=False, organisation__isnull=False))
    for city_id, announced, in_force in own.values_list("municipality_id", "date_announced", "date_in_force"):
        figures = by_city.setdefault(city_id, CityFigures(city=None))
        figures.measures += 1
        if announced and in_force:
            figures.lead.append((in_force - announced).days)
    links = (access.scope(viewer, EventLink.objects.filter(lower__municipality__isnull=False))
             .values_list("lower__municipality_id", "higher__start", "lower__start"))
    for city_id, higher_start, lower_start in links:
        by_city.setdefault(city_id, CityFigures(city=None)).reaction.append((lower_start - higher_start).days)
    places = Place.objects.in_bulk(list(by_city))
    for city_id, figures in by_city.items():
        figures.city = places[city_id]
    return sorted(by_city.values(), key=lambda f: f.city.name)


def reaction_by_city(*, viewer) -> list[tuple[Place, int, float]]:
    """(city, linked measures, median local reaction time in days) for every city with links."""
    return [(f.city, len(f.reaction), f.reaction_median) for f in figures_by_city(viewer=viewer) if f.reaction]


def credits_for(datasets) -> list[tuple[str, str, str]]:
    """(title, licence, credit line) of the shipped datasets among `datasets`, in a fixed order."""
    out = []
    for ds in (Dataset.OXCGRT, Dataset.CCCSL, Dataset.CURATED):
        if ds in datasets:
            d = DATASETS[DATASET_CREDIT_KEY[ds]]
            out.append((str(d.title), str(d.licence), d.credit))
    return out


def higher_candidates(*, viewer, event: Event) -> QuerySet[Event]:
    """Rules of a higher level that may be linked to `event` (a local measure)."""
    rank = LEVEL_RANK[Level(event.level)]
    higher = [lv for lv, r in LEVEL_RANK.items() if r < rank]
    qs = access.scope(viewer, Event.objects.filter(level__in=higher))
    if event.municipality_id:
        qs = qs.filter(city_events_q(event.municipality))
    # rules from the year before the measure up to a month after it (a city may act before a rule is in force)
    qs = qs.filter(start__gte=event.start - timedelta(days=365), start__lte=event.start + timedelta(days=30))
    return qs.exclude(pk=event.pk).only("id", "title", "start", "level", "dataset").order_by("-start")


# --- network ------------------------------------------------------------------------------------------
@dataclass
class NetworkFilters:
    levels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    start: date | None = None  # the period: relations valid on at least one day of [start, end]
    end: date | None = None


def network(*, viewer, city: Place, filters: NetworkFilters | None = None) -> tuple[list[Actor], list[Relation]]:
    filters = filters or NetworkFilters()
    actors = access.scope(viewer, Actor.objects.filter(municipality=city)).order_by("name")
    if filters.levels:
        actors = actors.filter(level__in=filters.levels)
    actors = list(actors)
    ids = {a.pk for a in actors}
    relations = access.scope(viewer, Relation.objects.filter(source_id__in=ids, target_id__in=ids)).select_related(
        "source", "target")
    if filters.kinds:
        relations = relations.filter(kind__in=filters.kinds)
    if filters.topics:
        relations = relations.filter(topic__in=filters.topics)
    if filters.end:  # began before the period ended …
        relations = relations.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=filters.end))
    if filters.start:  # … and did not end before it began (open ends: valid from always / until now)
        relations = relations.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=filters.start))
    return actors, list(relations)


# --- "who decides" navigator --------------------------------------------------------------------------
@dataclass
class PeriodRow:
    label: str
    start: date
    end: date
    by_level: list[tuple[str, str, int]]  # (level code, label, number of events)
    deciding: str
    implementing: str
    legal_bases: list[str]
    first_event: Event | None


def _half_years(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    year, half = first.year, 0 if first.month <= 6 else 1
    while True:
        start = date(year, 1 if half == 0 else 7, 1)
        end = date(year, 6, 30) if half == 0 else date(year, 12, 31)
        if start > last:
            break
        out.append((start, end))
        year, half = (year, 1) if half == 0 else (year + 1, 0)
    return out


DECIDING_LEVELS = (Level.FEDERAL, Level.STATE, Level.DISTRICT_GOVERNMENT)
IMPLEMENTING_LEVELS = (Level.DISTRICT, Level.MUNICIPALITY, Level.CIVIL_SOCIETY)


def topic_events(*, viewer, topic: str, city: Place | None) -> QuerySet[Event]:
    """The visible events on `topic`: the shipped rules, with a city also that city's measures."""
    qs = access.scope(viewer, Event.objects.filter(topic=topic))
    if city is not None:
        qs = qs.filter(city_events_q(city))
    else:
        qs = qs.filter(organisation__isnull=True)
    return qs.order_by("start", "id")


def navigator_derived(*, viewer, topic: str, city: Place | None) -> list[PeriodRow]:
    """Per half-year: the number of events on the topic per level; "decided by" = the level of the first
    event from the federal, state or district-government level (who moved first); "implemented by" = the
    district, municipal or civil-society levels with events (the city's own measures); the legal bases
    cited. The OxCGRT national value is counted but never named as deciding (it is no government level)."""
    events = list(topic_events(viewer=viewer, topic=topic, city=city).only(*EVENT_LIST_FIELDS))
    if not events:
        return []
    labels = level_labels()
    rows = []
    for start, end in _half_years(events[0].start, events[-1].start):
        inside = [e for e in events if start <= e.start <= end]
        if not inside:
            continue
        counts = Counter(e.level for e in inside)
        ordered = sorted(counts, key=lambda lv: LEVEL_RANK[Level(lv)])
        first_decider = next((e for e in inside if e.level in DECIDING_LEVELS), None)
        implementers = [lv for lv in ordered if lv in IMPLEMENTING_LEVELS]
        bases = sorted({e.legal_basis for e in inside if e.legal_basis})
        rows.append(PeriodRow(
            label=f"{start.year} {'I' if start.month == 1 else 'II'}", start=start, end=end,
            by_level=[(lv, labels[lv], counts[lv]) for lv in ordered],
            deciding=labels[first_decider.level] if first_decider else "–",
            implementing=", ".join(labels[lv] for lv in implementers) or "–",
            legal_bases=bases[:6], first_event=first_decider or inside[0],
        ))
    return rows


def navigator_entries(*, viewer, topic: str) -> QuerySet[NavigatorEntry]:
    return access.scope(viewer, NavigatorEntry.objects.filter(topic=topic)).prefetch_related("events")


def navigator_topic_counts(*, viewer) -> dict[str, int]:
    """Visible events per topic."""
    return dict(access.scope(viewer, Event.objects.all()).order_by().values_list("topic").annotate(n=Count("id")))


def navigator_entry_events(*, viewer, topic: str) -> QuerySet[Event]:
    """The events a navigator entry on `topic` may rest on (the form's choices)."""
    return access.scope(viewer, Event.objects.filter(topic=topic)).order_by("start")


def visible_events(*, viewer, events) -> list[Event]:
    return [e for e in events if access.can_view(viewer, e)]


# --- an event and its links ---------------------------------------------------------------------------
def event_get(*, viewer, pk, action: str = "view") -> Event:
    """An event by id, through the policy (missing and forbidden answer the same 404)."""
    qs = Event.objects.select_related("organisation", "municipality", "created_by")
    return access.get_or_404(viewer, qs, action, pk=pk)


def event_documents(*, viewer, event: Event) -> list[EventDocument]:
    """The source documents of an event the viewer sees (they are seen with their event)."""
    return list(access.scope(viewer, EventDocument.objects.filter(event=event)))


def event_links(*, viewer, event: Event) -> tuple[list[EventLink], list[EventLink]]:
    """(links to higher rules, links to local measures) of `event` that `viewer` may see."""
    higher = access.scope(viewer, event.higher_links.select_related("higher"))
    lower = access.scope(viewer, event.lower_links.select_related("lower", "lower__municipality"))
    return list(higher), list(lower)


def link_get(*, viewer, pk, action: str = "change") -> EventLink:
    return access.get_or_404(viewer, EventLink.objects.select_related("higher", "lower", "lower__municipality"),
                             action, pk=pk)


# --- who may add content to a city --------------------------------------------------------------------
def city_organisations(*, viewer, city: Place) -> QuerySet[Organisation]:
    """Organisations whose place is `city` and for which `viewer` may create content (editors, staff)."""
    return access.editable_organisations(viewer).filter(place=city).order_by("name")


def can_edit_city(*, viewer, city: Place) -> bool:
    return city_organisations(viewer=viewer, city=city).exists()


def city_actors(*, viewer, city: Place, organisation) -> QuerySet[Actor]:
    """The actors of `organisation` in `city`'s network that `viewer` sees (choices of the relation form)."""
    return access.scope(viewer, Actor.objects.filter(municipality=city, organisation=organisation)).order_by("name")


def actor_relations(*, viewer, actor: Actor) -> list[Relation]:
    qs = Relation.objects.filter(Q(source=actor) | Q(target=actor)).select_related("source", "target")
    return list(access.scope(viewer, qs))


# --- reflection and transfer to other crises ----------------------------------------------------------
def reflection_choices(*, viewer) -> tuple[QuerySet, QuerySet]:
    """(insights, practice examples) `viewer` may see: the choices for "what worked"."""
    from panreflex.evidence.models import Insight
    from panreflex.practices.models import Practice

    return (access.scope(viewer, Insight.objects.all()).order_by("-created_at", "-id"),
            access.scope(viewer, Practice.objects.all()).order_by("title", "id"))


def hidden_links(*, viewer, link: EventLink) -> tuple[list, list]:
    """The insights and practice examples on `link` that `viewer` does not see (an edit keeps them)."""
    return ([i for i in link.insights.all() if not access.can_view(viewer, i)],
            [p for p in link.practices.all() if not access.can_view(viewer, p)])


@dataclass
class TransferFilters:
    topic: str = ""
    kind: str = ""
    crisis: str = ""  # a crisis-kind code
    reflected: bool = False  # only links with a reflection


def transfer_links(*, viewer, city: Place, filters: TransferFilters | None = None) -> list[EventLink]:
    """The city's links between higher rules and local measures with their reflections; the insights and
    practice examples on each are only those `viewer` may see (`visible_insights`, `visible_practices`).
    A fixed number of queries, whatever the number of links."""
    from django.db.models import Prefetch

    from panreflex.evidence.models import Insight
    from panreflex.practices.models import Practice

    filters = filters or TransferFilters()
    qs = city_links(viewer=viewer, city=city)
    if filters.topic:
        qs = qs.filter(lower__topic=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.crisis:
        qs = qs.filter(transfer_to__code=filters.crisis)
    if filters.reflected:
        qs = qs.exclude(improvised="", worked="", transfer="")
    qs = qs.prefetch_related(
        Prefetch("insights", queryset=access.scope(viewer, Insight.objects.all()), to_attr="visible_insights"),
        Prefetch("practices", queryset=access.scope(viewer, Practice.objects.all()), to_attr="visible_practices"),
        "transfer_to",
    ).order_by("lower__start", "higher__start", "id")
    return list(qs)


# --- answers of a survey, read as relations -----------------------------------------------------------
SURVEY_SEPARATOR = "\x1f"  # between several partners in one cell (labels may hold commas and semicolons)


@dataclass
class SurveyAnswers:
    """The latest version's answers of a survey as a table: one entry per response, one column per
    question (its name); a multiple-choice answer lists the chosen options' labels (and the "other,
    namely" text) separated by `SURVEY_SEPARATOR`. `dicts()` yields (response id, cells), like a Table."""

    survey: object
    questions: list[tuple[str, str, str]] = field(default_factory=list)  # (name, wording, kind)
    entries: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [name for name, _label, _kind in self.questions]

    def dicts(self):
        return iter(self.entries)


def survey_choices(*, viewer):
    """Surveys whose raw answers `viewer` may read: those they may change (as the surveys app's export)."""
    from panreflex.surveys.models import Survey

    return access.scope(viewer, Survey.objects.all(), "change").order_by("title", "id")


def survey_answers(*, survey) -> SurveyAnswers:
    from panreflex.surveys.exports import build_sheets
    from panreflex.surveys.models import Item
    from panreflex.surveys.selectors import response_base, results_version
    from panreflex.surveys.services.answers import form_for

    result = SurveyAnswers(survey=survey)
    version = results_version(survey)
    if version is None:
        return result
    fd = form_for(version)
    sheet = build_sheets(fd, response_base(survey, version), labels=True)[0]
    seen: dict[str, int] = {}
    columns = []  # (column index, question name)
    for index, col in enumerate(sheet.columns):
        item = col.item
        if item is None or item.kind in (Item.Kind.RANKING, Item.Kind.FILE):
            continue
        if col.part == "option" and col.option == "other":
            continue  # the "other, namely" text stands for it
        if item.name not in seen:
            seen[item.name] = len(result.questions)
            result.questions.append((item.name, str(item.label), str(item.get_kind_display())))
        columns.append((index, item.name))
    for row in sheet.rows:
        cells: dict[str, list[str]] = {}
        for index, name in columns:
            value = str(row[index]).strip() if row[index] not in (None, "") else ""
            if value:
                cells.setdefault(name, []).append(value)
        result.entries.append((row[0], {name: SURVEY_SEPARATOR.join(values) for name, values in cells.items()}))
    return result


def topic_indicator(topic: str) -> Series | None:
    """The OxCGRT indicator's daily level for a navigator topic (None for topics OxCGRT does not code)."""
    from .models import INDICATOR_FOR_TOPIC

    column = INDICATOR_FOR_TOPIC.get(topic)
    if column is None:
        return None
    return Series.objects.filter(municipality__isnull=True, kind=Series.Kind.INDICATOR, label=column).first()
