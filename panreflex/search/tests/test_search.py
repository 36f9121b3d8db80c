"""Search through the selector and the page, on the current database (run on SQLite and PostgreSQL)."""

from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from panreflex.accounts.models import Visibility
from panreflex.practices.services import practice_create
from panreflex.search import query
from panreflex.search.models import SearchDocument
from panreflex.search.query import SearchParams
from panreflex.search.selectors import practice_search_ids, similar_practices
from panreflex.search.services import practice_index, practice_unindex
from panreflex.search.tests.factories import practice, reindex


@pytest.fixture
def corpus(personas):
    d, k = personas.dortmund, personas.koeln
    data = {
        "impfbus": practice(organisation=d, title="Impfbus für Stadtteile", themes=["T3"], places=["05913000"],
                            summary="Ein Impfbus fuhr in Quartiere mit niedriger Impfquote.", evidence="press",
                            targets=["deprived-neighbourhoods"], period_start=date(2021, 5, 1)),
        "bus": practice(organisation=k, title="Mobile Angebote in Köln", places=["05315000"], themes=["T3"],
                        summary="Ein Bus für Impfungen hielt Straße für Straße.", period_start=date(2021, 8, 1)),
        "hotline": practice(organisation=d, title="Bürgertelefon im Krisenstab", themes=["T2"],
                            places=["05913000"], summary="Eine Hotline beantwortete Fragen zur Quarantäne.",
                            period_start=date(2020, 3, 1)),
        "homeless": practice(organisation=d, title="Unterkunft für Wohnungslose", themes=["T3"],
                             places=["05913000"], summary="Einzelzimmer für wohnungslose Menschen im Lockdown.",
                             targets=["homeless"], period_start=date(2020, 4, 1)),
        "private": practice(organisation=d, title="Interner Impfbus-Plan", public=False,
                            summary="Ein privater Entwurf über den Impfbus."),
        "network": practice(organisation=k, title="Impfbus im Netzwerk", visibility=Visibility.NETWORK,
                            summary="Nur für Partnerkommunen sichtbar."),
    }
    reindex()
    return data


def titles(q, viewer=None, **extra):
    params = QueryDict(mutable=True)
    params["q"] = q
    for key, values in extra.items():
        params.setlist(key, values if isinstance(values, list) else [values])
    result = query.run(SearchParams.from_mapping(params), viewer=viewer)
    return [h.practice.title for h in result.hits]


@pytest.mark.django_db
@pytest.mark.parametrize("q, expected", [
    ("Impfbus", {"Impfbus für Stadtteile", "Mobile Angebote in Köln"}),
    ("Bus für Impfungen", {"Impfbus für Stadtteile", "Mobile Angebote in Köln"}),
    ("geimpft", {"Impfbus für Stadtteile", "Mobile Angebote in Köln"}),
    ("Koeln", {"Mobile Angebote in Köln"}),
    ("Strasse", {"Mobile Angebote in Köln"}),
    ("Quarantne", {"Bürgertelefon im Krisenstab"}),
    ("Obdachlose", {"Unterkunft für Wohnungslose"}),
    ("Infotelefon", {"Bürgertelefon im Krisenstab"}),
])
def test_german_cases_on_this_database(corpus, q, expected):
    assert set(titles(q)) == expected


@pytest.mark.django_db
def test_title_ranks_above_body(corpus):
    assert titles("Impfbus")[0] == "Impfbus für Stadtteile"


@pytest.mark.django_db
def test_private_and_network_examples_only_for_those_allowed(corpus, personas):
    assert "Interner Impfbus-Plan" not in titles("Impfbus")
    assert "Impfbus im Netzwerk" not in titles("Impfbus")
    assert "Interner Impfbus-Plan" not in titles("Impfbus", personas.charlie)  # other municipality
    assert "Impfbus im Netzwerk" in titles("Impfbus", personas.alice)  # partner network
    assert "Interner Impfbus-Plan" in titles("Impfbus", personas.vera)  # own organisation
    assert "Interner Impfbus-Plan" in titles("Impfbus", personas.dora)  # staff
    ids = practice_search_ids(viewer=None, params={"q": "Impfbus"})
    assert corpus["private"].pk not in ids and corpus["impfbus"].pk in ids


