"""Import (upload form with dry run and report) and export (CSV, XLSX, JSON of a search result)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from panreflex.accounts import access
from panreflex.accounts.policy import loads

from .forms_transfer import PracticeImportForm
from .transfer import columns, staging
from .transfer.exporter import EXPORT_FORMATS, export_queryset, practice_export_ids, practices_export
from .transfer.importer import practices_import


@login_required
@loads()
def practice_import(request):
    """Editors and staff upload a file; a dry run shows the report, the real run stores all or nothing."""
    organisations = access.editable_organisations(request.user).order_by("name")
    access.require(organisations.exists())
    staged = staging.staged(request.session)
    form = PracticeImportForm(
        request.POST or None, request.FILES or None, organisations=organisations, staged=staged,
    )
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is not None:
            data = upload.read()
            staged = staging.stage(request.session, data=data, filename=upload.name)
        else:
            data = staging.read(staged)
        report = practices_import(
            data=data,
            filename=staged["filename"],
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            dry_run=form.cleaned_data["dry_run"],
        )
        _link_rows(report)
        if report.stored:
            staging.unstage(request.session)
            staged = None
            count = len(report.created_ids)
            messages.success(request, ngettext(
                "%(count)s practice example was imported.", "%(count)s practice examples were imported.", count,
            ) % {"count": count})
        # a new unbound form keeps the organisation and the staged file for the next step
        form = PracticeImportForm(
            organisations=organisations, staged=staged,
            initial={"organisation": form.cleaned_data["organisation"], "dry_run": True},
        )
    elif request.method == "GET":
        form.initial.setdefault("dry_run", True)
    return render(request, "practices/transfer_import.html", {
        "form": form,
        "report": report,
        "staged": staged,
        "columns": columns.COLUMNS,
    })


def _link_rows(report) -> None:
    for row in report.rows[:500]:  # the page lists the first 500 rows
        if row.practice_id:
            try:
                row.detail_url = reverse("practices:detail", kwargs={"pk": row.practice_id})
            except NoReverseMatch:  # the detail page belongs to the core part of the app
                row.detail_url = ""


@loads()
def practice_export(request):
    """The practice examples of a search (same query string as the search page) as a file."""
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Unknown export format. Use csv, xlsx or json."))
    params = request.GET.copy()
    params.pop("format", None)
    # ?template=1: the column headers only, as a template to fill in
    ids = [] if params.pop("template", None) else practice_export_ids(viewer=request.user, params=params)
    content, content_type, filename = practices_export(practices=export_queryset(ids), fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
