from datetime import date

import networkx as nx
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from panreflex.lib.tabular import read_csv
from panreflex.multilevel import network as nw
from panreflex.multilevel import timeline
from panreflex.multilevel.models import Actor, Event, EventLink, Relation, Series
from panreflex.multilevel.selectors import level_labels
from panreflex.multilevel.services import (
    actor_create,
    event_create,
    event_link_create,
    events_import,
    network_import,
    parse_date,
    relation_create,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- reference data -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_migrate_loads_the_shipped_chronology_and_series():
    assert Event.objects.filter(dataset="oxcgrt").count() == 115
    assert Event.objects.filter(dataset="cccsl").count() == 96
    assert Event.objects.filter(dataset="curated").count() == 32
    assert set(Event.objects.filter(dataset="oxcgrt").values_list("level", flat=True)) == {"national"}
    assert Event.objects.filter(dataset="cccsl", jurisdiction="DE-NW").count() == 27
    assert not Event.objects.filter(organisation__isnull=False).exists()
    stringency = Series.objects.get(kind="stringency", municipality__isnull=True)
    assert stringency.start == date(2020, 1, 1) and len(stringency.values) == 1096
    dortmund = Series.objects.get(kind="incidence", municipality__ags="05913000")
    assert dortmund.start == date(2020, 1, 2) and max(v for v in dortmund.values if v is not None) > 1000
    assert Series.objects.filter(kind="icu").count() == 5


# --- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("2021-03-08", date(2021, 3, 8)), ("08.03.2021", date(2021, 3, 8)), ("8.3.2021", date(2021, 3, 8)),
    ("2021-03-08T00:00:00", date(2021, 3, 8)), ("", None),
])
def test_parse_date_accepts_german_and_iso(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["03/08/2021", "8.3.21", "2021-02-30", "März 2021", "31.13.2021"])
def test_parse_date_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_date(text)


# --- lead and reaction times ----------------------------------------------------------------------------
class E:
    def __init__(self, level, announced=None, in_force=None):
        self.level, self.date_announced, self.date_in_force = level, announced, in_force
        self.start = in_force or announced


def test_lead_times_per_level_use_only_events_with_both_dates():
    events = [E("state", date(2021, 3, 5), date(2021, 3, 8)), E("state", date(2021, 8, 17), date(2021, 8, 20)),
              E("state", date(2021, 12, 3), date(2021, 12, 30)), E("state", None, date(2021, 1, 1)),
              E("federal", date(2020, 3, 1), date(2020, 3, 2))]
    stats = {s.label: s for s in timeline.lead_times(events, level_labels())}
    state = stats[level_labels()["state"]]
    assert (state.count, state.median, state.mean, state.minimum, state.maximum) == (3, 3, 11.0, 3, 27)
    assert stats[level_labels()["federal"]].count == 1
    assert list(stats) == [level_labels()["federal"], level_labels()["state"]]  # from the top level down


def test_reaction_times_per_higher_level():
    class L:
        def __init__(self, higher, lower):
            self.higher, self.lower = higher, lower
    links = [L(E("state", None, date(2020, 3, 22)), E("municipality", None, date(2020, 3, 24))),
             L(E("state", None, date(2020, 11, 2)), E("municipality", None, date(2020, 11, 6))),
             L(E("federal", date(2020, 3, 17)), E("municipality", None, date(2020, 3, 18)))]
    stats = timeline.reaction_times(links, level_labels())
    assert [(s.count, s.median) for s in stats] == [(1, 1), (2, 3)]


@pytest.mark.django_db
def test_linked_measure_reaction_time(personas):
    higher = Event.objects.get(dataset="curated", key="nrw-2020-03-22")
    local = event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                         title="Bürgertelefon", level="municipality", topic="public-information",
                         date_in_force=date(2020, 3, 24))
    link = event_link_create(higher=higher, lower=local, actor=personas.alice)
    assert link.reaction_days == 2
    assert local.jurisdiction == "05913000"
    with pytest.raises(ValidationError):
        event_link_create(higher=local, lower=higher, actor=personas.alice)  # the city is not above the state


def test_timeline_window_and_downsampling_keep_peaks():
    window = timeline.parse_window("2020-01-01", "2022-12-31")
    assert window.days == 1096
    values = [0.0] * 1096
    values[700] = 1500.0
    points = timeline._downsample(values, date(2020, 1, 1), window)
    assert len(points) <= timeline.PLOT_W + 1
    assert max(v for _x, v in points) == 1500.0
    week = timeline.parse_window("2021-01-01", "2021-01-02")
    assert week.days == 7  # never narrower than a week
    assert timeline.parse_window("garbage", None).start == timeline.DATA_START


# --- network metrics ----------------------------------------------------------------------------------
class A:
    def __init__(self, pk, level):
        self.pk, self.level, self.name, self.kind, self.contact_role, self.parent_body = pk, level, f"a{pk}", "other", "", ""


class R:
    def __init__(self, pk, s, t, kind="informs"):
        self.pk, self.source_id, self.target_id, self.kind = pk, s, t, kind
        self.valid_from = self.valid_to = None
        self.source_ref = self.note = self.topic = ""


