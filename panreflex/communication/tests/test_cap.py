"""CAP 1.2: validation against the official schema, the real alerts of interop/cap, references of updates
and cancellations, polygons, the command line, and bad input (nothing stored)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from panreflex.communication import cap
from panreflex.communication.models import Alert, AlertArea, AlertInfo
from panreflex.communication.services import (
    alert_compose,
    alert_export,
    alert_follow_up,
    alert_import,
    boundary_polygon,
)

INTEROP = Path(__file__).resolve().parents[4] / "shared" / "data" / "interop" / "cap"
if not INTEROP.exists():  # the worktree sits next to ../shared
    INTEROP = Path("/work/shared/data/interop/cap")
REAL_ALERTS = sorted(INTEROP.glob("*.cap"))
NEGATIVE = sorted((INTEROP / "negative").glob("*.cap"))


@pytest.fixture(scope="module")
def official_schema():
    """The official XSD read by a second, independent library (xmlschema) for cross-checking."""
    return xmlschema.XMLSchema(str(cap.SCHEMA_PATH))


def test_the_shipped_schema_is_the_official_one():
    assert cap.SCHEMA_PATH.read_bytes() == (INTEROP / "CAP-v1.2.xsd").read_bytes()


def test_there_are_real_alerts_to_test_with():
    assert len(REAL_ALERTS) >= 4 and NEGATIVE


@pytest.mark.django_db
@pytest.mark.parametrize("path", REAL_ALERTS, ids=lambda p: p.name)
def test_every_real_alert_imports_and_exports_unchanged(path, official_schema):
    data = path.read_bytes()
    official_schema.validate(io.BytesIO(data))  # the file itself is valid CAP 1.2
    alert, created = alert_import(data=data)
    assert created and alert.origin == Alert.Origin.IMPORTED
    parsed = cap.read(data)
    assert alert.identifier == parsed["identifier"] and alert.sender == parsed["sender"]
    assert alert.infos.count() == len(parsed["infos"])
    assert alert_export(alert=alert) == data  # byte for byte (a signature would stay intact)
    again, created_again = alert_import(data=data)
    assert again.pk == alert.pk and not created_again
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_canada_keeps_both_languages_and_its_references():
    alert, _ = alert_import(data=(INTEROP / "canada.cap").read_bytes())
    languages = list(alert.infos.values_list("language", flat=True))
    assert "en-CA" in languages and len(languages) >= 2
    assert alert.msg_type == "Update" and "cap@ec.gc.ca,2.49.0.1.124.a3f342a4.2012" in alert.references
    polygons = AlertArea.objects.filter(info__alert=alert).exclude(polygons=[]).first().polygons
    assert polygons[0][0] == polygons[0][-1]


@pytest.mark.django_db
@pytest.mark.parametrize("path", NEGATIVE, ids=lambda p: p.name)
def test_negative_alert_is_refused_with_the_missing_field(path):
    with translation.override("de"), pytest.raises(cap.CapError) as info:
        alert_import(data=path.read_bytes())
    assert "<scope>" in str(info.value) and "fehlt" in str(info.value)
    assert Alert.objects.count() == AlertInfo.objects.count() == 0


@pytest.mark.django_db
def test_the_message_is_in_the_users_language():
    data = (INTEROP / "negative" / "invalid.cap").read_bytes()
    with translation.override("en"), pytest.raises(cap.CapError) as info:
        cap.read(data)
    assert str(info.value) == "The mandatory CAP field <scope> of the alert is missing or empty."


MINIMAL = """<?xml version="1.0" encoding="{enc}"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{ident}</identifier><sender>test@example.org</sender><sent>2026-07-01T12:00:00+02:00</sent>
  <status>Exercise</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>Hitze</event><urgency>Expected</urgency><severity>Moderate</severity>
    <certainty>Likely</certainty><headline>{headline}</headline>
    <area><areaDesc>Innenstadt</areaDesc>{polygon}</area></info>
  {extra}
