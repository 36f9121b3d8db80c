from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import WITHIN, Load, loads

from .. import handbook, services
from ..forms import ChapterForm, EditionForm
from ..models import HandbookChapter, HandbookEdition, HandbookEntry, Recommendation
from ..tasks import render_handbook_pdf


def _edition_or_404(request, number: int) -> HandbookEdition:
    edition = get_object_or_404(HandbookEdition, number=number)
    if not edition.is_published:
        access.require(access.is_staff(request.user))
    return edition


def _published_or_404(number: int) -> HandbookEdition:
    return get_object_or_404(HandbookEdition, number=number, status=HandbookEdition.Status.PUBLISHED)


def _refusal(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@loads()
def handbook_list(request):
    editions = HandbookEdition.objects.all() if access.is_staff(request.user) else HandbookEdition.objects.filter(
        status=HandbookEdition.Status.PUBLISHED)
    return render(request, "evidence/handbook_list.html",
                  {"editions": editions.order_by("-number"), "is_staff": access.is_staff(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def handbook_create(request):
    access.require(access.is_staff(request.user))
    form = EditionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            edition = services.handbook_edition_create(actor=request.user, title=d["title"],
                                                       introduction=d["introduction"], copy_from=d["copy_from"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft edition %(number)s was created.") % {"number": edition.number})
            return redirect(edition)
    return render(request, "evidence/handbook_form.html", {"form": form, "edition": None})


@loads(number=Load(HandbookEdition, field="number"))
def handbook_edition(request, number: int):
    edition = _edition_or_404(request, number)
    if edition.is_published:
        previous = handbook.previous_edition(edition)
        return render(request, "evidence/handbook_edition.html",
                      {"edition": edition, "content": edition.content, "previous": previous})
    chapters = edition.chapters.prefetch_related("entries__recommendation")
    in_edition = HandbookEntry.objects.filter(chapter__edition=edition).values("recommendation_id")
    candidates = Recommendation.objects.filter(status__in=["agreed", "published"]).exclude(pk__in=in_edition)
    return render(request, "evidence/handbook_draft.html", {
        "edition": edition, "chapters": chapters, "candidates": candidates.order_by("lever__position", "title"),
        "chapter_form": ChapterForm(), "preview": handbook.draft_preview(edition),
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads(number=Load(HandbookEdition, field="number"))
def handbook_edit(request, number: int):
    edition = _edition_or_404(request, number)
    access.require(access.is_staff(request.user))
    if edition.is_published:
        messages.error(request, _("Edition %(number)s is published and can no longer be changed. Start a new edition "
                                  "instead.") % {"number": edition.number})
        return redirect(edition)
    form = EditionForm(request.POST if request.method == "POST" else None, with_copy=False,
                       initial={"title": edition.title, "introduction": edition.introduction})
    if request.method == "POST" and form.is_valid():
        try:
            services.handbook_edition_update(edition=edition, actor=request.user, title=form.cleaned_data["title"],
                                             introduction=form.cleaned_data["introduction"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The edition was saved."))
            return redirect(edition)
    return render(request, "evidence/handbook_form.html", {"form": form, "edition": edition})


@login_required
@require_POST
@loads(number=Load(HandbookEdition, field="number"))
def handbook_structure(request, number: int):
    """Chapters and entries of a draft: add, remove, move (one POST endpoint, `action` says which)."""
    edition = _edition_or_404(request, number)
    access.require(access.is_staff(request.user))
    action = request.POST.get("action", "")
    try:
        if action == "chapter_add":
            form = ChapterForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the chapter a title."))
            services.handbook_chapter_add(edition=edition, actor=request.user, **form.cleaned_data)
        elif action in ("chapter_delete", "chapter_up", "chapter_down", "entry_add"):
            chapter = get_object_or_404(HandbookChapter, pk=request.POST.get("chapter"), edition=edition)
            if action == "chapter_delete":
                services.handbook_chapter_delete(chapter=chapter, actor=request.user)
            elif action == "entry_add":
                rec = access.first_visible(request.user, Recommendation.objects.all(), pk=request.POST.get("recommendation") or 0)
                if rec is None:
                    raise ValidationError(_("Choose a recommendation."))
                services.handbook_entry_add(chapter=chapter, actor=request.user, recommendation=rec)
            else:
                services.handbook_chapter_move(chapter=chapter, actor=request.user,
                                               delta=-1 if action == "chapter_up" else 1)
        elif action in ("entry_remove", "entry_up", "entry_down"):
            entry = get_object_or_404(HandbookEntry, pk=request.POST.get("entry"), chapter__edition=edition)
            if action == "entry_remove":
                services.handbook_entry_remove(entry=entry, actor=request.user)
            else:
                services.handbook_entry_move(entry=entry, actor=request.user, delta=-1 if action == "entry_up" else 1)
        else:
            raise Http404
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The edition was saved."))
    return redirect(edition)


@login_required
@require_POST
@loads(number=Load(HandbookEdition, field="number"))
def handbook_publish(request, number: int):
    edition = _edition_or_404(request, number)
    access.require(access.is_staff(request.user))
    try:
        edition = services.handbook_edition_publish(edition=edition, actor=request.user)
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(edition)
    render_handbook_pdf.enqueue(edition.pk)
    messages.success(request, _("Edition %(number)s is published.") % {"number": edition.number})
    return redirect(edition)


@loads(number=Load(HandbookEdition, field="number"))
def handbook_pdf(request, number: int):
    edition = _published_or_404(number)
    edition.refresh_from_db()
    if not edition.pdf:
        services.handbook_edition_store_pdf(edition=edition, pdf=handbook.render_pdf(edition))
        edition.refresh_from_db()
    return FileResponse(edition.pdf.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"panreflex-handbuch-ausgabe-{edition.number}.pdf")


@loads(number=Load(HandbookEdition, field="number"), pk=WITHIN)
def handbook_recommendation(request, number: int, pk: int):
    edition = _published_or_404(number)
    for chapter in edition.content.get("chapters", []):
        for rec in chapter["recommendations"]:
            if rec["pk"] == pk:
                refs = {e["ref"]: e for e in edition.content.get("appendix", [])}
                return render(request, "evidence/handbook_recommendation.html", {
                    "edition": edition, "chapter": chapter, "rec": rec,
                    "evidence": [refs[r] for r in rec["evidence"] if r in refs],
                })
    raise Http404


@loads(number=Load(HandbookEdition, field="number"))
def handbook_changes(request, number: int):
    edition = _published_or_404(number)
    previous = handbook.previous_edition(edition)
    return render(request, "evidence/handbook_changes.html", {
        "edition": edition, "previous": previous,
        "changes": handbook.changes(previous.content if previous else None, edition.content),
    })
