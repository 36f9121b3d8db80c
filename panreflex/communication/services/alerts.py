"""CAP 1.2 alerts: compose, update/cancel with references, import (all or nothing), export."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts.models import Visibility
from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record

from .. import cap
from ..models import Alert, AlertArea, AlertInfo

AUDIT_FIELDS = ["identifier", "sender", "status", "msg_type", "scope", "references", "origin", "visibility"]


def _audit(actor, action, alert: Alert, note: str = "") -> None:
    audit_record(actor=actor, action=action, obj=alert,
                 changes={f: [None, str(getattr(alert, f))] for f in AUDIT_FIELDS}, note=note)


# --- reading the model back as AlertData ---------------------------------------------------------------
def alert_data(alert: Alert) -> dict:
    infos = []
    for info in alert.infos.all():
        infos.append({
            "language": info.language, "categories": info.categories, "event": info.event,
            "responseTypes": info.response_types, "urgency": info.urgency, "severity": info.severity,
            "certainty": info.certainty, "audience": info.audience, "eventCodes": info.event_codes,
            "effective": info.effective, "onset": info.onset, "expires": info.expires,
            "senderName": info.sender_name, "headline": info.headline, "description": info.description,
            "instruction": info.instruction, "web": info.web, "contact": info.contact,
            "parameters": info.parameters, "resources": info.resources,
            "areas": [{"areaDesc": a.area_desc, "polygons": [cap.format_polygon(p) for p in a.polygons],
                       "circles": a.circles, "geocodes": a.geocodes, "altitude": a.altitude, "ceiling": a.ceiling}
                      for a in info.areas.all()],
        })
    return {
        "identifier": alert.identifier, "sender": alert.sender,
        "sent": alert.sent_text or cap.format_datetime(alert.sent), "status": alert.status,
        "msgType": alert.msg_type, "source": alert.source, "scope": alert.scope, "restriction": alert.restriction,
        "addresses": alert.addresses, "codes": alert.codes, "note": alert.note, "references": alert.references,
        "incidents": alert.incidents, "infos": infos,
    }


def alert_export(*, alert: Alert) -> bytes:
    """The CAP XML of an alert: an imported alert's original document byte for byte (a signature stays
    intact); a composed alert written anew and validated against the schema."""
    if alert.original:
        return bytes(alert.original)
    return cap.build(alert_data(alert))


# --- storing ------------------------------------------------------------------------------------------
def _store(*, alert: Alert, data: dict) -> Alert:
    alert.save()
    for i, info in enumerate(data["infos"]):
        row = AlertInfo.objects.create(
            alert=alert, position=i, language=info.get("language") or "en-US",
            categories=info.get("categories") or [], event=info["event"],
            response_types=info.get("responseTypes") or [], urgency=info["urgency"], severity=info["severity"],
            certainty=info["certainty"], audience=info.get("audience", ""), event_codes=info.get("eventCodes") or [],
            effective=info.get("effective", ""), onset=info.get("onset", ""), expires=info.get("expires", ""),
            sender_name=info.get("senderName", ""), headline=info.get("headline", ""),
            description=info.get("description", ""), instruction=info.get("instruction", ""),
            web=info.get("web", ""), contact=info.get("contact", ""), parameters=info.get("parameters") or [],
            resources=info.get("resources") or [],
        )
        for j, area in enumerate(info.get("areas") or []):
            AlertArea.objects.create(
                info=row, position=j, area_desc=area["areaDesc"],
                polygons=[cap.parse_polygon(p) for p in area.get("polygons") or []],
                circles=area.get("circles") or [], geocodes=area.get("geocodes") or [],
                altitude=area.get("altitude", ""), ceiling=area.get("ceiling", ""),
            )
    return alert


def _previous_from_references(references: str) -> Alert | None:
    for entry in reversed((references or "").split()):
        parts = entry.split(",")
        if len(parts) >= 2:
            found = Alert.objects.filter(sender=parts[0], identifier=parts[1]).first()
            if found is not None:
                return found
    return None


def alert_import(*, data: bytes, actor=None, organisation=None) -> tuple[Alert, bool]:
    """Import a CAP 1.2 document into the register of past warnings. All or nothing: raises
    `cap.CapError` (a message for the user) and stores nothing on bad input. Importing the very same
    document again stores nothing and returns the alert already there (created False)."""
    parsed = cap.read(data)
    sent = cap.parse_datetime(parsed["sent"])
    for info in parsed["infos"]:
        for name in ("effective", "onset", "expires"):
            if info.get(name):
                cap.parse_datetime(info[name])
    existing = Alert.objects.filter(sender=parsed["sender"], identifier=parsed["identifier"]).first()
    if existing is not None:
        if existing.original is not None and bytes(existing.original) == bytes(data):
            return existing, False
        raise cap.CapError(_("An alert with sender %(sender)s and identifier %(identifier)s is already in the "
                             "register (no. %(id)d) with different content.")
                           % {"sender": parsed["sender"], "identifier": parsed["identifier"], "id": existing.pk})
    public = parsed["scope"] == "Public"
    alert = Alert(
        organisation=organisation, identifier=parsed["identifier"], sender=parsed["sender"], sent=sent,
        sent_text=parsed["sent"], status=parsed["status"], msg_type=parsed["msgType"], scope=parsed["scope"],
        source=parsed["source"], restriction=parsed["restriction"], addresses=parsed["addresses"],
        codes=parsed["codes"], note=parsed["note"], references=parsed["references"], incidents=parsed["incidents"],
        origin=Alert.Origin.IMPORTED, original=bytes(data), encoding=parsed["encoding"], signed=parsed["signed"],
        visibility=Visibility.PUBLIC if public else Visibility.PRIVATE,
        released_at=timezone.now() if public and organisation is None else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    with transaction.atomic():
        alert.previous = _previous_from_references(parsed["references"])
        _store(alert=alert, data=parsed)
        _audit(actor, AuditEntry.Action.CREATE, alert, note="CAP import")
    return alert, True


def default_sender(organisation) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{organisation.slug}@{host}"


def new_identifier(organisation) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    ags = getattr(getattr(organisation, "place", None), "ags", "") or organisation.slug
    return f"DE-{ags}-{stamp}-{secrets.token_hex(3)}"


def _inside_organisation(organisation, polygons: list[list[list[float]]]) -> None:
    """Every polygon must lie within the organisation's boundary (a tolerance of about 500 m)."""
    place = getattr(organisation, "place", None)
    boundary = getattr(place, "boundary", None)
    if not boundary:
        return
    from shapely.geometry import Polygon, shape

    area = shape(boundary).buffer(0.005)
    for points in polygons:
        polygon = Polygon([(lon, lat) for lat, lon in points])
        if not polygon.is_valid:
            raise ValidationError({"polygon": _("The polygon crosses itself; draw its outline without crossings.")})
        if not area.contains(polygon):
            raise ValidationError({"polygon": _("The polygon lies (partly) outside the area of %(place)s.")
                                   % {"place": place.name}})


