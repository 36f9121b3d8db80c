"""Writing practice examples: create, edit (staged for published ones), attachments, workflow, review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, WITHIN, loads

from .. import selectors
from .. import services_workflow as wf
from ..diffing import snapshot_rows
from ..forms import (
    AttachmentForm,
    GoodPracticeFormSet,
    PracticeForm,
    ReviewCommentFormSet,
    ReviewForm,
    SourceFormSet,
    comments_from,
    criteria_from,
    sources_from,
)
from ..models import Practice, PracticeAttachment
from ..services import practice_create
from ..services_lists import attachment_add, attachment_delete


def _add_service_errors(form, exc: ValidationError) -> None:
    """Put a model ValidationError from a service onto the form (field errors where they belong)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def error_list(form, *formsets) -> list[tuple[str, str]]:
    """(field id, message) for the error summary, across the form and its formsets."""
    errors = [("", e) for e in form.non_field_errors()]
    errors += [(f.id_for_label, f"{f.label}: {e}") for f in form for e in f.errors]
    for formset in formsets:
        errors += [("", e) for e in formset.non_form_errors()]
        for number, sub in enumerate(formset.forms, start=1):
            errors += [("", e) for e in sub.non_field_errors()]
            errors += [(f.id_for_label, f"{f.label} ({number}): {e}") for f in sub for e in f.errors]
    return errors


def _initial_from(practice: Practice) -> tuple[dict, list[dict], list[dict]]:
    """Initial values for the edit form: the staged changes if there are some, else the example."""
    staged = wf.pending_form_values(practice)
    if staged:
        data, m2m, sources = staged
        initial = {**data, **m2m}
        return initial, sources or [], list(data.get("good_practice") or [])
    initial = {name: list(getattr(practice, name).all()) for name in PracticeForm.Meta.fields
               if name in ("places", "levels", "themes", "subtopics", "phases", "target_groups",
                           "actor_organisations", "innovation_kinds")}
    sources = [{"title": s.title, "url": s.url, "published_on": s.published_on, "accessed_on": s.accessed_on}
               for s in practice.sources.all()]
    return initial, sources, list(practice.good_practice or [])


def _editor_form(request, *, practice=None):
    organisations = access.editable_organisations(request.user).order_by("name")
    if practice is None:
        form = PracticeForm(request.POST or None, organisations=organisations,
                            initial={"organisation": organisations.first()})
        sources = SourceFormSet(request.POST or None, prefix="sources")
        criteria = GoodPracticeFormSet(request.POST or None, prefix="criteria")
    else:
        initial, source_initial, criteria_initial = _initial_from(practice)
        form = PracticeForm(request.POST or None, instance=practice, initial=initial, fix_organisation=True)
        sources = SourceFormSet(request.POST or None, prefix="sources", initial=source_initial or None)
        criteria = GoodPracticeFormSet(request.POST or None, prefix="criteria", initial=criteria_initial or None)
    return form, sources, criteria


@login_required
@loads()
def practice_create_view(request):
    access.require(access.editable_organisations(request.user).exists())
    form, sources, criteria = _editor_form(request)
    if request.method == "POST" and all([form.is_valid(), sources.is_valid(), criteria.is_valid()]):
        data, m2m = form.service_arguments()
        data["good_practice"] = criteria_from(criteria)
        try:
            practice = practice_create(organisation=form.cleaned_data["organisation"], author=request.user,
                                       data=data, m2m=m2m, sources=sources_from(sources),
                                       visibility=data["visibility"])
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft “%(title)s” was saved. Submit it for review when it is ready.")
                             % {"title": practice.title})
            return redirect(practice)
    return render(request, "practices/practice_form.html", {
        "form": form, "sources": sources, "criteria": criteria, "practice": None,
        "error_list": error_list(form, sources, criteria) if request.method == "POST" else [],
    })


