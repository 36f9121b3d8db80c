"""Issue 13: who sees a practice example depends on its status. Before publication a draft is seen by
its organisation, by reviewers while it is in review, and by partner organisations only when the author
shares it on purpose; its visibility (network, public) applies from publication on. Checked on the page,
in the search, in the CSV/XLSX/JSON exports and under "similar examples"."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from panreflex.accounts import access
from panreflex.accounts.models import Visibility
from panreflex.practices.models import Practice
from panreflex.practices.services_workflow import practice_submit
from panreflex.search import query
from panreflex.search.query import SearchParams
from panreflex.search.tests.factories import practice as make
from panreflex.search.tests.factories import reindex

pytestmark = pytest.mark.django_db
S = Practice.Status
WORD = "Quartiersfunkgeraet"


@pytest.fixture
def examples(personas):
    d = personas.dortmund
    made = {
        "published_network": make(organisation=d, title=f"{WORD} veröffentlicht Netzwerk", visibility=Visibility.NETWORK),
        "draft_network": make(organisation=d, title=f"{WORD} Entwurf Netzwerk", status=S.DRAFT,
                              visibility=Visibility.NETWORK),
        "draft_public": make(organisation=d, title=f"{WORD} Entwurf öffentlich", status=S.DRAFT,
                             visibility=Visibility.PUBLIC),
        "draft_shared": make(organisation=d, title=f"{WORD} Entwurf geteilt", status=S.DRAFT,
                             visibility=Visibility.NETWORK, draft_shared=True),
        "shared_but_private": make(organisation=d, title=f"{WORD} Entwurf privat", status=S.DRAFT,
                                   visibility=Visibility.PRIVATE, draft_shared=True),
    }
    reindex()
    return made


# who (besides Dortmund and staff) sees which example: charlie is a partner and a reviewer
CHARLIE_SEES = {"published_network", "draft_shared"}


def test_page(client_for, examples):
    for key, practice in examples.items():
        url = reverse("practices:detail", args=[practice.pk])
        assert client_for("charlie").get(url).status_code == (200 if key in CHARLIE_SEES else 404), key
        assert client_for("bob").get(url).status_code == 200
        assert client_for("eve").get(url).status_code == 404


def test_search_and_facet_counts(client_for, personas, examples):
    for name, expected in (("charlie", CHARLIE_SEES), ("vera", set(examples)), ("eve", set())):
        body = client_for(name).get(reverse("search:practices"), {"q": WORD}).content.decode()
        shown = {key for key, p in examples.items() if f'href="{p.get_absolute_url()}"' in body}
        assert shown == expected, name
        result = query.run(SearchParams.from_mapping({"q": WORD}), viewer=personas.user(name), with_snippets=False)
        assert result.total == len(expected)
        years = {v.value: v.count for f in result.facets if f.key == "year" for v in f.values}
        assert years.get("2021", 0) == len(expected), name  # facet counts hide the drafts too


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_exports(client_for, examples, fmt):
    response = client_for("charlie").get(reverse("practices:export"), {"format": fmt, "q": WORD})
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    elif fmt == "json":
        text = json.dumps(json.loads(response.content), ensure_ascii=False)
    else:
        text = response.content.decode("utf-8-sig")
    shown = {key for key, p in examples.items() if p.title in text}
    assert shown == CHARLIE_SEES


def test_similar_examples(client_for, examples):
    response = client_for("charlie").get(reverse("practices:detail", args=[examples["published_network"].pk]))
    similar = {p.pk for p in response.context["similar"]}
    hidden = {examples[k].pk for k in examples if k not in CHARLIE_SEES}
    assert not similar & hidden
    assert examples["draft_shared"].pk in similar


def test_reviewers_see_a_draft_only_while_it_is_in_review(client_for, personas, examples):
    draft = examples["draft_network"]
    url = reverse("practices:detail", args=[draft.pk])
    assert client_for("charlie").get(url).status_code == 404
    practice_submit(practice=draft, actor=personas.alice)
    assert client_for("charlie").get(url).status_code == 200  # a reviewer: editor of another municipality
    assert access.can_review(personas.charlie, draft) and not access.can_review(personas.alice, draft)


def test_labels_say_what_the_rule_does(client_for, personas):
    form_page = client_for("alice").get(reverse("practices:create"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Netzwerk: nach der Veröffentlichung" in form_page
    assert "Öffentlich: nach Prüfung und Veröffentlichung" in form_page
    assert "vor der Veröffentlichung den Partnerorganisationen zeigen" in form_page
    english = client_for("alice").get(reverse("practices:create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Network: once published, signed-in members of partner organisations" in english