def test_metrics_degree_betweenness_and_brokers():
    # state ministry (1) – crisis staff (2) – health office (3), welfare (4); 3 and 4 are linked
    actors = [A(1, "state"), A(2, "municipality"), A(3, "municipality"), A(4, "civil_society")]
    relations = [R(1, 1, 2, "directs"), R(2, 2, 3, "directs"), R(3, 2, 4), R(4, 3, 4)]
    graph = nw.build_graph(actors, relations)
    result = {m.actor.pk: m for m in nw.metrics(graph, actors)}
    assert result[2].degree == 3 and result[1].degree == 1
    expected = nx.betweenness_centrality(nx.Graph([(1, 2), (2, 3), (2, 4), (3, 4)]))
    assert result[2].betweenness == round(expected[2], 3) == round(2 / 3, 3)
    # crisis staff links the state (1) with the health office (3) and with welfare (4): 2 pairs on different
    # levels without their own relation; (3, 4) are different levels but linked, so they do not count
    assert result[2].brokerage == 2 and result[2].is_broker
    assert result[1].brokerage == 0
    assert result[3].brokerage == 0  # its partners 2 and 4 are linked to each other
    assert b"<graphml" in nw.graphml(graph)


# --- actors and relations -----------------------------------------------------------------------------
@pytest.fixture
def city_actors(personas):
    city = personas.dortmund.place
    make = lambda name, level="municipality": actor_create(  # noqa: E731
        organisation=personas.dortmund, author=personas.alice, municipality=city, name=name, level=level,
        kind="other")
    return {n: make(n) for n in ("Krisenstab", "Gesundheitsamt", "Ordnungsamt")}


@pytest.mark.django_db
def test_hierarchy_cycle_is_refused(personas, city_actors):
    a, b, c = city_actors["Krisenstab"], city_actors["Gesundheitsamt"], city_actors["Ordnungsamt"]
    rel = lambda s, t, **kw: relation_create(organisation=personas.dortmund, author=personas.alice,  # noqa: E731
                                              source=s, target=t, kind=kw.pop("kind", "directs"), **kw)
    rel(a, b)
    rel(b, c)
    with pytest.raises(ValidationError, match="cycle"):
        rel(c, a)
    rel(c, a, kind="informs")  # not a hierarchy relation: allowed
    # a directive relation in another period does not close the cycle
    Relation.objects.filter(source=b, target=c).update(valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31))
    rel(c, a, valid_from=date(2021, 1, 1))
    with pytest.raises(ValidationError):
        rel(a, b, valid_from=date(2021, 2, 1), valid_to=date(2021, 1, 1))


def _csv(text: str):
    return read_csv(text.encode("utf-8"))


@pytest.mark.django_db
def test_network_import_all_or_nothing(personas, city_actors):
    city = personas.dortmund.place
    good = "source;relation;target;valid_from\nKrisenstab;directs;Gesundheitsamt;01.03.2020\nOrdnungsamt;informs;Krisenstab;\n"
    counts = network_import(table=_csv(good), organisation=personas.dortmund, municipality=city, author=personas.alice)
    assert counts == {"relations": 2, "actors": 0}
    before = Relation.objects.count()
    unknown = "source;relation;target\nKrisenstab;informs;Ordnungsamt\nKrisenstab;informs;Feuerwehr\n"
    with pytest.raises(ValidationError, match="Row 3") as info:
        network_import(table=_csv(unknown), organisation=personas.dortmund, municipality=city, author=personas.alice)
    assert "Feuerwehr" in str(info.value)
    cycle = "source;relation;target\nGesundheitsamt;directs;Ordnungsamt\nOrdnungsamt;directs;Krisenstab\n"
    with pytest.raises(ValidationError, match="Row 3.*cycle"):
        network_import(table=_csv(cycle), organisation=personas.dortmund, municipality=city, author=personas.alice)
    bad_level = "source;source_level;relation;target\nFeuerwehr;planet;informs;Krisenstab\n"
    with pytest.raises(ValidationError, match="Row 2.*planet"):
        network_import(table=_csv(bad_level), organisation=personas.dortmund, municipality=city, author=personas.alice,
                       create_actors=True)
    assert Relation.objects.count() == before  # nothing stored
    assert not Actor.objects.filter(name="Feuerwehr").exists()
    new = "source;source_level;source_type;relation;target\nFeuerwehr;municipality;fire_brigade;informs;Krisenstab\n"
    counts = network_import(table=_csv(new), organisation=personas.dortmund, municipality=city, author=personas.alice,
                            create_actors=True)
    assert counts == {"relations": 1, "actors": 1}
    assert Actor.objects.get(name="Feuerwehr").kind == "fire_brigade"


# --- events -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_event_that_ends_before_it_starts_is_refused(personas):
    with pytest.raises(ValidationError, match="ends before it starts"):
        event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                     title="x", level="municipality", topic="masks", date_in_force=date(2021, 5, 1),
                     date_end=date(2021, 4, 1))
    with pytest.raises(ValidationError):
        event_create(organisation=personas.dortmund, author=personas.alice, municipality=personas.dortmund.place,
                     title="x", level="municipality", topic="masks")  # no date at all


