from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from panreflex.accounts import access
from panreflex.accounts.policy import loads
from panreflex.audit.selectors import audit_for_object

from . import exports, selectors, services
from .forms import ActionItemForm, PlanFilterForm, ProgressForm
from .models import ActionItem

PAGE_SIZE = 25


def _plan_organisation(request):
    """The organisation whose plan is shown: ?organisation=<slug>, else the user's first one."""
    organisations = access.member_organisations(request.user)
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        organisation = organisations.filter(slug=slug).first()
        if organisation is None:
            raise Http404
        return organisation, organisations
    own = organisations.filter(pk__in=access.organisation_ids(request.user)).order_by("name").first()
    return own or organisations.order_by("name").first(), organisations


def _filtered(request, organisation):
    form = PlanFilterForm(request.GET or None)
    items = selectors.plan_items(viewer=request.user, organisation=organisation, filters=form.filters())
    return form, items


@login_required
@loads()
def plan(request):
    organisation, organisations = _plan_organisation(request)
    context = {"organisation": organisation, "organisations": organisations}
    if organisation is not None:
        form, items = _filtered(request, organisation)
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            form=form,
            page=page,
            summary=selectors.plan_summary(items=selectors.plan_items(viewer=request.user, organisation=organisation)),
            today=timezone.localdate(),
            can_create=access.can_edit_for(request.user, organisation),
            query_string=_query_without_page(request),
        )
    template = "improvements/plan.html#results" if request.htmx and organisation else "improvements/plan.html"
    return render(request, template, context)


def _query_without_page(request) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def _export_items(request):
    organisation, _orgs = _plan_organisation(request)
    if organisation is None:
        raise Http404
    _form, items = _filtered(request, organisation)
    return organisation, items


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(organisation, ext: str) -> str:
    return f"massnahmenplan-{slugify(organisation.slug)}-{timezone.localdate():%Y-%m-%d}.{ext}"


@login_required
@loads()
def export_csv(request):
    organisation, items = _export_items(request)
    return _download(exports.plan_csv(items), "text/csv; charset=utf-8", _filename(organisation, "csv"))


@login_required
@loads()
def export_xlsx(request):
    organisation, items = _export_items(request)
    return _download(
        exports.plan_xlsx(items, organisation_name=organisation.name),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(organisation, "xlsx"),
    )


@login_required
@loads()
def export_ics(request):
    organisation, items = _export_items(request)
    return _download(
        exports.plan_ics(items, organisation_name=organisation.name), "text/calendar; charset=utf-8",
        _filename(organisation, "ics"),
    )


@loads(pk=ActionItem)
def detail(request, pk: int):
    item = selectors.item_get(viewer=request.user, pk=pk)
    return render(
        request,
        "improvements/detail.html",
        {
            "item": item,
            "today": timezone.localdate(),
            "can_edit": access.can_edit(request.user, item),
            "can_update_progress": access.can(request.user, "progress", item),
            "audit": audit_for_object(obj=item)[:20] if access.can_view_audit(request.user, item) else None,
            "reminders": item.reminders.all()[:10] if access.can_edit(request.user, item) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@loads()
def create(request):
    organisation, _orgs = _plan_organisation(request)
    access.require(organisation is not None and access.can_edit_for(request.user, organisation))
    form = ActionItemForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(organisation=organisation, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The action item was added to the plan."))
            return redirect(item)
    return render(request, "improvements/form.html", {"form": form, "organisation": organisation, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=ActionItem)
def edit(request, pk: int):
    item = selectors.item_get(viewer=request.user, pk=pk, action="change")
    form = ActionItemForm(request.POST if request.method == "POST" else None, instance=item, organisation=item.organisation)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        fresh = ActionItem.objects.get(pk=item.pk)
        try:
            item = services.action_item_update(item=fresh, actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The action item was saved."))
            return redirect(item)
    return render(request, "improvements/form.html", {"form": form, "organisation": item.organisation, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=ActionItem)
def progress(request, pk: int):
    item = selectors.item_get(viewer=request.user, pk=pk, action="progress")
    form = ProgressForm(request.POST if request.method == "POST" else None, initial={"status": item.status, "progress": item.progress,
                                                        "notes": item.notes})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_update_progress(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Status and progress were saved."))
            return redirect(item)
    return render(request, "improvements/progress.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=ActionItem)
def delete(request, pk: int):
    item = selectors.item_get(viewer=request.user, pk=pk, action="change")
    if request.method == "POST":
        organisation = item.organisation
        services.action_item_delete(item=item, actor=request.user)
        messages.success(request, _("The action item was deleted."))
        return redirect(f"{_plan_url()}?organisation={organisation.slug}")
    return render(request, "improvements/delete.html", {"item": item})


def _plan_url() -> str:
    from django.urls import reverse

    return reverse("improvements:plan")