def _check_identifier(value: str, field: str) -> None:
    if cap._BAD_ID.search(value or ""):
        raise ValidationError({field: _("CAP does not allow spaces, commas, “<” or “&” here.")})


def alert_compose(*, organisation, author, alert_fields: dict, infos: list[dict], area: dict,
                  previous: Alert | None = None, msg_type: str = "Alert", is_demo: bool = False) -> Alert:
    """Compose a CAP alert (or, with `previous`, an update or cancellation of it).

    `alert_fields`: status, scope, note, sender (optional), identifier (optional), sent (optional datetime);
    `infos`: per language {language, categories, event, urgency, severity, certainty, headline, description,
    instruction, web, contact, senderName, responseTypes, effective, onset, expires (datetimes or "")};
    `area`: {areaDesc, polygon: [[lat, lon], ...] or None}. Validates everything (closed polygon inside the
    organisation's area, mandatory fields, the official schema) before storing; raises ValidationError."""
    if not infos:
        raise ValidationError(_("Add at least one language block (info)."))
    polygon = area.get("polygon")
    polygons = []
    if polygon:
        try:
            polygons = [cap.parse_polygon(cap.format_polygon(polygon))]
        except cap.CapError as exc:
            raise ValidationError({"polygon": str(exc)}) from exc
        _inside_organisation(organisation, polygons)
    if not (area.get("areaDesc") or "").strip():
        raise ValidationError({"area_desc": _("Describe the area (e.g. the city district).")})
    sender = (alert_fields.get("sender") or default_sender(organisation)).strip()
    identifier = (alert_fields.get("identifier") or new_identifier(organisation)).strip()
    _check_identifier(sender, "sender")
    _check_identifier(identifier, "identifier")
    sent = alert_fields.get("sent") or timezone.now()
    languages = [i.get("language") for i in infos]
    if len(set(languages)) != len(languages):
        raise ValidationError(_("Each language may appear only once."))
    references = ""
    if msg_type in ("Update", "Cancel"):
        if previous is None:
            raise ValidationError(_("An update or cancellation must name the alert it refers to."))
        if previous.msg_type == "Cancel":
            raise ValidationError(_("A cancelled alert cannot be updated or cancelled again."))
        references = " ".join([*previous.references.split(), previous.reference_key])
    area_data = {"areaDesc": area["areaDesc"].strip(), "polygons": [cap.format_polygon(p) for p in polygons]}
    data = {
        "identifier": identifier, "sender": sender, "sent": cap.format_datetime(sent),
        "status": alert_fields.get("status") or "Actual", "msgType": msg_type,
        "scope": alert_fields.get("scope") or "Public", "note": alert_fields.get("note", ""),
        "references": references, "infos": [],
    }
    for info in infos:
        entry = {k: info.get(k, "") for k in ("language", "event", "urgency", "severity", "certainty", "headline",
                                              "description", "instruction", "web", "contact", "senderName",
                                              "audience")}
        entry["categories"] = list(info.get("categories") or [])
        entry["responseTypes"] = list(info.get("responseTypes") or [])
        for name in ("effective", "onset", "expires"):
            value = info.get(name)
            entry[name] = cap.format_datetime(value) if value else ""
        entry["areas"] = [area_data]
        data["infos"].append(entry)
    try:
        cap.build(data)  # the official schema decides; nothing stored unless it passes
    except cap.CapError as exc:
        raise ValidationError(str(exc)) from exc
    if Alert.objects.filter(sender=sender, identifier=identifier).exists():
        raise ValidationError({"identifier": _("This identifier is already used by another alert of this sender.")})
    alert = Alert(
        organisation=organisation, identifier=identifier, sender=sender, sent=sent, sent_text=data["sent"],
        status=data["status"], msg_type=msg_type, scope=data["scope"], note=data["note"], references=references,
        previous=previous, origin=Alert.Origin.COMPOSED, visibility=alert_fields.get("visibility") or Visibility.PRIVATE,
        created_by=author if getattr(author, "is_authenticated", False) else None, is_demo=is_demo,
    )
    with transaction.atomic():
        _store(alert=alert, data=data)
        _audit(author, AuditEntry.Action.CREATE, alert)
    return alert


