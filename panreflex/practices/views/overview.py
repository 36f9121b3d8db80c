"""Overviews: the map of practice examples per municipality and the timeline by period."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from panreflex.accounts.policy import loads
from panreflex.lib.svgmap import Shape, classify, render_map

from .. import selectors

# Names of the countries that international examples come from (ISO 3166-1 alpha-2); others show the code.
COUNTRY_NAMES = {
    "AT": gettext_lazy("Austria"), "BE": gettext_lazy("Belgium"), "CH": gettext_lazy("Switzerland"),
    "CZ": gettext_lazy("Czechia"), "DK": gettext_lazy("Denmark"), "ES": gettext_lazy("Spain"),
    "FI": gettext_lazy("Finland"), "FR": gettext_lazy("France"), "GB": gettext_lazy("United Kingdom"),
    "IE": gettext_lazy("Ireland"), "IT": gettext_lazy("Italy"), "JP": gettext_lazy("Japan"),
    "KR": gettext_lazy("South Korea"), "LU": gettext_lazy("Luxembourg"), "NL": gettext_lazy("Netherlands"),
    "NO": gettext_lazy("Norway"), "NZ": gettext_lazy("New Zealand"), "PL": gettext_lazy("Poland"),
    "PT": gettext_lazy("Portugal"), "SE": gettext_lazy("Sweden"), "SG": gettext_lazy("Singapore"),
    "TW": gettext_lazy("Taiwan"), "US": gettext_lazy("United States"), "CA": gettext_lazy("Canada"),
    "AU": gettext_lazy("Australia"),
}
BREAKS = (0, 1, 3, 10_000)
COLOURS = ("#eef2f6", "#9ecae1", "#4292c6", "#08306b")


@loads()
def practice_map(request):
    data = selectors.practice_map(viewer=request.user)
    shapes = []
    for place in data.municipalities:
        count = data.counts.get(place.pk, 0)
        title = ngettext("%(name)s: %(n)s practice example", "%(name)s: %(n)s practice examples", count) % {
            "name": place.name, "n": count}
        href = f"{reverse('practices:map')}?ort={place.pk}#ort" if count else ""
        shapes.append(Shape(key=place.ags, geometry=place.boundary, label=place.name, title=title,
                            fill=classify(count, BREAKS, COLOURS), href=href))
    svg = render_map(
        shapes, title=_("Practice examples per municipality in North Rhine-Westphalia"),
        description=_("Municipalities with more examples are darker. The table below lists the same figures."),
        id_prefix="practice-map",
    )
    table = sorted(((p, data.counts[p.pk]) for p in data.municipalities if p.pk in data.counts),
                   key=lambda t: (-t[1], t[0].name))
    selected = None
    place_practices = []
    raw = request.GET.get("ort", "")
    if raw.isdigit():
        selected = next((p for p in data.municipalities if p.pk == int(raw)), None)
        if selected:
            place_practices = list(selectors.practices_of_place(viewer=request.user, place=selected))
    legend = [(COLOURS[0], _("none")), (COLOURS[1], "1"), (COLOURS[2], "2–3"), (COLOURS[3], _("4 or more"))]
    return render(request, "practices/map.html", {
        "svg": svg, "table": table,
        "international": sorted(((str(COUNTRY_NAMES.get(code, code)), items) for code, items in data.international.items()),
                                key=lambda t: t[0]), "total": data.total, "legend": legend,
        "selected": selected, "place_practices": place_practices,
    })


@loads()
def practice_timeline(request):
    page, rows, years = selectors.practice_timeline(viewer=request.user, page_number=request.GET.get("page"))
    span = len(years) or 1
    axis = [{"year": y, "offset": round(100 * i / span, 2), "width": round(100 / span, 2)} for i, y in enumerate(years)]
    return render(request, "practices/timeline.html", {"rows": rows, "axis": axis, "page": page})
