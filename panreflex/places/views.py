from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, loads

from . import selectors, services
from .forms import CityForm
from .models import Place


@loads()
def place_list(request):
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if kind not in Place.Kind.values:
        kind = ""
    page = Paginator(selectors.place_list(query=query, kind=kind), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "places/place_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": Place.Kind.choices,
         "can_add_city": access.is_authenticated(request.user) and access.editable_organisations(request.user).exists()},
    )


@loads(pk=REFERENCE)
def place_detail(request, pk):
    place = get_object_or_404(Place.objects.select_related("parent", "parent__parent"), pk=pk)
    return render(request, "places/place_detail.html", {"place": place, "children": selectors.children_of(place=place)})


@loads(pk=REFERENCE)
def place_boundary(request, pk):
    place = get_object_or_404(Place.objects.only("boundary", "name", "ags"), pk=pk)
    if not place.boundary:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    return JsonResponse({"type": "Feature", "properties": {"name": place.name, "ags": place.ags}, "geometry": place.boundary})


@login_required
@loads()
def city_create(request):
    """Editors of any organisation and staff may add an international city."""
    access.require(access.editable_organisations(request.user).exists())
    form = CityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.city_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": place})
            return redirect(place)
    return render(request, "places/city_form.html", {"form": form})
