"""Feed, dashboard panel and the reusable SVG map helper."""

import pytest
from django.utils import translation

from panreflex.accounts.models import Visibility
from panreflex.lib.svgmap import Projection, Shape, classify, geometry_to_path, render_map
from panreflex.practices import services_workflow as wf
from panreflex.practices.feeds import practice_dashboard_panel, practice_feed
from panreflex.practices.models import Practice

from .factories import make_practice


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def test_feed_lists_only_visible_published(personas):
    make_practice(organisation=personas.dortmund, author=personas.alice, title="Öffentlich",
                  status=Practice.Status.PUBLISHED, visibility=Visibility.PUBLIC)
    make_practice(organisation=personas.dortmund, author=personas.alice, title="Netzwerk",
                  status=Practice.Status.PUBLISHED, visibility=Visibility.NETWORK)
    make_practice(organisation=personas.dortmund, author=personas.alice, title="Entwurf", visibility=Visibility.PUBLIC)
    assert [i.title for i in practice_feed(viewer=None, limit=10)] == ["Öffentlich"]
    assert sorted(i.title for i in practice_feed(viewer=personas.charlie, limit=10)) == ["Netzwerk", "Öffentlich"]
    assert practice_feed(viewer=None, limit=10)[0].kind == "Praxisbeispiel"


def test_dashboard_panel(personas):
    draft = make_practice(organisation=personas.dortmund, author=personas.alice, title="Mein Entwurf")
    submitted = make_practice(organisation=personas.dortmund, author=personas.alice, title="Zur Prüfung")
    wf.practice_submit(practice=submitted, actor=personas.alice)
    alice = practice_dashboard_panel(user=personas.alice)
    assert [label for label, _url in alice.items] == ["Entwurf: Mein Entwurf"]
    assert alice.items[0][1] == f"/praxisbeispiele/{draft.pk}/bearbeiten/"
    charlie = practice_dashboard_panel(user=personas.charlie)
    assert [label for label, _url in charlie.items] == ["Zu prüfen: Zur Prüfung"]
    assert practice_dashboard_panel(user=personas.bob) is None  # no drafts, no reviews, not an editor
    from django.contrib.auth.models import AnonymousUser

    assert practice_dashboard_panel(user=AnonymousUser()) is None


SQUARE = {"type": "Polygon", "coordinates": [[[7.0, 51.0], [8.0, 51.0], [8.0, 52.0], [7.0, 52.0], [7.0, 51.0]]]}
WITH_HOLE = {"type": "MultiPolygon", "coordinates": [[
    [[7.0, 51.0], [8.0, 51.0], [8.0, 52.0], [7.0, 52.0], [7.0, 51.0]],
    [[7.4, 51.4], [7.6, 51.4], [7.6, 51.6], [7.4, 51.6], [7.4, 51.4]],
]]}


def test_projection_scales_longitude_by_cos_latitude():
    projection = Projection([SQUARE], width=100, padding=0)
    # one degree of longitude at 51.5° N is cos(51.5°) ≈ 0.62 of a degree of latitude
    assert projection.height == pytest.approx(100 / 0.6225, rel=0.01)
    assert projection(7.0, 52.0) == (0, 0)
    assert projection(8.0, 51.0)[0] == pytest.approx(100)


def test_geometry_to_path_and_holes():
    projection = Projection([WITH_HOLE], width=100, padding=0)
    path = geometry_to_path(WITH_HOLE, projection)
    assert path.count("M") == 2 and path.count("Z") == 2
    assert geometry_to_path(None, projection) == ""


def test_render_map_escapes_and_links():
    svg = render_map([Shape(key="1", geometry=SQUARE, label="<Köln>", href="/x?a=1&b=2", fill="#fff"),
                      Shape(key="2", geometry=WITH_HOLE, label="Bonn")], title="Karte & Tabelle")
    assert svg.startswith("<svg") and 'role="group"' in svg
    assert "&lt;Köln&gt;" in svg and "<Köln>" not in svg
    assert 'href="/x?a=1&amp;b=2"' in svg and "Karte &amp; Tabelle" in svg
    assert svg.count('class="map-link"') == 1


def test_classify():
    colours = ("a", "b", "c", "d")
    assert [classify(n, (0, 1, 3, 10**6), colours) for n in (0, 1, 2, 3, 4, 99)] == ["a", "b", "c", "c", "d", "d"]
