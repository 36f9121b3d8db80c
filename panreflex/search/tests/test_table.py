"""The in-memory facet table: it must agree with the database and the access rules at every moment."""

import random
from datetime import date

import numpy as np
import pytest
from django.db import transaction
from django.utils import timezone

from panreflex.accounts import access
from panreflex.accounts.models import Visibility
from panreflex.practices.models import Practice
from panreflex.search import query, table
from panreflex.search.models import SearchFacets, SearchState
from panreflex.search.query import SearchParams
from panreflex.search.tests.factories import practice, reindex

THEMES = ["T1", "T2", "T3"]


def _corpus(personas, n=40, seed=3):
    """`n` examples with a random mix of owners, visibility, status, themes, places and periods."""
    rng = random.Random(seed)
    orgs = [personas.dortmund, personas.koeln, personas.research]
    made = []
    for i in range(n):
        vis = rng.choice([Visibility.PUBLIC, Visibility.NETWORK, Visibility.PRIVATE])
        status = rng.choice([Practice.Status.PUBLISHED, Practice.Status.PUBLISHED, Practice.Status.DRAFT])
        made.append(practice(
            organisation=rng.choice(orgs), title=f"Beispiel {i} Impfung", summary=f"Impfung und Beratung {i}",
            visibility=vis, status=status, themes=rng.sample(THEMES, rng.randint(0, 2)),
            places=rng.sample(["05913000", "05315000"], rng.randint(0, 2)),
            period_start=rng.choice([None, date(2020, 4, 1), date(2021, 6, 1), date(2022, 1, 1)]),
        ))
    return made