@pytest.mark.django_db
def test_facet_counts_and_filters(corpus, personas):
    result = query.run(SearchParams.from_mapping({"q": ""}), viewer=None)
    facets = {f.key: {v.value: v.count for v in f.values} for f in result.facets}
    assert result.total == 4
    assert facets["theme"] == {"T3": 3, "T2": 1}
    assert facets["state"] == {"05": 4}
    assert facets["size"] == {"xl": 4}  # Dortmund and Köln have 500,000 inhabitants or more
    assert facets["year"] == {"2021": 2, "2020": 2}
    assert facets["evidence"] == {"press": 1}
    assert facets["target"] == {"deprived-neighbourhoods": 1, "homeless": 1}
    # a chosen facet keeps the counts of its other values (values of one facet are OR-ed)
    params = QueryDict("theme=T2")
    result = query.run(SearchParams.from_mapping(params), viewer=None)
    assert [h.practice.title for h in result.hits] == ["Bürgertelefon im Krisenstab"]
    theme = next(f for f in result.facets if f.key == "theme")
    assert {v.value: (v.count, v.selected) for v in theme.values} == {"T3": (3, False), "T2": (1, True)}
    assert titles("Impfbus", theme="T2") == []
    assert titles("", theme=["T2", "T3"], year="2020") == ["Unterkunft für Wohnungslose", "Bürgertelefon im Krisenstab"] or \
        set(titles("", theme=["T2", "T3"], year="2020")) == {"Unterkunft für Wohnungslose", "Bürgertelefon im Krisenstab"}
    koeln = str(personas.koeln.place_id)
    assert titles("", municipality=koeln) == ["Mobile Angebote in Köln"]


@pytest.mark.django_db
def test_sorting_and_all_ids_for_export(corpus):
    by_period = titles("", sort="period")
    assert by_period[0] == "Bürgertelefon im Krisenstab" and by_period[-1] == "Mobile Angebote in Köln"
    ids = practice_search_ids(viewer=None, params=QueryDict("q=Impfung&sort=relevance"))
    assert set(ids) == {corpus["impfbus"].pk, corpus["bus"].pk}
    assert ids == [h.practice.pk for h in query.run(SearchParams.from_mapping({"q": "Impfung"}), viewer=None).hits]


@pytest.mark.django_db
def test_no_match_with_all_words_falls_back_to_any_word(corpus):
    result = query.run(SearchParams.from_mapping({"q": "Quarantäne Einzelzimmer"}), viewer=None)
    assert result.any_words and result.total == 2
    empty = query.run(SearchParams.from_mapping({"q": "Zeppelin"}), viewer=None)
    assert empty.total == 0 and not empty.hits


