"""OASIS Common Alerting Protocol 1.2: hardened parsing, validation against the official schema, and
writing. No database here: alerts travel as plain dicts (see `AlertData` below); `services` stores them.

Hardening (issue 17, "Bad input"): a document with a DOCTYPE or an entity declaration is refused before
it is parsed, in whatever encoding it declares; the parser itself (lxml/libxml2) is configured never to
resolve entities, load a DTD or touch the network (`resolve_entities=False, load_dtd=False,
no_network=True`), and after parsing a document with any DTD left is refused again. So no entity is ever
expanded (billion laughs) and no local file or network address is read (external entities), and the
refusal is immediate. The XSD is the official CAP 1.2 schema, shipped with the app (data/CAP-v1.2.xsd).

`AlertData`: {"identifier", "sender", "sent", "status", "msgType", "source", "scope", "restriction",
"addresses", "codes": [...], "note", "references", "incidents", "signed": bool, "infos": [{"language",
"categories": [...], "event", "responseTypes": [...], "urgency", "severity", "certainty", "audience",
"eventCodes": [[name, value]], "effective", "onset", "expires", "senderName", "headline", "description",
"instruction", "web", "contact", "parameters": [[name, value]], "resources": [{...}], "areas": [{"areaDesc",
"polygons": ["lat,lon lat,lon ..."], "circles": [...], "geocodes": [[name, value]], "altitude",
"ceiling"}]}]}
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

NS = "urn:oasis:names:tc:emergency:cap:1.2"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "CAP-v1.2.xsd"
MAX_BYTES = 5 * 1024 * 1024

STATUSES = ["Actual", "Exercise", "System", "Test", "Draft"]
MSG_TYPES = ["Alert", "Update", "Cancel", "Ack", "Error"]
SCOPES = ["Public", "Restricted", "Private"]
CATEGORIES = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra",
              "CBRNE", "Other"]
RESPONSE_TYPES = ["Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"]
URGENCIES = ["Immediate", "Expected", "Future", "Past", "Unknown"]
SEVERITIES = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
CERTAINTIES = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"]

ALERT_MANDATORY = ("identifier", "sender", "sent", "status", "msgType", "scope")
INFO_MANDATORY = ("category", "event", "urgency", "severity", "certainty")
DATETIME_RE = re.compile(r"^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
# What CAP forbids in identifiers and senders: spaces, commas and restricted characters < and &.
_BAD_ID = re.compile(r"[\s,<&]")


class CapError(ValueError):
    """Bad CAP input; the message is for the user (in the active language), one line."""


# --- parsing -----------------------------------------------------------------------------------------
_FORBIDDEN = ("<!DOCTYPE", "<!ENTITY")
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def _declares_dtd(data: bytes) -> bool:
    """True when the raw bytes contain a DOCTYPE or ENTITY declaration in any of the Unicode encodings
    (checked on the bytes, before any parser sees the document)."""
    for marker in _FORBIDDEN:
        for encoding in _ENCODINGS:
            if marker.encode(encoding) in data:
                return True
    return False


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_blank_text=False, collect_ids=False,
    )


def parse_document(data: bytes) -> etree._Element:
    """Parse untrusted XML bytes (any encoding the XML declares). Raises CapError."""
    if not isinstance(data, bytes | bytearray):
        raise CapError(_("The file could not be read as XML."))
    if len(data) > MAX_BYTES:
        raise CapError(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise CapError(_("The file is empty."))
    if _declares_dtd(bytes(data)):
        raise CapError(_("The XML contains a document type declaration (DTD) or entity declaration; these "
                         "are refused for security reasons."))
    try:
        root = etree.fromstring(bytes(data), parser=hardened_parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else "?")
        raise CapError(_("The file is not well-formed XML (line %(line)s): %(error)s")
                       % {"line": line, "error": _one_line(exc.msg)}) from exc
    except (ValueError, LookupError) as exc:  # unknown encoding, str with declaration, ...
        raise CapError(_("The file could not be read as XML: %(error)s") % {"error": _one_line(str(exc))}) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise CapError(_("The XML contains a document type declaration (DTD) or entity declaration; these "
                         "are refused for security reasons."))
    if next(root.iter(etree.Entity), None) is not None:
        raise CapError(_("The XML uses entity references; these are refused for security reasons."))
    return root


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser=hardened_parser()))


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(el, name: str) -> str:
    child = el.find(_q(name))
    return (child.text or "").strip() if child is not None else ""


def _texts(el, name: str) -> list[str]:
    return [(c.text or "").strip() for c in el.findall(_q(name))]


def _pairs(el, name: str) -> list[list[str]]:
    return [[_text(c, "valueName"), _text(c, "value")] for c in el.findall(_q(name))]


def check_structure(root) -> None:
    """Root element and the mandatory fields, with a message that names what is missing."""
    if not isinstance(root.tag, str):
        raise CapError(_("The document is not a CAP alert."))
    qname = etree.QName(root)
    if qname.localname != "alert":
        raise CapError(_("The document is not a CAP alert (root element <%(tag)s>).") % {"tag": qname.localname})
    if qname.namespace != NS:
        if qname.namespace and "emergency:cap" in qname.namespace:
            raise CapError(_("Only CAP 1.2 is supported; the document uses %(ns)s.") % {"ns": qname.namespace})
        raise CapError(_("The document is not a CAP 1.2 alert (namespace %(ns)s).")
                       % {"ns": qname.namespace or _("none")})
    for name in ALERT_MANDATORY:
        if not _text(root, name):
            raise CapError(_("The mandatory CAP field <%(field)s> of the alert is missing or empty.") % {"field": name})
    for number, info in enumerate(root.findall(_q("info")), start=1):
        for name in INFO_MANDATORY:
            if not _text(info, name):
                raise CapError(_("The mandatory CAP field <%(field)s> of info block %(number)d is missing or empty.")
                               % {"field": name, "number": number})
        for area_number, area in enumerate(info.findall(_q("area")), start=1):
            if not _text(area, "areaDesc"):
                raise CapError(_("The mandatory CAP field <areaDesc> of area %(area)d in info block %(number)d "
                                 "is missing or empty.") % {"area": area_number, "number": number})
            for polygon in _texts(area, "polygon"):
                check_polygon(polygon)


def validate(root) -> None:
    """Structure first (clear messages), then the official XSD."""
    check_structure(root)
    xsd = schema()
    if not xsd.validate(root):
        error = xsd.error_log.last_error
        raise CapError(_("The alert does not conform to the CAP 1.2 schema (line %(line)s): %(error)s")
                       % {"line": error.line, "error": _one_line(error.message)})


def read(data: bytes) -> dict:
    """Parse and validate CAP 1.2 bytes; return AlertData. Raises CapError."""
    root = parse_document(data)
    validate(root)
    infos = []
    for info in root.findall(_q("info")):
        areas = [
            {"areaDesc": _text(a, "areaDesc"), "polygons": _texts(a, "polygon"), "circles": _texts(a, "circle"),
             "geocodes": _pairs(a, "geocode"), "altitude": _text(a, "altitude"), "ceiling": _text(a, "ceiling")}
            for a in info.findall(_q("area"))
        ]
        resources = [
            {k: _text(r, k) for k in ("resourceDesc", "mimeType", "size", "uri", "derefUri", "digest")}
            for r in info.findall(_q("resource"))
        ]
        infos.append({
            "language": _text(info, "language") or "en-US",
            "categories": _texts(info, "category"), "event": _text(info, "event"),
            "responseTypes": _texts(info, "responseType"), "urgency": _text(info, "urgency"),
            "severity": _text(info, "severity"), "certainty": _text(info, "certainty"),
            "audience": _text(info, "audience"), "eventCodes": _pairs(info, "eventCode"),
            "effective": _text(info, "effective"), "onset": _text(info, "onset"), "expires": _text(info, "expires"),
            "senderName": _text(info, "senderName"), "headline": _text(info, "headline"),
            "description": _text(info, "description"), "instruction": _text(info, "instruction"),
            "web": _text(info, "web"), "contact": _text(info, "contact"),
            "parameters": _pairs(info, "parameter"), "resources": resources, "areas": areas,
        })
    declared = root.getroottree().docinfo.encoding or "UTF-8"
    return {
        "identifier": _text(root, "identifier"), "sender": _text(root, "sender"), "sent": _text(root, "sent"),
        "status": _text(root, "status"), "msgType": _text(root, "msgType"), "source": _text(root, "source"),
        "scope": _text(root, "scope"), "restriction": _text(root, "restriction"),
        "addresses": _text(root, "addresses"), "codes": _texts(root, "code"), "note": _text(root, "note"),
        "references": _text(root, "references"), "incidents": _text(root, "incidents"),
        "signed": root.find(f"{{{DSIG}}}Signature") is not None, "encoding": declared, "infos": infos,
    }


# --- values ----------------------------------------------------------------------------------------------
def format_datetime(value: datetime) -> str:
    """CAP's dateTime: seconds and an explicit offset, never "Z" (the schema's pattern)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def parse_datetime(text: str) -> datetime:
    if not DATETIME_RE.match(text or ""):
        raise CapError(_("“%(value)s” is not a CAP date and time (e.g. 2026-07-01T14:00:00+02:00).") % {"value": text})
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise CapError(_("“%(value)s” is not a valid date and time.") % {"value": text}) from exc


