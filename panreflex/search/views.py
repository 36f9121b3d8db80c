"""Search page (the main "Praxisbeispiele" list) and the staff synonym pages. Thin: see query.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, loads

from . import services
from .facets import FACETS
from .forms import SynonymForm
from .models import Synonym
from .query import SORTS, SearchParams, run

EXAMPLE_QUERIES = ("Impfbus", "Krisenstab", "Wohnungslose", "Mehrsprachige Informationen", "Quarantäne")


def _export_links(request) -> list[tuple[str, str]]:
    try:
        base = reverse("practices:export")
    except NoReverseMatch:
        return []
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON")):
        query["format"] = fmt
        links.append((f"{base}?{query.urlencode()}", label))
    return links


FACET_LIMIT = 10  # values of a long facet (municipality, state, country) shown before "show all"


@loads()
def practice_search(request):
    params = SearchParams.from_mapping(request.GET)
    result = run(params, viewer=request.user, facet_limit=FACET_LIMIT)
    labels = {"relevance": _("Relevance"), "newest": _("Newest first"), "period": _("Period (earliest first)")}
    sorts = [(s, labels[s]) for s in SORTS]
    context = {
        "result": result,
        "params": params,
        "sorts": sorts,
        "facet_keys": [f.key for f in FACETS],
        "has_filters": bool(params.filters),
        "export_links": _export_links(request),
        "example_queries": EXAMPLE_QUERIES,
        "can_edit_synonyms": access.is_staff(request.user),
    }
    template = "search/practice_search.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


# --- synonyms (staff) ------------------------------------------------------------------------------
@login_required
@loads()
def synonym_list(request):
    access.require(access.is_staff(request.user))
    return render(request, "search/synonym_list.html", {"synonyms": Synonym.objects.select_related("updated_by")})


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def synonym_create(request):
    access.require(access.is_staff(request.user))
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The synonym group was added."))
            return redirect("search:synonyms")
    return render(request, "search/synonym_form.html", {"form": form, "synonym": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=REFERENCE)
def synonym_edit(request, pk):
    access.require(access.is_staff(request.user))
    synonym = get_object_or_404(Synonym, pk=pk)
    form = SynonymForm(request.POST or None, initial={"terms": synonym.terms, "note": synonym.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_update(actor=request.user, synonym=synonym, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The synonym group was saved."))
            return redirect("search:synonyms")
    return render(request, "search/synonym_form.html", {"form": form, "synonym": synonym})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=REFERENCE)
def synonym_delete(request, pk):
    access.require(access.is_staff(request.user))
    synonym = get_object_or_404(Synonym, pk=pk)
    if request.method == "POST":
        services.synonym_delete(actor=request.user, synonym=synonym)
        messages.success(request, _("The synonym group was deleted."))
        return redirect("search:synonyms")
    return render(request, "search/synonym_confirm_delete.html", {"synonym": synonym})
