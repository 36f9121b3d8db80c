from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import WITHIN, loads
from panreflex.audit.selectors import audit_for_object

from .. import chain as chain_mod
from .. import graph, selectors, services
from ..forms import (
    CommentForm,
    EvidenceLinkForm,
    FeedbackForm,
    RecommendationFilterForm,
    RecommendationForm,
    TransitionForm,
)
from ..models import Recommendation, RecommendationEvidence


def _messages_from(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@loads()
def recommendation_list(request):
    form = RecommendationFilterForm(request.GET or None)
    recs = selectors.recommendation_list(viewer=request.user, filters=form.filters())
    page = Paginator(recs, 25).get_page(request.GET.get("page"))
    strengths = chain_mod.recommendation_strengths(page.object_list)
    labels = chain_mod._labels()
    rows = [(r, strengths[r.pk], labels.get(strengths[r.pk][0], "")) for r in page.object_list]
    template = "evidence/recommendation_list.html#results" if request.htmx else "evidence/recommendation_list.html"
    return render(request, template, {"form": form, "page": page, "rows": rows,
                                      "can_create": access.editable_organisations(request.user).exists()})


@loads(pk=Recommendation)
def recommendation_detail(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk)
    chain = chain_mod.evidence_chain(viewer=request.user, recommendation=rec)
    transitions = selectors.allowed_transitions(viewer=request.user, rec=rec)
    orgs = access.member_organisations(request.user, "member").order_by("name") if request.user.is_authenticated else None
    context = {
        "rec": rec,
        "chain": chain,
        "related": access.filter_visible(request.user, rec.related.all()).order_by("title"),
        "can_edit": (access.can_edit(request.user, rec) and rec.is_editable),
        "transition_form": TransitionForm(choices=[(t, Recommendation.Status(t).label) for t in transitions])
        if transitions else None,
        "comment_form": CommentForm() if access.can(request.user, "comment", rec) else None,
        "comments": rec.comments.select_related("author"),
        "evidence_form": EvidenceLinkForm(user=request.user, recommendation=rec)
        if (access.can_edit(request.user, rec) and rec.is_editable) else None,
        "links": rec.evidence.select_related("insight", "practice", "target")
        if (access.can_edit(request.user, rec) and rec.is_editable) else None,
        "adoption": selectors.adoption_counts(recommendation=rec),
        "feedback_form": FeedbackForm(organisations=orgs) if orgs is not None and orgs.exists()
        and rec.status == Recommendation.Status.PUBLISHED else None,
        "my_feedback": selectors.feedback_of(recommendation=rec, organisations=orgs).values() if orgs else [],
        "no_organisation": request.user.is_authenticated and not access.organisation_ids(request.user),
        "audit": audit_for_object(obj=rec)[:20] if access.can_view_audit(request.user, rec) else None,
    }
    return render(request, "evidence/recommendation_detail.html", context)


@loads(pk=Recommendation)
def recommendation_chain(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk)
    chain = chain_mod.evidence_chain(viewer=request.user, recommendation=rec)
    return render(request, "evidence/recommendation_chain.html",
                  {"rec": rec, "chain": chain, "svg": mark_safe(graph.render_svg(chain))})  # noqa: S308 - escaped


@loads(pk=Recommendation)
def recommendation_versions(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk)
    return render(request, "evidence/recommendation_versions.html",
                  {"rec": rec, "versions": rec.versions.select_related("created_by")})


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def recommendation_create(request):
    access.require(access.editable_organisations(request.user).exists())
    form = RecommendationForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rec = services.recommendation_create(
                organisation=d["organisation"], author=request.user, title=d["title"], statement=d["statement"],
                explanation=d["explanation"], addressees=d["addressees"], themes=d["themes"], lever=d["lever"],
                priority=d["priority"], effort=d["effort"], preconditions=d["preconditions"], steps=d["steps"],
                visibility=d["visibility"],
            )
            if d["related"]:
                services.recommendation_update(recommendation=rec, actor=request.user, data={}, related=d["related"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation was saved as a draft. Now link its evidence."))
            return redirect(rec)
    return render(request, "evidence/recommendation_form.html", {"form": form, "rec": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=Recommendation)
def recommendation_edit(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk, action="change")
    if not rec.is_editable:
        messages.error(request, _("A recommendation that is %(status)s cannot be changed. Send it back to draft first.")
                       % {"status": rec.get_status_display().lower()})
        return redirect(rec)
    form = RecommendationForm(request.POST if request.method == "POST" else None, instance=rec, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fresh = Recommendation.objects.get(pk=rec.pk)
        try:
            services.recommendation_update(
                recommendation=fresh, actor=request.user,
                data={k: d[k] for k in services.recommendations.CONTENT_FIELDS},
                themes=d["themes"], related=d["related"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect(rec)
    return render(request, "evidence/recommendation_form.html", {"form": form, "rec": rec})


@login_required
@require_POST
@loads(pk=Recommendation)
def recommendation_evidence_add(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk, action="change")
    form = EvidenceLinkForm(request.POST, user=request.user, recommendation=rec)
    if form.is_valid():
        try:
            services.recommendation_evidence_add(recommendation=rec, actor=request.user, kind=form.cleaned_data["kind"],
                                                 object_id=form.cleaned_data["object_id"],
                                                 note=form.cleaned_data["note"])
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("The evidence was linked."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(rec.get_absolute_url() + "#evidence")


@login_required
@require_POST
@loads(pk=Recommendation, link_pk=WITHIN)
def recommendation_evidence_remove(request, pk: int, link_pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk, action="change")
    link = get_object_or_404(RecommendationEvidence, pk=link_pk, recommendation=rec)
    try:
        services.recommendation_evidence_remove(link=link, actor=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("The evidence link was removed."))
    return redirect(rec.get_absolute_url() + "#evidence")


@login_required
@require_POST
@loads(pk=Recommendation)
def recommendation_transition(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk)
    to = request.POST.get("to", "")
    access.require(bool(selectors.allowed_transitions(viewer=request.user, rec=rec)))
    if to not in selectors.allowed_transitions(viewer=request.user, rec=rec):
        messages.error(request, _("You cannot change the status of this recommendation that way."))
        return redirect(rec)
    try:
        rec = services.recommendation_transition(recommendation=rec, actor=request.user, to=to,
                                                 comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("The status is now “%(status)s”.") % {"status": rec.get_status_display()})
    return redirect(rec)


@login_required
@require_POST
@loads(pk=Recommendation)
def recommendation_comment(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk)
    access.require(access.can(request.user, "comment", rec))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.recommendation_comment_add(recommendation=rec, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(rec.get_absolute_url() + "#comments")


@login_required
@require_POST
@loads(pk=Recommendation)
def recommendation_feedback(request, pk: int):
    rec = selectors.recommendation_get(viewer=request.user, pk=pk)
    orgs = access.member_organisations(request.user, "member").order_by("name")
    if not access.organisation_ids(request.user):
        messages.error(request, _("Only members of an organisation can give feedback; your account belongs to no "
                                  "organisation."))
        return redirect(rec)
    form = FeedbackForm(request.POST, organisations=orgs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(rec.get_absolute_url() + "#feedback")
    d = form.cleaned_data
    try:
        feedback = services.feedback_set(recommendation=rec, user=request.user, organisation=d["organisation"],
                                         answer=d["answer"], note=d["note"],
                                         create_action_item=d["create_action_item"])
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        if feedback.action_item_id and d["create_action_item"]:
            messages.success(request, _("Thank you. The recommendation is now an action item in your improvement plan."))
        else:
            messages.success(request, _("Thank you for your feedback."))
    return redirect(rec.get_absolute_url() + "#feedback")


@loads()
def contributions(request):
    """What a practice example or workshop contributed to (?kind=practice&id=N)."""
    kind = request.GET.get("kind", "")
    if kind not in ("practice", "workshop", "workshop_card") or not request.GET.get("id", "").isdigit():
        raise Http404
    object_id = int(request.GET["id"])
    # Each kind by its own rule (a workshop's participants from other organisations see it too).
    obj = access.resolve_or_404(request.user, kind, object_id)
    workshop = obj.workshop if kind == "workshop_card" else obj
    label = obj.title if kind == "practice" else str(obj)
    url = workshop.get_absolute_url()
    data = chain_mod.contributions(viewer=request.user, kind=kind, object_ids=[object_id])
    return render(request, "evidence/contributions.html", {"kind": kind, "label": label, "url": url, **data})