@login_required
@loads(pk=Practice)
def practice_edit_view(request, pk: int):
    practice = selectors.practice_get_for_edit(viewer=request.user, pk=pk)
    state = wf.workflow_state(practice)
    if state in (Practice.Status.IN_REVIEW, Practice.Status.ARCHIVED):
        messages.warning(request, _("The example is being reviewed right now; you can edit it again after the review.")
                         if state == Practice.Status.IN_REVIEW else
                         _("Archived examples cannot be edited. Reopen it as a draft first."))
        return redirect(practice)
    form, sources, criteria = _editor_form(request, practice=practice)
    if request.method == "POST" and all([form.is_valid(), sources.is_valid(), criteria.is_valid()]):
        data, m2m = form.service_arguments()
        data["good_practice"] = criteria_from(criteria)
        try:
            wf.practice_edit(practice=practice, author=request.user, data=data, m2m=m2m, sources=sources_from(sources))
        except ValidationError as exc:
            practice.refresh_from_db()
            _add_service_errors(form, exc)
        else:
            if practice.pending:
                messages.success(request, _("Your changes were saved as a new version. The public keeps seeing "
                                            "the published version until a reviewer approves the changes."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect(practice)
    return render(request, "practices/practice_form.html", {
        "form": form, "sources": sources, "criteria": criteria, "practice": practice, "state": state,
        "review_comments": selectors.open_review_comments(practice=practice),
        "error_list": error_list(form, sources, criteria) if request.method == "POST" else [],
    })


@login_required
@loads(pk=Practice)
def practice_delete_view(request, pk: int):
    practice = selectors.practice_get_for_edit(viewer=request.user, pk=pk)
    if request.method == "POST":
        try:
            wf.practice_delete(practice=practice, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(practice)
        messages.success(request, _("The example “%(title)s” was deleted.") % {"title": practice.title})
        return redirect("practices:reviews")
    return render(request, "practices/practice_confirm_delete.html", {"practice": practice})


# --- attachments ---------------------------------------------------------------------------------
@login_required
@loads(pk=Practice)
def attachment_upload(request, pk: int):
    practice = selectors.practice_get_for_edit(viewer=request.user, pk=pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = attachment_add(practice=practice, author=request.user, title=form.cleaned_data["title"],
                                        uploaded=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("“%(title)s” was attached.") % {"title": attachment.title})
            return redirect(practice)
    return render(request, "practices/attachment_form.html", {"practice": practice, "form": form})


@login_required
@loads(pk=Practice, attachment_id=WITHIN)
def attachment_delete_view(request, pk: int, attachment_id: int):
    practice = selectors.practice_get_for_edit(viewer=request.user, pk=pk)
    attachment = get_object_or_404(PracticeAttachment, pk=attachment_id, practice=practice)
    if request.method == "POST":
        attachment_delete(attachment=attachment, actor=request.user)
        messages.success(request, _("“%(title)s” was removed.") % {"title": attachment.title})
        return redirect(practice)
    return render(request, "practices/attachment_confirm_delete.html", {"practice": practice, "attachment": attachment})


# --- workflow ------------------------------------------------------------------------------------
TRANSITIONS = {
    # action: (service, who: "editor" | "reviewer", success message)
    "submit": (wf.practice_submit, "editor", _("The example was submitted for review.")),
    "withdraw": (wf.practice_withdraw, "editor", _("The submission was withdrawn; the example is a draft again.")),
    "archive": (wf.practice_archive, "editor", _("The example was archived.")),
    "reopen": (wf.practice_reopen, "editor", _("The example is a draft again.")),
    "discard": (wf.practice_discard_changes, "editor", _("The changes awaiting review were discarded.")),
    "take": (None, "reviewer", _("You took the example for review.")),
}


@require_POST
@login_required
@loads(pk=Practice, action=REFERENCE)
def practice_transition(request, pk: int, action: str):
    if action not in TRANSITIONS:
        raise Http404
    service, who, success = TRANSITIONS[action]
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    try:
        if who == "editor":
            access.require(access.can_edit(request.user, practice))
            service(practice=practice, actor=request.user)
        else:
            access.require(wf.can_review(request.user, practice))
            wf.practice_review_take(practice=practice, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(practice)
    messages.success(request, success)
    if action == "take":
        return redirect("practices:review", pk=practice.pk)
    return redirect(practice)


@login_required
@loads(pk=Practice)
def practice_review_view(request, pk: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    access.require(wf.can_review(request.user, practice))
    form = ReviewForm(request.POST or None)
    comments = ReviewCommentFormSet(request.POST or None, prefix="comments")
    state = wf.workflow_state(practice)
    if request.method == "POST" and form.is_valid() and comments.is_valid():
        try:
            wf.practice_review(practice=practice, reviewer=request.user, decision=form.cleaned_data["decision"],
                               summary=form.cleaned_data["summary"], comments=comments_from(comments))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your review was saved."))
            return redirect(practice)
    versions = list(practice.versions.order_by("-number")[:2])
    published = wf.latest_published_version(practice)
    compare_from = published.number if published and versions and published.number != versions[0].number else (
        versions[1].number if len(versions) > 1 else None)
    latest = versions[0] if versions else None
    return render(request, "practices/practice_review.html", {
        "practice": practice, "form": form, "comments": comments, "state": state,
        "taken": state == Practice.Status.IN_REVIEW, "latest": latest, "compare_from": compare_from,
        "reading": snapshot_rows(latest.snapshot) if latest else [],
    })


@login_required
@loads()
def review_desk(request):
    """My drafts and the examples waiting for my review."""
    queue = list(selectors.review_queue(user=request.user)[:100])
    drafts = list(selectors.my_drafts(user=request.user).select_related("organisation")[:100])
    in_review = list(selectors.my_in_review(user=request.user)[:100])
    return render(request, "practices/review_desk.html", {
        "queue": queue, "drafts": drafts, "in_review": in_review, "is_reviewer": wf.is_reviewer(request.user),
        "can_create": access.editable_organisations(request.user).exists(),
    })