EVENTS_CSV = (
    "event_id;date_announced;date_in_force;date_end;level;topic;title;legal_basis\n"
    "do-1;20.03.2020;2020-03-23;;Kommune;masks;Maskenpflicht im Rathaus;Allgemeinverfügung\n"
    "do-2;;01.04.2020;30.04.2020;municipality;Testing;Testzentrum;\n"
)


@pytest.mark.django_db
def test_events_import_german_and_iso_dates_and_update_by_id(personas):
    city = personas.dortmund.place
    created = events_import(table=_csv(EVENTS_CSV), organisation=personas.dortmund, municipality=city,
                            author=personas.alice)
    assert len(created) == 2
    first = Event.objects.get(key="do-1")
    assert (first.date_announced, first.date_in_force, first.lead_days) == (date(2020, 3, 20), date(2020, 3, 23), 3)
    assert first.level == "municipality" and first.dataset == "own" and first.organisation == personas.dortmund
    assert Event.objects.get(key="do-2").topic == "testing"
    again = EVENTS_CSV.replace("Testzentrum", "Testzentrum am Hauptbahnhof")
    events_import(table=_csv(again), organisation=personas.dortmund, municipality=city, author=personas.alice)
    assert Event.objects.filter(dataset="own").count() == 2
    assert Event.objects.get(key="do-2").title == "Testzentrum am Hauptbahnhof"


@pytest.mark.parametrize("row,message", [
    ("do-3;;03/23/2020;;municipality;masks;x;", "Row 3.*03/23/2020"),
    ("do-3;;2020-03-23;;galaxy;masks;x;", "Row 3.*galaxy"),
    ("do-3;;2020-03-23;2020-03-01;municipality;masks;x;", "Row 3.*ends before it starts"),
    ("do-3;;2020-03-23;;municipality;astrology;x;", "Row 3.*astrology"),
    ("do-3;;;;municipality;masks;x;", "Row 3"),
])
@pytest.mark.django_db
def test_events_import_bad_rows_store_nothing(personas, row, message):
    text = "event_id;date_announced;date_in_force;date_end;level;topic;title;legal_basis\n" \
           "do-1;;2020-03-23;;municipality;masks;gut;\n" + row + "\n"
    with pytest.raises(ValidationError, match=message):
        events_import(table=_csv(text), organisation=personas.dortmund, municipality=personas.dortmund.place,
                      author=personas.alice)
    assert not Event.objects.filter(dataset="own").exists()
    assert not EventLink.objects.exists()


@pytest.mark.django_db
def test_events_import_refuses_a_file_without_the_columns(personas):
    with pytest.raises(ValidationError, match="lacks the column"):
        events_import(table=_csv("name;date\nx;2020-01-01\n"), organisation=personas.dortmund,
                      municipality=personas.dortmund.place, author=personas.alice)


@pytest.mark.django_db
def test_survey_answers_map_into_relations(personas, city_actors):
    from panreflex.multilevel.services import ColumnMapping

    city = personas.dortmund.place
    survey = "respondent,partners\nr1,\"Gesundheitsamt; Ordnungsamt\"\nr2,Feuerwehr\n"
    mapping = ColumnMapping(target_column="partners", fixed_source="Krisenstab", fixed_relation="coordinates")
    counts = network_import(table=_csv(survey), organisation=personas.dortmund, municipality=city,
                            author=personas.alice, mapping=mapping, create_actors=True)
    assert counts == {"relations": 3, "actors": 1}
    assert Relation.objects.filter(source__name="Krisenstab", kind="coordinates").count() == 3
    with pytest.raises(ValidationError, match="lacks the column"):
        network_import(table=_csv(survey), organisation=personas.dortmund, municipality=city, author=personas.alice,
                       mapping=ColumnMapping(target_column="nope", fixed_source="Krisenstab", fixed_relation="informs"))
    before = Relation.objects.count()
    with pytest.raises(ValidationError, match="Row 3.*Polizei"):  # without create_actors: unknown partner
        network_import(table=_csv(survey.replace("r2,Feuerwehr", "r2,Polizei")),
                       organisation=personas.dortmund, municipality=city, author=personas.alice,
                       mapping=ColumnMapping(target_column="partners", fixed_source="Krisenstab",
                                             fixed_relation="informs"))
    assert Relation.objects.count() == before


def test_every_shipped_value_fits_its_column():
    """SQLite does not enforce max_length; PostgreSQL does."""
    import csv

    from panreflex.multilevel.reference import DATA, EVENT_FILES

    columns = {"event_id": "key", "jurisdiction": "jurisdiction", "title": "title", "legal_basis": "legal_basis",
               "source_ref": "source_ref", "source_url": "source_url", "source_dataset": "source_label",
               "measure_code": "measure_code", "value": "value", "previous_value": "previous_value"}
    for filename in EVENT_FILES.values():
        with open(DATA / filename, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for column, field in columns.items():
                    assert len(row[column].strip()) <= Event._meta.get_field(field).max_length, (filename, column)
