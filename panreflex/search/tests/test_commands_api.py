"""`search-practices` JSON output, `reindex-practices` and the public API v1."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from panreflex.search.tests.factories import practice, reindex


@pytest.fixture
def examples(personas):
    d = personas.dortmund
    data = {
        "public": practice(organisation=d, title="Impfbus für Stadtteile", themes=["T3"],
                           summary="Ein Bus brachte Impfungen in die Quartiere."),
        "other": practice(organisation=d, title="Hotline für Fragen", themes=["T2"], summary="Impfung und Tests."),
        "private": practice(organisation=d, title="Impfbus intern", public=False, summary="Privater Entwurf."),
    }
    reindex()
    return data


def run_json(*args):
    out = StringIO()
    call_command("search_practices", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_command_prints_ranked_json(examples):
    hits = run_json("Impfbus")
    assert [h["title"] for h in hits][:2] == ["Impfbus für Stadtteile", "Impfbus intern"] or \
        {h["title"] for h in hits} == {"Impfbus für Stadtteile", "Impfbus intern"}
    assert set(hits[0]) == {"id", "title", "score"} and hits[0]["score"] >= hits[-1]["score"]
    public = run_json("Impfbus", "--public")
    # "Impfung und Tests" has one of the two parts of Impfbus: found, below the example with both
    assert [h["title"] for h in public] == ["Impfbus für Stadtteile", "Hotline für Fragen"]
    assert [h["title"] for h in run_json("Impfung", "--theme", "T2")] == ["Hotline für Fragen"]


@pytest.mark.django_db
def test_command_bad_input(examples):
    with pytest.raises(CommandError, match="Unknown theme code: NOPE"):
        run_json("Impfbus", "--theme", "NOPE")
    with pytest.raises(CommandError, match="Give a search query."):
        run_json("  ")


@pytest.mark.django_db
def test_reindex_command(examples):
    out = StringIO()
    call_command("reindex_practices", stdout=out)
    assert out.getvalue().startswith("Indexed 3 practice examples in ")


@pytest.mark.django_db
def test_api_list_matches_command_and_hides_private(examples, client_for):
    for name in ("eve", "dora"):
        data = client_for(name).get(reverse("api:practice_list"), {"q": "Impfbus"}).json()
        # the private draft never; "Hotline für Fragen" (Impfung: one part of Impfbus) below the full match
        assert data["count"] == 2 and [r["title"] for r in data["results"]] == ["Impfbus für Stadtteile",
                                                                                "Hotline für Fragen"]
    data = client_for("eve").get(reverse("api:practice_list"), {"q": "Impfung"}).json()
    assert [r["id"] for r in data["results"]] == [h["id"] for h in run_json("Impfung", "--public")]
    assert {"theme", "year"} <= set(data["facets"])
    assert data["results"][0]["url"].endswith(f"/api/v1/practices/{data['results'][0]['id']}/")


@pytest.mark.django_db
def test_api_pagination_and_bad_page_size(examples, client_for):
    client = client_for("eve")
    data = client.get(reverse("api:practice_list"), {"page_size": "1", "sort": "newest"}).json()
    assert data["count"] == 2 and data["pages"] == 2 and len(data["results"]) == 1
    bad = client.get(reverse("api:practice_list"), {"page_size": "viele"})
    assert bad.status_code == 400 and bad.json() == {"error": "page_size must be a whole number from 1 to 100."}


@pytest.mark.django_db
def test_api_detail_public_only(examples, client_for):
    client = client_for("dora")
    data = client.get(reverse("api:practice_detail", kwargs={"pk": examples["public"].pk})).json()
    assert data["title"] == "Impfbus für Stadtteile" and data["themes"][0]["code"] == "T3"
    assert client.get(reverse("api:practice_detail", kwargs={"pk": examples["private"].pk})).status_code == 404