def _expected(viewer, *, theme=None, year=None):
    qs = access.filter_visible(viewer, Practice.objects.all())
    if theme:
        qs = qs.filter(themes__code__in=theme).distinct()
    if year:
        qs = qs.filter(period_start__year__in=year)
    return set(qs.values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eve", "vera", "alice", "charlie", "dora"])
def test_visibility_mask_agrees_with_visible_q(personas, name):
    _corpus(personas)
    viewer = personas.user(name)
    t = table.current()
    rows = t.all_rows()
    mask = access.visible_mask(viewer, visibility=t.visibility[rows], released=t.released[rows],
                               organisation=t.organisation[rows], ids=t.ids[rows], status=t.status[rows],
                               model=Practice)
    assert set(t.ids[rows][mask].tolist()) == _expected(viewer)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eve", "alice", "dora"])
def test_totals_filters_and_counts_agree_with_the_database(personas, name):
    made = _corpus(personas)
    reindex()
    viewer = personas.user(name)
    for theme, year in [(None, None), (["T1"], None), (["T1", "T2"], ["2021"]), (None, ["2020", "2022"])]:
        params = {"theme": theme or [], "year": year or []}
        result = query.run(SearchParams.from_mapping(params), viewer=viewer, with_snippets=False)
        expected = _expected(viewer, theme=theme, year=year)
        assert result.total == len(expected)
        ids = query.search_ids(viewer=viewer, params=params)
        assert set(ids) == expected and len(ids) == len(expected)
        facets = {f.key: {v.value: v.count for v in f.values} for f in result.facets}
        # theme counts: over the other filters only (values of one facet are OR-ed)
        for code in THEMES:
            want = len(_expected(viewer, theme=[code], year=year))
            assert facets.get("theme", {}).get(code, 0) == want, (theme, year, code)
    assert made  # the corpus was built


@pytest.mark.django_db
def test_relevance_ranks_only_visible_and_pages_agree(personas):
    _corpus(personas, n=60)
    reindex()
    everything = query.search_ids(viewer=personas.dora, params={"q": "Impfung"})
    visible = query.search_ids(viewer=None, params={"q": "Impfung"})
    assert set(visible) == _expected(None) and set(visible) < set(everything)
    assert visible == [i for i in everything if i in set(visible)]  # same order, invisible ones left out
    pages = []
    for page in range(1, -(-len(visible) // 20) + 1):
        result = query.run(SearchParams.from_mapping({"q": "Impfung", "page": page}), viewer=None, with_snippets=False)
        pages += [h.practice.pk for h in result.hits]
    assert pages == visible


@pytest.mark.django_db
def test_sort_orders_match_the_database(personas):
    _corpus(personas)
    ids = query.search_ids(viewer=personas.dora, params={"sort": "period"})
    expected = list(Practice.objects.order_by("period_start", "period_end", "pk").values_list("pk", flat=True))
    nulls_last = [i for i in expected if Practice.objects.get(pk=i).period_start] + \
        [i for i in expected if not Practice.objects.get(pk=i).period_start]
    assert ids == nulls_last
    newest = query.search_ids(viewer=personas.dora, params={"sort": "newest"})
    rows = {p.pk: p for p in Practice.objects.all()}
    keyed = sorted(rows, key=lambda i: (rows[i].published_at is None,
                                       -(rows[i].published_at.timestamp() if rows[i].published_at else 0),
                                       -rows[i].created_at.timestamp(), -i))
    assert newest == keyed


@pytest.mark.django_db
def test_practice_writes_reach_the_table_without_reindex(personas):
    p = practice(organisation=personas.dortmund, title="Impfbus", themes=["T3"])
    reindex()
    assert query.search_ids(viewer=None, params={}) == [p.pk]
    # visibility change through a plain update: the trigger keeps the row in step
    Practice.objects.filter(pk=p.pk).update(visibility=Visibility.PRIVATE)
    assert query.search_ids(viewer=None, params={}) == []
    assert query.search_ids(viewer=None, params={"q": "Impfbus"}) == []
    assert query.search_ids(viewer=personas.bob, params={"q": "Impfbus"}) == [p.pk]
    row = SearchFacets.objects.get(practice_id=p.pk)
    assert row.visibility == Visibility.PRIVATE and row.codes  # codes stay from the index
    # a new example is listed at once, its facets computed until it is indexed
    q = practice(organisation=personas.dortmund, title="Testzentrum", themes=["T2"])
    assert SearchFacets.objects.get(practice_id=q.pk).codes is None
    result = query.run(SearchParams.from_mapping({}), viewer=None, with_snippets=False)
    assert [h.practice.pk for h in result.hits] == [q.pk]
    assert {v.value: v.count for f in result.facets if f.key == "theme" for v in f.values} == {"T2": 1}
    # deleting marks the row removed
    pk = q.pk
    q.delete()
    assert SearchFacets.objects.get(practice_id=pk).removed
    assert query.search_ids(viewer=None, params={}) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shared_table_follows_commits_and_never_keeps_rolled_back_rows(personas):
    table.forget()
    p = practice(organisation=personas.dortmund, title="Impfbus", themes=["T3"])
    reindex()
    assert query.search_ids(viewer=None, params={}) == [p.pk]
    shared = table._shared
    assert shared is not None and shared.version == SearchState.objects.get().version
    # a committed change by "another process": picked up through the counter, without a full reload
    Practice.objects.filter(pk=p.pk).update(title="Impfbus 2", visibility=Visibility.NETWORK)
    assert query.search_ids(viewer=None, params={}) == []
    assert table._shared is shared  # updated in place (only the changed row was read)
    # inside a transaction: the change is seen, but the shared table never keeps it
    with transaction.atomic():
        Practice.objects.filter(pk=p.pk).update(visibility=Visibility.PUBLIC)
        assert query.search_ids(viewer=None, params={}) == [p.pk]
        transaction.set_rollback(True)
    assert query.search_ids(viewer=None, params={}) == []
    # a rebuild writes a new stamp: the table is read again completely
    Practice.objects.filter(pk=p.pk).update(visibility=Visibility.PUBLIC, released_at=timezone.now())
    reindex()
    assert query.search_ids(viewer=None, params={}) == [p.pk]
    assert table._shared.stamp == SearchState.objects.get().stamp
    # an emptied state (flushed database): everything is read again
    SearchState.objects.all().delete()
    Practice.objects.filter(pk=p.pk).update(visibility=Visibility.PRIVATE)
    assert query.search_ids(viewer=None, params={}) == []


def test_table_grows_codes_and_rows():
    t = table.FacetTable()
    rows = [(i, " ".join(f"theme={k}" for k in range(i % 20)), 1, "public", True, "published", 1.0, 1.0, 1, 2,
             False, 1) for i in range(1, 300)]
    t.apply(rows)
    assert t.size == 299 and t.codes.shape[1] >= 19
    positions = t.rows_for(np.array([5, 19, 1000, -3]))
    assert t.ids[positions].tolist() == [5, 19]
    assert t.count(t.all_rows())["theme"]["0"] == sum(1 for i in range(1, 300) if i % 20 > 0)
    assert t.has_any(positions, "theme", ["18"]).tolist() == [False, True]


@pytest.mark.django_db
def test_a_changed_place_changes_the_facets_of_its_examples(personas, django_capture_on_commit_callbacks):
    from panreflex.places.models import Place

    p = practice(organisation=personas.dortmund, title="Impfbus", places=["05913000"])
    reindex()

    def sizes():
        result = query.run(SearchParams.from_mapping({}), viewer=None, with_snippets=False)
        return {v.value: v.count for f in result.facets if f.key == "size" for v in f.values}

    assert sizes() == {"xl": 1}
    dortmund = Place.objects.get(kind=Place.Kind.MUNICIPALITY, ags="05913000")
    with django_capture_on_commit_callbacks(execute=True):
        dortmund.population = 120_000
        dortmund.save()
        assert SearchFacets.objects.get(practice_id=p.pk).codes is None  # marked by the trigger
        assert sizes() == {"l": 1}  # computed by the search meanwhile
    assert "size=l" in SearchFacets.objects.get(practice_id=p.pk).codes  # written after the commit
    assert sizes() == {"l": 1}
    # saving without a change leaves the codes alone
    dortmund.save()
    assert SearchFacets.objects.get(practice_id=p.pk).codes is not None
