from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, loads

from . import selectors, services
from .forms import TermForm
from .models import Term, Vocabulary


def _vocabulary_or_404(vocabulary: str) -> str:
    if vocabulary not in Vocabulary.values:
        raise Http404
    return vocabulary


@loads()
def vocabulary_list(request):
    return render(request, "taxonomy/vocabulary_list.html", {"vocabularies": selectors.vocabulary_overview()})


@loads(vocabulary=REFERENCE)
def term_list(request, vocabulary):
    vocabulary = _vocabulary_or_404(vocabulary)
    can_edit = access.is_staff(request.user)
    return render(
        request,
        "taxonomy/term_list.html",
        {
            "vocabulary": vocabulary,
            "vocabulary_label": Vocabulary(vocabulary).label,
            "terms": selectors.terms_of(vocabulary=vocabulary, include_inactive=can_edit),
            "can_edit": can_edit,
        },
    )


@loads(vocabulary=REFERENCE)
def term_create(request, vocabulary):
    vocabulary = _vocabulary_or_404(vocabulary)
    access.require(access.is_staff(request.user))
    form = TermForm(request.POST or None, vocabulary=vocabulary)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("code", "label_de", "label_en")}
        services.term_create(actor=request.user, vocabulary=vocabulary, code=form.cleaned_data["code"],
                             label_de=form.cleaned_data["label_de"], label_en=form.cleaned_data["label_en"], **data)
        messages.success(request, _("The term was added."))
        return redirect("taxonomy:terms", vocabulary=vocabulary)
    return render(request, "taxonomy/term_form.html",
                  {"form": form, "vocabulary": vocabulary, "vocabulary_label": Vocabulary(vocabulary).label})


@loads(vocabulary=REFERENCE, pk=REFERENCE)
def term_edit(request, vocabulary, pk):
    vocabulary = _vocabulary_or_404(vocabulary)
    access.require(access.is_staff(request.user))
    term = get_object_or_404(Term, vocabulary=vocabulary, pk=pk)
    form = TermForm(request.POST or None, instance=term, vocabulary=vocabulary)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        services.term_update(actor=request.user, term=Term.objects.get(pk=term.pk), **data)
        messages.success(request, _("The term was saved."))
        return redirect("taxonomy:terms", vocabulary=vocabulary)
    return render(request, "taxonomy/term_form.html",
                  {"form": form, "term": term, "vocabulary": vocabulary, "vocabulary_label": Vocabulary(vocabulary).label})
