"""Watch list, collections (shareable by link) and side-by-side comparison."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import TOKEN, loads
from panreflex.lib.pdf import render_pdf
from panreflex.practices.models import Practice

from .. import selectors
from ..forms import AddToCollectionForm, CollectionForm, CompareForm
from ..models import Collection, CollectionItem
from ..services_lists import (
    collection_create,
    collection_delete,
    collection_item_add,
    collection_item_move,
    collection_item_remove,
    collection_new_link,
    collection_update,
    watchlist_toggle,
)


@login_required
@loads()
def watchlist_view(request):
    practices = list(selectors.watchlist(user=request.user))
    return render(request, "practices/watchlist.html", {"practices": practices})


@require_POST
@login_required
@loads(pk=Practice)
def watch_toggle(request, pk: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    watched = watchlist_toggle(user=request.user, practice=practice)
    if request.htmx:
        return render(request, "practices/practice_detail.html#watch", {"practice": practice, "watched": watched,
                                                                        "announce": True})
    messages.success(request, _("Added to your watch list.") if watched else _("Removed from your watch list."))
    return redirect(request.POST.get("next") if _safe_next(request) else practice.get_absolute_url())


def _safe_next(request) -> bool:
    nxt = request.POST.get("next", "")
    return nxt.startswith("/") and not nxt.startswith("//")


# --- collections ---------------------------------------------------------------------------------
def _own_collection(request, pk: int) -> Collection:
    return get_object_or_404(Collection, pk=pk, owner=request.user)


@login_required
@loads()
def collection_list(request):
    collections = list(selectors.collections_of(user=request.user))
    return render(request, "practices/collection_list.html", {"collections": collections})


@login_required
@loads()
def collection_create_view(request):
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collection = collection_create(owner=request.user, **form.cleaned_data)
        messages.success(request, _("The collection “%(title)s” was created.") % {"title": collection.title})
        return redirect("practices:collection", pk=collection.pk)
    return render(request, "practices/collection_form.html", {"form": form, "collection": None})


@login_required
@loads(pk=Collection)
def collection_detail(request, pk: int):
    collection = _own_collection(request, pk)
    items = selectors.collection_items(collection=collection, viewer=request.user)
    share_url = request.build_absolute_uri(reverse("practices:collection_shared", kwargs={"token": collection.share_token}))
    return render(request, "practices/collection_detail.html",
                  {"collection": collection, "items": items, "share_url": share_url, "is_owner": True})


@login_required
@loads(pk=Collection)
def collection_edit(request, pk: int):
    collection = _own_collection(request, pk)
    form = CollectionForm(request.POST or None, instance=collection)
    if request.method == "POST" and form.is_valid():
        collection_update(collection=collection, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The collection was saved."))
        return redirect("practices:collection", pk=collection.pk)
    return render(request, "practices/collection_form.html", {"form": form, "collection": collection})


@login_required
@loads(pk=Collection)
def collection_delete_view(request, pk: int):
    collection = _own_collection(request, pk)
    if request.method == "POST":
        collection_delete(collection=collection, actor=request.user)
        messages.success(request, _("The collection “%(title)s” was deleted.") % {"title": collection.title})
        return redirect("practices:collections")
    return render(request, "practices/collection_confirm_delete.html", {"collection": collection})


@require_POST
@login_required
@loads(pk=Collection)
def collection_new_link_view(request, pk: int):
    collection = _own_collection(request, pk)
    collection_new_link(collection=collection, actor=request.user)
    messages.success(request, _("The collection has a new link; the old link no longer works."))
    return redirect("practices:collection", pk=collection.pk)


@login_required
@loads(pk=Practice)
def collection_add(request, pk: int):
    """Add a practice to one of my collections (or a new one)."""
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    form = AddToCollectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        collection = form.cleaned_data["collection"] or collection_create(
            owner=request.user, title=form.cleaned_data["new_title"])
        collection_item_add(collection=collection, practice=practice, note=form.cleaned_data["note"])
        messages.success(request, _("“%(practice)s” is in the collection “%(collection)s”.")
                         % {"practice": practice.title, "collection": collection.title})
        return redirect(practice)
    return render(request, "practices/collection_add.html", {"practice": practice, "form": form})


@login_required
@loads(item_id=CollectionItem)
def collection_item_remove_view(request, item_id: int):
    item = get_object_or_404(CollectionItem.objects.select_related("collection", "practice"), pk=item_id,
                             collection__owner=request.user)
    if request.method == "POST":
        collection_item_remove(item=item)
        messages.success(request, _("The example was removed from the collection."))
        return redirect("practices:collection", pk=item.collection_id)
    return render(request, "practices/collection_item_confirm_remove.html", {"item": item})


@require_POST
@login_required
@loads(item_id=CollectionItem)
def collection_item_move_view(request, item_id: int):
    item = get_object_or_404(CollectionItem, pk=item_id, collection__owner=request.user)
    try:
        collection_item_move(item=item, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("practices:collection", kwargs={"pk": item.collection_id}) + f"#item-{item.pk}")


def _shared(token: str) -> Collection:
    collection = Collection.objects.select_related("owner").filter(share_token=token, is_shared=True).first()
    if collection is None:
        raise Http404
    return collection


@loads(token=TOKEN)
def collection_shared(request, token: str):
    collection = _shared(token)
    items = selectors.collection_items(collection=collection, viewer=request.user)
    return render(request, "practices/collection_detail.html",
                  {"collection": collection, "items": items, "is_owner": request.user == collection.owner,
                   "shared_view": True})


def _collection_pdf(request, collection, items):
    pdf = render_pdf("practices/pdf/collection.html", {"collection": collection, "items": items}, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sammlung-{slugify(collection.title)[:60] or collection.pk}.pdf"'
    return response


@login_required
@loads(pk=Collection)
def collection_pdf(request, pk: int):
    collection = _own_collection(request, pk)
    return _collection_pdf(request, collection, selectors.collection_items(collection=collection, viewer=request.user))


@loads(token=TOKEN)
def collection_shared_pdf(request, token: str):
    collection = _shared(token)
    return _collection_pdf(request, collection, selectors.collection_items(collection=collection, viewer=request.user))


# --- compare -------------------------------------------------------------------------------------
COMPARE_ROWS = [
    ("summary", "text"), ("places", "list"), ("period", "period"), ("themes", "list"), ("phases", "list"),
    ("target_groups", "list"), ("innovation_kinds", "list"), ("challenge", "text"), ("measures", "text"),
    ("resources_staff", "text"), ("resources_cost", "text"), ("results", "text"), ("went_well", "text"),
    ("went_less_well", "text"), ("transfer_municipalities", "text"), ("transfer_conditions", "text"),
    ("evidence_strength", "value"), ("uncertainty_notes", "text"),
]


@loads()
def compare_view(request):
    ids = CompareForm(request.GET).practice_ids()
    practices = selectors.compare_practices(viewer=request.user, ids=ids)
    from ..models import Practice

    rows = []
    for name, kind in COMPARE_ROWS:
        label = _("period") if name == "period" else Practice._meta.get_field(name).verbose_name
        cells = []
        for p in practices:
            if kind == "list":
                cells.append([str(v) for v in getattr(p, name).all()])
            elif kind == "period":
                cells.append(p)
            else:
                cells.append(getattr(p, name))
        rows.append({"name": name, "label": label, "kind": kind, "cells": cells})
    watch = list(selectors.watchlist(user=request.user)[:50]) if access.is_authenticated(request.user) else []
    return render(request, "practices/compare.html", {
        "practices": practices, "rows": rows, "requested": len(ids),
        "candidates": [w for w in watch if w not in practices],
    })
