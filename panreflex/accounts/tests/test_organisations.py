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


def edit_url(slug="dortmund"):
    return reverse("accounts:organisation_edit", kwargs={"slug": slug})


def test_coordinator_edits_description_and_website_only(client_for, personas):
    client = client_for("carla")
    form = client.get(edit_url()).content.decode()
    assert 'name="description"' in form and 'name="name"' not in form
    response = client.post(edit_url(), {"website": "https://www.dortmund.de", "description": "Krisenstab <b>Dortmund</b>",
                                        "name": "Gekapert"})
    assert response.status_code == 302
    org = Organisation.objects.get(slug="dortmund")
    assert org.name == "Stadt Dortmund"
    assert org.description == "Krisenstab <b>Dortmund</b>"
    entry = AuditEntry.objects.get(object_id=str(org.pk), action="update")
    assert entry.changes["website"] == ["", "https://www.dortmund.de"]
    html = client.get(detail("dortmund")).content.decode()
    assert "Krisenstab &lt;b&gt;Dortmund&lt;/b&gt;" in html


def test_staff_edits_everything_with_clear_messages(client_for, personas):
    client = client_for("dora")
    response = client.post(edit_url("koeln"), {"name": "Stadt Dortmund", "kind": "municipality", "place": "05999999"})
    html = response.content.decode()
    assert "Eine Organisation mit diesem Namen gibt es bereits." in html
    assert "Es gibt keinen Ort mit dem Amtlichen Gemeindeschlüssel (AGS) 05999999." in html
    client.post(edit_url("koeln"), {"name": "Stadt Köln", "kind": "municipality", "place": "05315000",
                                    "description": "Neu", "is_partner": ""})
    org = Organisation.objects.get(slug="koeln")
    assert org.description == "Neu" and org.is_partner is False


def test_others_cannot_edit(client_for, personas):
    for name in ("alice", "bob", "charlie"):
        assert client_for(name).post(edit_url(), {"description": "x"}).status_code == 404
    assert Organisation.objects.get(slug="dortmund").description == ""
