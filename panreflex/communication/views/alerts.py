"""CAP 1.2 warnings: register with map, composer (with area from boundaries or drawn on the map),
updates and cancellations, import and export."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, loads

from .. import cap, selectors, services
from ..forms import AlertForm, AlertImportForm, InfoFormSet
from ..models import Alert
from .common import chosen_organisation


def _area_choices(user, organisation) -> list[tuple[str, str]]:
    """Boundaries the composer offers: the organisation's municipality and the areas of its area sets."""
    from panreflex.vulnerability.models import Area

    choices = []
    place = getattr(organisation, "place", None)
    if place is not None and place.boundary:
        choices.append((f"place:{place.pk}", place.name))
    areas = access.filter_visible(user, Area.objects.filter(area_set__organisation=organisation,
                                                            geometry__isnull=False)).select_related("area_set")
    for area in areas.order_by("area_set__name", "name")[:300]:
        choices.append((f"area:{area.pk}", f"{area.name} ({area.area_set.name})"))
    return choices


def _geometry_for(user, source: str):
    """The GeoJSON geometry a composer source names ("place:ID" or "area:ID"), through the policy."""
    from panreflex.places.models import Place
    from panreflex.vulnerability.models import Area

    kind, _sep, ident = (source or "").partition(":")
    if not ident.isdigit():
        return None, ""
    if kind == "place":
        place = Place.objects.filter(pk=int(ident)).first()  # reference data: public
        return (place.boundary, place.name) if place and place.boundary else (None, "")
    if kind == "area":
        area = access.first_visible(user, Area.objects.all(), pk=int(ident))
        return (area.geometry, area.name) if area and area.geometry else (None, "")
    return None, ""


@loads()
def alert_list(request):
    alerts = selectors.alerts_for(viewer=request.user)[:200]
    features = []
    for alert in alerts:
        for info in alert.infos.all()[:1]:
            for area in info.areas.all():
                for polygon in area.polygons:
                    features.append({"type": "Feature", "properties": {
                        "name": info.headline or info.event, "url": alert.get_absolute_url(), "label": area.area_desc},
                        "geometry": {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in polygon]]}})
    organisation = chosen_organisation(request, editor=True) if request.user.is_authenticated else None
    return render(request, "communication/alert_list.html", {
        "alerts": alerts, "geojson": json.dumps({"type": "FeatureCollection", "features": features}),
        "organisation": organisation, "tile_url": settings.MAP_TILE_URL,
    })


@loads(pk=Alert)
def alert_detail(request, pk: int):
    alert = request.loaded["pk"]
    infos = list(alert.infos.prefetch_related("areas"))
    polygons = [{"type": "Feature", "properties": {"name": a.area_desc},
                 "geometry": {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in p]]}}
                for info in infos[:1] for a in info.areas.all() for p in a.polygons]
    return render(request, "communication/alert_detail.html", {
        "alert": alert, "infos": infos, "followers": alert.followers.all(),
        "geojson": json.dumps({"type": "FeatureCollection", "features": polygons}),
        "can_follow_up": alert.origin == Alert.Origin.COMPOSED and alert.organisation_id
        and access.can_edit(request.user, alert) and alert.msg_type != "Cancel",
        "tile_url": settings.MAP_TILE_URL,
    })


@loads(pk=(Alert, "export"))
def alert_export(request, pk: int):
    alert = request.loaded["pk"]
    try:
        xml = services.alert_export(alert=alert)
    except cap.CapError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(xml, content_type="application/xml")  # encoding as the document declares it
    response["Content-Disposition"] = f'attachment; filename="cap-{alert.pk}.xml"'
    return response


@login_required
@loads()
def alert_area(request):
    """The outline of a boundary as a CAP polygon (JSON), for the composer."""
    geometry, name = _geometry_for(request.user, request.GET.get("source", ""))
    if geometry is None:
        raise Http404
    try:
        points = services.boundary_polygon(geometry)
    except ValidationError as exc:
        raise Http404 from exc
    return JsonResponse({"name": name, "polygon": cap.format_polygon(points),
                         "geometry": {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in points]]}})


def _compose(request, organisation, *, previous: Alert | None = None, msg_type: str = "Alert"):
    choices = _area_choices(request.user, organisation)
    initial_infos = [{"language": "de-DE"}]
    initial_alert = {}
    if previous is not None:
        first = previous.infos.prefetch_related("areas").first()
        initial_infos = [{"language": i.language, "categories": i.categories, "event": i.event, "urgency": i.urgency,
                          "severity": i.severity, "certainty": i.certainty, "headline": i.headline,
                          "description": i.description, "instruction": i.instruction, "sender_name": i.sender_name,
                          "web": i.web, "contact": i.contact} for i in previous.infos.all()]
        area = first.areas.first() if first else None
        initial_alert = {"status": previous.status, "scope": previous.scope, "sender": previous.sender,
                         "area_desc": area.area_desc if area else "",
                         "polygon": cap.format_polygon(area.polygons[0]) if area and area.polygons else ""}
    post = request.POST if request.method == "POST" else None
    form = AlertForm(post, area_choices=choices, initial=initial_alert)
    infos = InfoFormSet(post, prefix="info", initial=initial_infos)
    if post is not None and form.is_valid() and infos.is_valid():
        polygon = form.cleaned_data["polygon"]
        if polygon is None and form.cleaned_data.get("area_source"):
            geometry, _name = _geometry_for(request.user, form.cleaned_data["area_source"])
            if geometry is not None:
                polygon = services.boundary_polygon(geometry)
        blocks = [f.service_data() for f in infos.forms if f.has_changed() or f in infos.initial_forms]
        blocks = [b for b in blocks if b.get("event")]
        try:
            alert = services.alert_compose(
                organisation=organisation, author=request.user,
                alert_fields={"status": form.cleaned_data["status"], "scope": form.cleaned_data["scope"],
                              "sender": form.cleaned_data["sender"], "note": form.cleaned_data["note"]},
                infos=blocks, area={"areaDesc": form.cleaned_data["area_desc"], "polygon": polygon},
                previous=previous, msg_type=msg_type)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The CAP alert was saved; it validates against the CAP 1.2 schema."))
            return redirect(alert)
    boundary = None
    place = getattr(organisation, "place", None)
    if place is not None and place.boundary:
        boundary = json.dumps({"type": "Feature", "properties": {"name": place.name}, "geometry": place.boundary})
    return render(request, "communication/alert_compose.html", {
        "form": form, "infos": infos, "organisation": organisation, "previous": previous, "msg_type": msg_type,
        "boundary": boundary, "tile_url": settings.MAP_TILE_URL,
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def alert_compose(request):
    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    return _compose(request, organisation)


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Alert, "change"), msg_type=REFERENCE)
def alert_follow_up(request, pk: int, msg_type: str):
    previous = request.loaded["pk"]
    if msg_type not in ("Update", "Cancel") or previous.organisation is None or previous.msg_type == "Cancel":
        raise Http404
    return _compose(request, previous.organisation, previous=previous, msg_type=msg_type)


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def alert_import(request):
    organisation = chosen_organisation(request, editor=True)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    form = AlertImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(cap.MAX_BYTES + 1)
        try:
            alert, created = services.alert_import(data=data, actor=request.user, organisation=organisation)
        except cap.CapError as exc:
            form.add_error("file", str(exc))
        else:
            if created:
                messages.success(request, _("The warning was imported into the register."))
            else:
                messages.info(request, _("This warning is already in the register."))
            return redirect(alert)
    return render(request, "communication/alert_import.html", {"form": form, "organisation": organisation})