</alert>"""


def minimal(*, enc="UTF-8", ident="t-1", headline="Hitzewarnung", polygon="", extra="") -> str:
    return MINIMAL.format(enc=enc, ident=ident, headline=headline, polygon=polygon, extra=extra)


@pytest.mark.django_db
def test_any_declared_encoding_is_read():
    text = minimal(enc="ISO-8859-1", headline="Große Hitze in Düsseldorf")
    alert, _ = alert_import(data=text.encode("iso-8859-1"))
    assert alert.infos.get().headline == "Große Hitze in Düsseldorf"
    assert alert.encoding.upper() == "ISO-8859-1"
    utf16 = minimal(enc="UTF-16", ident="t-2").encode("utf-16")
    assert alert_import(data=utf16)[0].identifier == "t-2"


@pytest.mark.django_db
def test_a_signed_alert_is_kept_with_its_signature():
    signature = ('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/>'
                 '<SignatureValue>AAAA</SignatureValue></Signature>')
    data = minimal(extra=signature).encode()
    alert, _ = alert_import(data=data)
    assert alert.signed
    assert b"<SignatureValue>AAAA</SignatureValue>" in alert_export(alert=alert)


@pytest.mark.django_db
@pytest.mark.parametrize("data, expected", [
    (b"<alert", "nicht wohlgeformt"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "keine CAP-Meldung"),
    (b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.1'/>", "CAP 1.2"),
    (b"", "leer"),
    (minimal(polygon="<polygon>51.5,7.4 51.6,7.4 51.6,7.5 51.5,7.6</polygon>").encode(), "nicht geschlossen"),
    (minimal(polygon="<polygon>51.5,7.4 51.5,7.4</polygon>").encode(), "vier Punkte"),
    (minimal().replace("<urgency>Expected</urgency>", "<urgency>Soon</urgency>").encode(), "Schema"),
    (minimal().replace("+02:00</sent>", "Z</sent>").encode(), "Schema"),
])
def test_bad_input_is_refused_with_a_precise_message(data, expected):
    with translation.override("de"), pytest.raises(cap.CapError) as info:
        alert_import(data=data)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)
    assert Alert.objects.count() == 0 and AlertInfo.objects.count() == 0 and AlertArea.objects.count() == 0


# --- composing ---------------------------------------------------------------------------------------
def _info(**extra):
    return {"language": "de-DE", "categories": ["Met", "Health"], "event": "Hitze", "urgency": "Expected",
            "severity": "Severe", "certainty": "Likely", "headline": "Hitzewarnung für Dortmund",
            "description": "Es wird sehr heiß.", "instruction": "Trinken Sie viel Wasser.", **extra}


def _dortmund_polygon(personas):
    return boundary_polygon(personas.dortmund.place.boundary)


@pytest.mark.django_db
def test_composed_alert_validates_against_the_official_schema(personas, official_schema):
    polygon = _dortmund_polygon(personas)
    alert = alert_compose(organisation=personas.dortmund, author=personas.alice,
                          alert_fields={"status": "Exercise", "scope": "Public"},
                          infos=[_info(), _info(language="en-GB", headline="Heat warning", event="Heat")],
                          area={"areaDesc": "Stadtgebiet Dortmund", "polygon": polygon})
    xml = alert_export(alert=alert)
    official_schema.validate(io.BytesIO(xml))  # independent second validator
    cap.validate(cap.parse_document(xml))
    parsed = cap.read(xml)
    assert [i["language"] for i in parsed["infos"]] == ["de-DE", "en-GB"]
    assert cap.DATETIME_RE.match(parsed["sent"])
    ring = cap.parse_polygon(parsed["infos"][0]["areas"][0]["polygons"][0])
    assert ring[0] == ring[-1] and len(ring) >= 4


@pytest.mark.django_db
def test_update_and_cancel_reference_the_earlier_alerts(personas, official_schema):
    polygon = _dortmund_polygon(personas)
    first = alert_compose(organisation=personas.dortmund, author=personas.alice, alert_fields={"status": "Exercise"},
                          infos=[_info()], area={"areaDesc": "Dortmund", "polygon": polygon})
    update = alert_follow_up(previous=first, author=personas.alice, msg_type="Update")
    cancel = alert_follow_up(previous=update, author=personas.alice, msg_type="Cancel")
    assert update.msg_type == "Update" and update.references == first.reference_key
    assert cancel.references.split() == [first.reference_key, update.reference_key]
    for alert in (update, cancel):
        xml = alert_export(alert=alert)
        official_schema.validate(io.BytesIO(xml))
        assert cap.read(xml)["references"] == alert.references
    sender, identifier, sent = first.reference_key.split(",")
    assert sender == first.sender and identifier == first.identifier and cap.DATETIME_RE.match(sent)
    with pytest.raises(ValidationError):
        alert_follow_up(previous=cancel, author=personas.alice, msg_type="Update")
    with pytest.raises(ValidationError):
        alert_compose(organisation=personas.dortmund, author=personas.alice, alert_fields={}, infos=[_info()],
                      area={"areaDesc": "Dortmund", "polygon": polygon}, msg_type="Update")


@pytest.mark.django_db
def test_an_imported_update_is_linked_to_the_alert_it_references(personas):
    first, _ = alert_import(data=minimal(ident="a-1").encode())
    key = "test@example.org,a-1,2026-07-01T12:00:00+02:00"
    update = minimal(ident="a-2").replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>").replace(
        "<info>", f"<references>{key}</references><info>")
    second, _ = alert_import(data=update.encode())
    assert second.previous == first and second.references == key


@pytest.mark.django_db
def test_polygons_must_be_closed_and_inside_the_organisation(personas):
    count = Alert.objects.count()
    open_ring = [[51.5, 7.4], [51.55, 7.4], [51.55, 7.5], [51.52, 7.45]]
    with translation.override("de"), pytest.raises(ValidationError) as info:
        alert_compose(organisation=personas.dortmund, author=personas.alice, alert_fields={}, infos=[_info()],
                      area={"areaDesc": "X", "polygon": open_ring})
    assert "nicht geschlossen" in str(info.value)
    cologne = [[50.93, 6.95], [50.95, 6.95], [50.95, 6.97], [50.93, 6.95]]
    with translation.override("de"), pytest.raises(ValidationError) as info:
        alert_compose(organisation=personas.dortmund, author=personas.alice, alert_fields={}, infos=[_info()],
                      area={"areaDesc": "Köln", "polygon": cologne})
    assert "außerhalb" in str(info.value) and "Dortmund" in str(info.value)
    with pytest.raises(ValidationError):
        alert_compose(organisation=personas.dortmund, author=personas.alice, alert_fields={},
                      infos=[_info(urgency="")], area={"areaDesc": "X", "polygon": None})
    assert Alert.objects.count() == count


# --- command line -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_import_cap_prints_the_id_on_its_last_line_and_export_cap_prints_xml():
    out = io.StringIO()
    call_command("import_cap", str(INTEROP / "thunderstorm.cap"), stdout=out, stderr=io.StringIO())
    alert_id = out.getvalue().strip().splitlines()[-1]
    assert alert_id.isdigit() and Alert.objects.filter(pk=int(alert_id)).exists()
    out = io.StringIO()
    call_command("export_cap", alert_id, stdout=out)
    assert "KSTO1055887203" in out.getvalue()


@pytest.mark.django_db
def test_import_cap_fails_in_one_line_and_stores_nothing():
    with pytest.raises(CommandError) as info:
        call_command("import_cap", str(INTEROP / "negative" / "invalid.cap"), stdout=io.StringIO())
    assert "scope" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(CommandError):
        call_command("import_cap", "/nonexistent/file.cap", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("export_cap", "987654", stdout=io.StringIO())
    assert Alert.objects.count() == 0
