from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import WITHIN, loads
from panreflex.audit.selectors import audit_for_object
from panreflex.evidence.models import Insight

from .. import selectors, services
from ..forms import InsightFilterForm, InsightForm, LearnedForm, MergeForm, SourceForm, SplitForm
from ..models import InsightSource


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@loads()
def insight_list(request):
    form = InsightFilterForm(request.GET or None)
    insights = selectors.insight_list(viewer=request.user, filters=form.filters())
    page = Paginator(insights, 25).get_page(request.GET.get("page"))
    template = "evidence/insight_list.html#results" if request.htmx else "evidence/insight_list.html"
    return render(request, template, {"form": form, "page": page, "can_create": access.editable_organisations(request.user).exists()})


@loads(pk=Insight)
def insight_detail(request, pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk)
    can_edit = access.can_edit(request.user, insight)
    context = {
        "insight": insight,
        "sources": selectors.insight_sources(insight=insight),
        "merged_from": selectors.merged_from(insight=insight),
        "split_into": access.filter_visible(request.user, insight.split_into.all()),
        "led_to": selectors.insight_led_to(viewer=request.user, insight=insight),
        "can_edit": can_edit and not insight.is_merged,
        "source_form": SourceForm(user=request.user) if can_edit and not insight.is_merged else None,
        "audit": audit_for_object(obj=insight)[:20] if access.can_view_audit(request.user, insight) else None,
    }
    return render(request, "evidence/insight_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def insight_create(request):
    access.require(access.editable_organisations(request.user).exists())
    form = InsightForm(request.POST if request.method == "POST" else None, user=request.user)
    source_form = SourceForm(request.POST if request.method == "POST" else None, user=request.user, prefix="source")
    want_source = bool(request.POST.get("source-kind") and (
        request.POST.get("source-practice") or request.POST.get("source-object_id") or request.POST.get("source-label")
    ))
    if request.method == "POST" and form.is_valid() and (not want_source or source_form.is_valid()):
        d = form.cleaned_data
        try:
            insight = services.insight_create(
                organisation=d["organisation"], author=request.user, statement=d["statement"], kind=d["kind"],
                themes=d["themes"], phase=d["phase"], visibility=d["visibility"],
                organisations_concerned=d["organisations_concerned"],
                sources=[source_form.source()] if want_source else [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The insight was saved. Add the sources it rests on."))
            return redirect(insight)
    if request.method == "GET":
        source_form = SourceForm(user=request.user, prefix="source")
    return render(request, "evidence/insight_form.html", {"form": form, "source_form": source_form, "insight": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=Insight)
def insight_edit(request, pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk, action="change")
    if insight.is_merged:
        messages.error(request, _("This insight was merged into another one and can no longer be changed."))
        return redirect(insight)
    form = InsightForm(request.POST if request.method == "POST" else None, instance=insight, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.insight_update(
                insight=insight, actor=request.user,
                data={k: d[k] for k in ("statement", "kind", "phase", "visibility")},
                themes=d["themes"], organisations_concerned=d["organisations_concerned"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The insight was saved."))
            return redirect(insight)
    return render(request, "evidence/insight_form.html", {"form": form, "insight": insight})


@login_required
@require_POST
@loads(pk=Insight)
def insight_source_add(request, pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk, action="change")
    form = SourceForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.insight_source_add(insight=insight, actor=request.user, source=form.source())
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("The source was added."))
            return redirect(insight)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(insight.get_absolute_url() + "#add-source")


@login_required
@require_POST
@loads(pk=Insight, source_pk=WITHIN)
def insight_source_delete(request, pk: int, source_pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk, action="change")
    source = get_object_or_404(InsightSource, pk=source_pk, insight=insight)
    try:
        services.insight_source_remove(source=source, actor=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The source was removed."))
    return redirect(insight)


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=Insight)
def insight_merge(request, pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk, action="change")
    candidates = selectors.merge_candidates(viewer=request.user, insight=insight)
    form = MergeForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.insight_merge(target=insight, duplicates=form.cleaned_data["duplicates"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The duplicates were merged into this insight; all their sources were kept."))
            return redirect(insight)
    return render(request, "evidence/insight_merge.html", {"form": form, "insight": insight})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=Insight)
def insight_split(request, pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk, action="change")
    form = SplitForm(request.POST if request.method == "POST" else None, insight=insight)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new = services.insight_split(insight=insight, actor=request.user, statement=d["statement"],
                                         kind=d["kind"], source_ids=[s.pk for s in d["sources"]])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("A new insight was split off."))
            return redirect(new)
    return render(request, "evidence/insight_split.html", {"form": form, "insight": insight})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=Insight)
def insight_learned(request, pk: int):
    insight = selectors.insight_get(viewer=request.user, pk=pk, action="change")
    form = LearnedForm(request.POST if request.method == "POST" else None, insight=insight)
    if request.method == "POST" and request.POST.get("status") == "identified":
        services.insight_mark_identified(insight=insight, actor=request.user)
        messages.success(request, _("The insight is marked as identified again."))
        return redirect(insight)
    if request.method == "POST" and form.is_valid():
        try:
            services.insight_mark_learned(insight=insight, actor=request.user,
                                          action_item=form.cleaned_data["action_item"],
                                          evidence=form.cleaned_data["evidence"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The insight is marked as learned."))
            return redirect(insight)
    return render(request, "evidence/insight_learned.html", {"form": form, "insight": insight})