def alert_follow_up(*, previous: Alert, author, msg_type: str, infos: list[dict] | None = None,
                    area: dict | None = None, alert_fields: dict | None = None) -> Alert:
    """An update or cancellation of `previous`; without new infos/area they are copied from it."""
    if infos is None:
        infos = []
        for info in previous.infos.all():
            infos.append({"language": info.language, "categories": info.categories, "event": info.event,
                          "urgency": "Past" if msg_type == "Cancel" else info.urgency, "severity": info.severity,
                          "certainty": info.certainty, "headline": info.headline, "description": info.description,
                          "instruction": info.instruction, "web": info.web, "contact": info.contact,
                          "senderName": info.sender_name, "responseTypes": info.response_types})
    if area is None:
        first = AlertArea.objects.filter(info__alert=previous).first()
        area = {"areaDesc": first.area_desc if first else "", "polygon": (first.polygons[0] if first and first.polygons
                                                                          else None)}
    fields = {"status": previous.status, "scope": previous.scope, "sender": previous.sender, **(alert_fields or {})}
    return alert_compose(organisation=previous.organisation, author=author, alert_fields=fields, infos=infos,
                         area=area, previous=previous, msg_type=msg_type)


@transaction.atomic
def alert_delete(*, alert: Alert, actor) -> None:
    if alert.followers.exists():
        raise ValidationError(_("Later alerts refer to this one; it stays in the register."))
    _audit(actor, AuditEntry.Action.DELETE, alert)
    alert.delete()


def boundary_polygon(geometry: dict, *, max_points: int = 150) -> list[list[float]]:
    """The outline of a GeoJSON (Multi)Polygon as a closed CAP polygon ([lat, lon] pairs): the largest
    part's exterior ring, simplified until it has at most `max_points` points."""
    from shapely.geometry import shape

    geom = shape(geometry)
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    if geom.geom_type != "Polygon":
        raise ValidationError(_("This boundary is not an area."))
    tolerance = 0.0
    ring = geom.exterior
    while len(ring.coords) > max_points:
        tolerance = tolerance * 2 if tolerance else 0.0005
        ring = geom.simplify(tolerance, preserve_topology=True).exterior
    points = [[round(lat, 5), round(lon, 5)] for lon, lat, *_rest in ring.coords]
    if points[0] != points[-1]:
        points.append(points[0])
    return points
