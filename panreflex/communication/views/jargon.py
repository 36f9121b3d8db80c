"""The shared jargon list: search, add, change, delete with confirmation (rules in `rules.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from panreflex.accounts import policy
from panreflex.accounts.policy import loads

from .. import services
from ..forms import JargonFilterForm, JargonForm
from ..models import JargonWord
from .plans import _errors_to_form


def _may_edit(user) -> bool:
    return policy.can(user, "change", JargonWord())


@login_required
@loads()
def jargon_list(request):
    form = JargonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    words = policy.scope(request.user, JargonWord.objects.all())
    if filters.get("q"):
        words = words.filter(Q(word__icontains=filters["q"]) | Q(suggestion__icontains=filters["q"]))
    if filters.get("language"):
        words = words.filter(language=filters["language"])
    return render(request, "communication/jargon_list.html", {
        "form": form, "words": words[:500], "count": words.count(), "can_edit": _may_edit(request.user)})


def _save(request, form, entry=None):
    data = form.cleaned_data
    try:
        if entry is None:
            services.jargon_create(actor=request.user, **data)
        else:
            services.jargon_update(entry=entry, actor=request.user, **data)
    except ValidationError as exc:
        _errors_to_form(form, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def jargon_create(request):
    policy.require(_may_edit(request.user))
    form = JargonForm(request.POST or None, initial={"language": request.GET.get("language", "de")[:8]})
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("“%(word)s” was added to the jargon list.") % {"word": form.cleaned_data["word"]})
        return redirect("communication:jargon_list")
    return render(request, "communication/jargon_form.html", {"form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(JargonWord, "change"))
def jargon_edit(request, pk: int):
    entry = request.loaded["pk"]
    form = JargonForm(request.POST or None,
                      initial={"word": entry.word, "language": entry.language, "suggestion": entry.suggestion})
    if request.method == "POST" and form.is_valid() and _save(request, form, entry):
        messages.success(request, _("“%(word)s” was saved.") % {"word": entry.word})
        return redirect("communication:jargon_list")
    return render(request, "communication/jargon_form.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(JargonWord, "delete"))
def jargon_delete(request, pk: int):
    entry = request.loaded["pk"]
    if request.method == "POST":
        word = entry.word
        services.jargon_delete(entry=entry, actor=request.user)
        messages.success(request, _("“%(word)s” was removed from the jargon list.") % {"word": word})
        return redirect("communication:jargon_list")
    return render(request, "communication/jargon_confirm_delete.html", {"entry": entry})
