"""Reading a practice example: detail page, PDF profile, versions and diffs, attachments download."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.accounts.policy import WITHIN, loads
from panreflex.audit.selectors import audit_for_object
from panreflex.core.registry import similar_practices
from panreflex.lib.pdf import render_pdf
from panreflex.practices.models import Practice

from .. import selectors
from ..diffing import snapshot_diff
from ..forms import AddToCollectionForm
from ..models import PracticeAttachment, PracticeVersion
from ..services_workflow import can_review, workflow_state


def _similar(practice, viewer) -> list:
    return similar_practices(practice=practice, viewer=viewer, limit=5)


def practice_context(request, practice) -> dict:
    user = request.user
    can_edit = access.can_edit(user, practice)
    reviewer = can_review(user, practice)
    return {
        "practice": practice,
        "state": workflow_state(practice),
        "can_edit": can_edit,
        "can_review": reviewer,
        "show_reviews": can_edit or reviewer,
        "watched": practice.pk in selectors.watched_ids(user=user),
        "good_practice": practice.good_practice or [],
    }


@loads(pk=Practice)
def practice_detail(request, pk: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    context = practice_context(request, practice)
    if context["show_reviews"]:
        context["reviews"] = list(selectors.practice_reviews(practice=practice))
    if access.can_view_audit(request.user, practice):
        context["audit_entries"] = list(audit_for_object(obj=practice)[:30])
    if access.is_authenticated(request.user):
        context["collection_form"] = AddToCollectionForm(user=request.user)
    context["similar"] = _similar(practice, request.user)
    if request.htmx and request.GET.get("part") == "watch":
        return render(request, "practices/practice_detail.html#watch", context)
    return render(request, "practices/practice_detail.html", context)


@loads(pk=Practice)
def practice_pdf(request, pk: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    pdf = render_pdf("practices/pdf/profile.html", practice_context(request, practice), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(practice.title)[:60] or "praxisbeispiel"
    response["Content-Disposition"] = f'inline; filename="steckbrief-{practice.pk}-{name}.pdf"'
    return response


def _version_allowed(request, practice) -> None:
    """Versions (including unpublished states) are for editors and reviewers."""
    access.require(access.can_edit(request.user, practice) or can_review(request.user, practice))


@loads(pk=Practice)
def practice_versions(request, pk: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    _version_allowed(request, practice)
    versions = list(selectors.practice_versions(practice=practice))
    return render(request, "practices/practice_versions.html", {"practice": practice, "versions": versions})


@loads(pk=Practice)
def practice_diff(request, pk: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    _version_allowed(request, practice)
    versions = {v.number: v for v in PracticeVersion.objects.filter(practice=practice).select_related("created_by")}
    if not versions:
        raise Http404

    def number(key, default):
        value = request.GET.get(key, "")
        return int(value) if value.isdigit() and int(value) in versions else default

    newest = max(versions)
    b = number("b", newest)
    a = number("a", max(b - 1, min(versions)))
    rows = snapshot_diff(versions[a].snapshot, versions[b].snapshot)
    return render(request, "practices/practice_diff.html", {
        "practice": practice, "a": versions[a], "b": versions[b], "rows": rows,
        "numbers": sorted(versions, reverse=True),
    })


@loads(pk=Practice, attachment_id=WITHIN)
def attachment_download(request, pk: int, attachment_id: int):
    practice = selectors.practice_get_for_view(viewer=request.user, pk=pk)
    attachment = get_object_or_404(PracticeAttachment, pk=attachment_id, practice=practice)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(handle, content_type=attachment.content_type,
                            filename=f"{slugify(attachment.title) or 'anhang'}{attachment.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    if attachment.content_type != "application/pdf" and not attachment.content_type.startswith("image/"):
        response["Content-Disposition"] = "attachment"
    return response
