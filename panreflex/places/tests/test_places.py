import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from panreflex.audit.models import AuditEntry
from panreflex.places import services
from panreflex.places.models import Place


@pytest.mark.django_db
def test_reference_places_are_there_after_migrate():
    assert Place.objects.filter(kind="municipality").count() == 396
    assert Place.objects.filter(kind="district").count() == 401
    assert Place.objects.filter(kind="state").count() == 16
    dortmund = Place.objects.get(kind="municipality", ags="05913000")
    assert dortmund.ars == "059130000000"
    assert dortmund.population == 588250 or dortmund.population > 500_000
    assert dortmund.size_class == "xl"
    assert dortmund.boundary["type"] in ("Polygon", "MultiPolygon")
    assert dortmund.parent.ags == "05913" and dortmund.parent.parent.ags == "05"
    assert Place.objects.filter(kind="municipality", boundary__isnull=True).count() == 0


@pytest.mark.django_db
def test_load_places_is_idempotent():
    before = Place.objects.count()
    call_command("load_places")
    assert Place.objects.count() == before


@pytest.mark.django_db
def test_ags_validation_messages():
    assert services.validate_ags("05315000").name == "Köln"
    with pytest.raises(ValidationError, match="8 Stellen"):
        services.validate_ags("5315")
    with pytest.raises(ValidationError, match="keinen Ort mit dem Schlüssel"):
        services.validate_ags("05999999")


@pytest.mark.django_db
def test_staff_adds_an_international_city_and_it_is_audited(client_for, personas):
    client = client_for("alice")
    response = client.post(reverse("places:city_create"), {"name": "Aarhus", "country_code": "dk", "population": "285273"})
    city = Place.objects.get(kind="city", name="Aarhus")
    assert response.status_code == 302 and city.country_code == "DK"
    assert AuditEntry.objects.filter(object_id=str(city.pk), action="create").exists()
    # the same city again, a wrong country code, and Germany are refused with clear messages
    again = client.post(reverse("places:city_create"), {"name": "aarhus", "country_code": "DK"})
    assert "already in the platform" in again.content.decode() or "bereits in der Plattform" in again.content.decode()
    wrong = client.post(reverse("places:city_create"), {"name": "X", "country_code": "XX"})
    assert "ISO 3166-1" in wrong.content.decode()
    de = client.post(reverse("places:city_create"), {"name": "Bonn", "country_code": "DE"})
    assert "AGS" in de.content.decode()
    assert Place.objects.filter(kind="city").count() == 1


@pytest.mark.django_db
def test_place_list_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("places:list"), {"q": "Essen"})
    assert "Essen" in response.content.decode()


@pytest.mark.django_db
def test_script_in_city_name_is_shown_as_text(client_for, personas):
    client_for("dora").post(reverse("places:city_create"), {"name": "<script>alert(1)</script>", "country_code": "FR"})
    city = Place.objects.get(kind="city")
    html = client_for("eve").get(city.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
