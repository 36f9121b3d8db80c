"""Issue 18, last gaps: the network over a period, and documents as the source of an event."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from panreflex.multilevel.models import Actor, Relation
from panreflex.multilevel.selectors import NetworkFilters, network
from panreflex.multilevel.services import actor_create, relation_create

CITY = {"ags": "05913000"}


@pytest.fixture
def periods(personas):
    city = personas.dortmund.place
    make = lambda name: actor_create(organisation=personas.dortmund, author=personas.alice,  # noqa: E731
                                     municipality=city, name=name, level="municipality", kind="other",
                                     visibility="public")
    a, b, c, d = make("Stab"), make("Amt"), make("Feuerwehr"), make("Schulamt")
    Actor.objects.update(released_at=timezone.now())
    spans = {"spring": (a, b, date(2020, 3, 1), date(2020, 5, 31)), "autumn": (a, c, date(2020, 10, 1), date(2020, 12, 31)),
             "open_end": (b, d, date(2021, 1, 10), None), "always": (c, d, None, None)}
    out = {}
    for name, (s, t, start, end) in spans.items():
        out[name] = relation_create(organisation=personas.dortmund, author=personas.alice, source=s, target=t,
                                    kind="informs", visibility="public", valid_from=start, valid_to=end, note=name)
    Relation.objects.update(released_at=timezone.now())
    return out


def _notes(personas, start=None, end=None):
    _actors, relations = network(viewer=personas.eve, city=personas.dortmund.place,
                                 filters=NetworkFilters(start=start, end=end))
    return {r.note for r in relations}


@pytest.mark.django_db
def test_network_period_shows_relations_valid_in_any_part_of_it(personas, periods):
    assert _notes(personas) == {"spring", "autumn", "open_end", "always"}
    # overlapping only at the edges counts: 31.05. is the last day of "spring", 01.10. the first of "autumn"
    assert _notes(personas, date(2020, 5, 31), date(2020, 10, 1)) == {"spring", "autumn", "always"}
    assert _notes(personas, date(2020, 6, 1), date(2020, 9, 30)) == {"always"}
    assert _notes(personas, date(2021, 2, 1), date(2021, 2, 1)) == {"open_end", "always"}
    assert _notes(personas, start=date(2020, 11, 1)) == {"autumn", "open_end", "always"}  # from … onwards
    assert _notes(personas, end=date(2020, 4, 1)) == {"spring", "always"}  # until …


@pytest.mark.django_db
def test_network_page_period_parameters_and_messages(client_for, periods):
    url = reverse("multilevel:network", kwargs=CITY)

    def relations_table(html):
        return html.split('class="table relations-table"')[1].split("</table>")[0]

    html = client_for("eve").get(url, {"valid_from": "2020-06-01", "valid_to": "2020-10-15"}).content.decode()
    table = relations_table(html)
    assert "Feuerwehr" in table and "Stab" in table and table.count("<tr>") == 3  # header + autumn + always
    assert "zwischen 01.06.2020 und 15.10.2020" in html
    assert 'value="2020-06-01"' in html  # the form keeps the period
    # the old one-day parameter still works: a period of one day
    html = client_for("eve").get(url, {"on": "2020-04-01"}).content.decode()
    assert relations_table(html).count("<tr>") == 3 and "gültig am 01.04.2020" in html
    # an end before the start: a precise message, in German and English
    html = client_for("eve").get(url, {"valid_from": "2020-06-01", "valid_to": "2020-05-01"}).content.decode()
    assert "Das Ende des Zeitraums (01.05.2020) liegt vor seinem Beginn (01.06.2020)." in html
    html = client_for("eve").get(url, {"valid_from": "1.6.2020x"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enter the start of the period as a date" in html
    # exports take the same period
    csv = client_for("eve").get(reverse("multilevel:export_network_csv", kwargs=CITY),
                                {"valid_from": "2020-06-01", "valid_to": "2020-09-30"}).content.decode("utf-8-sig")
    assert "always" in csv and "spring" not in csv and "autumn" not in csv