def parse_polygon(text: str) -> list[list[float]]:
    """'lat,lon lat,lon ...' → [[lat, lon], ...]. Raises CapError unless closed, ≥ 4 pairs, in range."""
    points = []
    for pair in (text or "").split():
        parts = pair.split(",")
        try:
            if len(parts) != 2:
                raise ValueError
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError as exc:
            raise CapError(_("The polygon contains “%(pair)s”, which is not a pair “latitude,longitude”.")
                           % {"pair": pair[:40]}) from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CapError(_("The polygon point %(pair)s lies outside the range of coordinates (WGS 84).")
                           % {"pair": pair[:40]})
        points.append([lat, lon])
    if len(points) < 4:
        raise CapError(_("A CAP polygon needs at least four points (the first repeated as the last)."))
    if points[0] != points[-1]:
        raise CapError(_("The polygon is not closed: its last point must be the same as its first."))
    return points


def check_polygon(text: str) -> None:
    parse_polygon(text)


def format_polygon(points: list[list[float]]) -> str:
    return " ".join(f"{_num(lat)},{_num(lon)}" for lat, lon in points)


def _num(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def references_of(previous_alerts) -> str:
    """The `references` value for an update or cancellation: every earlier alert of the chain, oldest
    first, as sender,identifier,sent separated by spaces."""
    return " ".join(previous_alerts)


# --- writing ----------------------------------------------------------------------------------------------
def _sub(parent, name: str, value) -> None:
    if value in (None, ""):
        return
    etree.SubElement(parent, _q(name)).text = str(value)


def _pair_elements(parent, name: str, pairs) -> None:
    for key, value in pairs or []:
        el = etree.SubElement(parent, _q(name))
        etree.SubElement(el, _q("valueName")).text = key
        etree.SubElement(el, _q("value")).text = value


def build(data: dict) -> bytes:
    """AlertData → CAP 1.2 XML (UTF-8), in the schema's element order, validated against the XSD."""
    root = etree.Element(_q("alert"), nsmap={None: NS})
    for name in ("identifier", "sender", "sent", "status", "msgType", "source", "scope", "restriction",
                 "addresses"):
        _sub(root, name, data.get(name))
    for code in data.get("codes") or []:
        _sub(root, "code", code)
    for name in ("note", "references", "incidents"):
        _sub(root, name, data.get(name))
    for info in data.get("infos") or []:
        el = etree.SubElement(root, _q("info"))
        _sub(el, "language", info.get("language"))
        for category in info.get("categories") or []:
            _sub(el, "category", category)
        _sub(el, "event", info.get("event"))
        for response in info.get("responseTypes") or []:
            _sub(el, "responseType", response)
        for name in ("urgency", "severity", "certainty", "audience"):
            _sub(el, name, info.get(name))
        _pair_elements(el, "eventCode", info.get("eventCodes"))
        for name in ("effective", "onset", "expires", "senderName", "headline", "description", "instruction",
                     "web", "contact"):
            _sub(el, name, info.get(name))
        _pair_elements(el, "parameter", info.get("parameters"))
        for resource in info.get("resources") or []:
            res = etree.SubElement(el, _q("resource"))
            for name in ("resourceDesc", "mimeType", "size", "uri", "derefUri", "digest"):
                _sub(res, name, resource.get(name))
        for area in info.get("areas") or []:
            ar = etree.SubElement(el, _q("area"))
            _sub(ar, "areaDesc", area.get("areaDesc"))
            for polygon in area.get("polygons") or []:
                _sub(ar, "polygon", polygon)
            for circle in area.get("circles") or []:
                _sub(ar, "circle", circle)
            _pair_elements(ar, "geocode", area.get("geocodes"))
            _sub(ar, "altitude", area.get("altitude"))
            _sub(ar, "ceiling", area.get("ceiling"))
    validate(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