@pytest.mark.django_db
def test_index_follows_practice_writes(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p = practice_create(organisation=personas.dortmund, author=None, status="published", visibility="public",
                            data={"title": "Seniorentelefon", "summary": "Anrufe bei älteren Menschen."})
    assert titles("Telefon für Senioren") == ["Seniorentelefon"]
    practice_unindex(practice_id=p.pk)
    assert titles("Seniorentelefon") == []
    practice_index(practice_id=p.pk)
    assert SearchDocument.objects.filter(practice_id=p.pk).exists()
    p.delete()
    practice_index(practice_id=p.pk)  # gone: unindexes
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db
def test_similar_practices(corpus, personas):
    similar = similar_practices(practice=corpus["impfbus"], viewer=None)
    assert similar[0] == corpus["bus"]
    assert corpus["private"] not in similar and corpus["impfbus"] not in similar


@pytest.mark.django_db
def test_page_renders_highlight_escaped_and_counts_queries(corpus, client_for, django_assert_max_num_queries):
    practice(organisation=corpus["impfbus"].organisation, title="<script>alert(1)</script> Impfbus")
    reindex()
    client = client_for("eve")
    # the page's own reads, the vocabulary look-ups of the analyser and up to five index passes (on
    # PostgreSQL two more statements: the planner settings of `backends.index_plans`): no N+1
    with django_assert_max_num_queries(24):
        response = client.get(reverse("search:practices"), {"q": "Impfbus", "theme": "T3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Impfbus</mark>" in html
    assert 'value="T3" id="f-theme-t3" checked' in html
    assert "Schwerpunktthema" in html and "Größenklasse der Kommune" in html and ">Suchen</button>" in html
    response = client.get(reverse("search:practices"), {"q": "Impfbus"})
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Impfbus</mark>" in html and "<script>alert" not in html


@pytest.mark.django_db
def test_htmx_request_gets_the_partial(corpus, client_for):
    response = client_for("eve").get(reverse("search:practices"), {"q": "Koeln"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="search-results"')
    assert "<h1>" not in html and "Mobile Angebote in" in html


@pytest.mark.django_db
def test_pagination_and_bad_parameters(personas, client_for):
    for i in range(23):
        practice(organisation=personas.dortmund, title=f"Krisenstab Beispiel {i}")
    reindex()
    client = client_for("eve")
    first = client.get(reverse("search:practices"), {"q": "Krisenstab"})
    assert "Seite 1 von 2" in first.content.decode()
    second = client.get(reverse("search:practices"), {"q": "Krisenstab", "page": "2"})
    assert second.content.decode().count('class="search-hit"') == 3
    # out of range page goes to the last page; garbage values are ignored
    bad = client.get(reverse("search:practices"), {"q": "Krisenstab", "page": "99", "sort": "x", "year": "abc",
                                                   "size": "zz", "municipality": "x"})
    assert bad.status_code == 200 and bad.content.decode().count('class="search-hit"') == 3


@pytest.mark.django_db
def test_empty_state_offers_suggestions(corpus, client_for):
    html = client_for("eve").get(reverse("search:practices"), {"q": "Zeppelin", "theme": "T1"}).content.decode()
    assert "Keine Praxisbeispiele gefunden" in html
    assert "Ohne Filter erneut suchen" in html and "?q=Impfbus" in html


@pytest.mark.django_db
def test_long_facets_show_the_most_frequent_values_and_all_on_request(personas, client):
    from panreflex.places.models import Place

    towns = list(Place.objects.filter(kind=Place.Kind.MUNICIPALITY).order_by("ags")[:13])
    for i, town in enumerate(towns):
        for _ in range(1 + (i == 0)):  # the first town twice: it leads the counts
            practice(organisation=personas.dortmund, title=f"Hilfe in {town.name}", places=[town.ags])
    reindex()
    url = reverse("search:practices")
    page = client.get(url).content.decode()
    assert page.count('name="municipality"') == 10
    assert f'value="{towns[0].pk}"' in page  # the most frequent one is among the ten
    assert "3 weitere Werte von „Kommune oder Stadt“ anzeigen" in page
    assert "more=municipality" in page
    full = client.get(url, {"more": "municipality"}).content.decode()
    assert full.count('name="municipality"') == 13 and "weitere Werte" not in full
    assert '<input type="hidden" name="more" value="municipality">' in full
    # a chosen value stays visible even when it is not among the most frequent
    last = towns[-1]
    chosen = client.get(url, {"municipality": [str(towns[1].pk)]}).content.decode()
    assert f'value="{towns[1].pk}" id="f-municipality-{towns[1].pk}" checked' in chosen
    # the API keeps every value
    api = client.get(reverse("api:practice_list"), {"q": "Hilfe"}).json()
    assert len(api["facets"]["municipality"]) == 13 and last.name in {v["label"] for v in api["facets"]["municipality"]}


@pytest.mark.django_db
def test_a_query_keeps_its_best_matches_found_title_and_summary_first(corpus, monkeypatch):
    """Beyond MAX_MATCHES the search keeps the examples of its first passes (words in title or summary
    before words elsewhere); filters and counts work within what it keeps."""
    extra = practice(organisation=corpus["impfbus"].organisation, title="Sommerfest im Park",
                     summary="Ein Fest für alle.", description="Am Rand stand auch ein Impfbus.")
    reindex()
    assert "Sommerfest im Park" in titles("Impfbus")
    monkeypatch.setattr(query, "MAX_MATCHES", 2)
    result = query.run(SearchParams.from_mapping({"q": "Impfbus"}))
    assert result.total == 2 and extra.pk not in {h.practice.pk for h in result.hits}
    assert {h.practice.title for h in result.hits} <= {"Impfbus für Stadtteile", "Mobile Angebote in Köln"}
