"""Organisation pages and creation by the project team (place by AGS or name)."""

import pytest
from django.urls import reverse

from panreflex.accounts.models import Organisation
from panreflex.audit.models import AuditEntry
from panreflex.testing.factories import OrganisationFactory

CREATE = reverse("accounts:organisation_create")


def detail(slug):
    return reverse("accounts:organisation_detail", kwargs={"slug": slug})


def test_list_is_public_and_needs_few_queries(client, personas, django_assert_max_num_queries):
    for n in range(15):
        OrganisationFactory(name=f"Verein {n}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("accounts:organisation_list"))
    assert response.status_code == 200
    assert "Verein 14" in response.content.decode()


def test_detail_shows_kind_and_place_to_everyone_but_members_only_to_members(client_for, personas):
    anonymous = client_for("eve").get(detail("dortmund")).content.decode()
    assert "Kommunalverwaltung" in anonymous
    assert "Dortmund" in anonymous and "05913000" in anonymous
    assert "Mitglieder" not in anonymous
    assert "alice" not in anonymous.lower().replace("alice@", "")
    other = client_for("charlie").get(detail("dortmund")).content.decode()
    assert "Mitglieder" not in other
    for name in ("vera", "alice", "carla", "dora"):
        html = client_for(name).get(detail("dortmund")).content.decode()
        assert "Mitglieder" in html and "Alice" in html and "Redaktion" in html
    assert "Mitglieder und Einladungen verwalten" in client_for("carla").get(detail("dortmund")).content.decode()
    assert "Mitglieder und Einladungen verwalten" not in client_for("alice").get(detail("dortmund")).content.decode()


def test_staff_creates_organisation_with_ags(client_for, personas):
    response = client_for("dora").post(CREATE, {"name": "Stadt Bochum", "kind": "municipality", "place": "05911000",
                                                "website": "www.bochum.de", "description": "", "is_partner": "on"})
    org = Organisation.objects.get(name="Stadt Bochum")
    assert response["Location"] == org.get_absolute_url()
    assert org.place.name == "Bochum" and org.slug == "stadt-bochum"
    assert org.website == "https://www.bochum.de"
    assert AuditEntry.objects.filter(object_id=str(org.pk), action="create", actor=personas.dora).exists()


def test_place_by_name(client_for, personas):
    client_for("dora").post(CREATE, {"name": "Kreis Unna Verwaltung", "kind": "district", "place": "unna"})
    org = Organisation.objects.get(name="Kreis Unna Verwaltung")
    assert org.place.kind == "district" and org.place.ags == "05978"


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("05999999", "Es gibt keinen Ort mit dem Amtlichen Gemeindeschlüssel (AGS) 05999999."),
        ("0591300", "„0591300“ ist kein Amtlicher Gemeindeschlüssel (AGS)"),
        ("Atlantis", "Es gibt keinen Ort namens „Atlantis“."),
    ],
)
def test_wrong_place_gives_a_clear_message_and_stores_nothing(client_for, personas, place, message):
    response = client_for("dora").post(CREATE, {"name": "Neue Stelle", "kind": "other", "place": place})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(name="Neue Stelle").exists()


def test_duplicate_name_case_insensitive_and_overlong_name(client_for, personas):
    client = client_for("dora")
    response = client.post(CREATE, {"name": "stadt DORTMUND", "kind": "municipality", "place": ""})
    assert "Eine Organisation mit diesem Namen gibt es bereits." in response.content.decode()
    response = client.post(CREATE, {"name": "X" * 201, "kind": "other", "place": ""})
    assert "höchstens 200 Zeichen" in response.content.decode()
    assert Organisation.objects.count() == 3


def test_html_in_name_and_description_is_stored_as_text_and_escaped(client_for, personas):
    client = client_for("dora")
    client.post(CREATE, {"name": "<img src=x onerror=alert(1)>", "kind": "other", "place": "",
                         "description": "<script>alert(1)</script>"})
    org = Organisation.objects.get(kind="other")
    assert org.name == "<img src=x onerror=alert(1)>"
    html = client.get(org.get_absolute_url()).content.decode()
    assert "<img src=x onerror" not in html and "<script>alert(1)</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_only_staff_may_create(client_for, personas):
    for name in ("alice", "carla", "charlie"):
        assert client_for(name).post(CREATE, {"name": "X", "kind": "other"}).status_code == 404
    assert Organisation.objects.count() == 3


def test_audit_trail_of_an_organisation_only_for_staff(client_for, personas):
    client_for("dora").post(CREATE, {"name": "Stadt Hagen", "kind": "municipality", "place": "05914000"})
    url = detail(Organisation.objects.get(name="Stadt Hagen").slug)
    assert "Änderungen an dieser Organisation" in client_for("dora").get(url).content.decode()
    assert "Änderungen an dieser Organisation" not in client_for("carla").get(url).content.decode()
