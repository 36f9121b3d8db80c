"""Results: per question counts and charts, open answers, cross-tabs, PDF report, raw-data exports."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, loads
from panreflex.lib.pdf import render_pdf
from panreflex.places.models import SIZE_CLASSES

from .. import exports
from ..models import Item, Survey
from ..selectors import (
    MIN_GROUP,
    STATES,
    breakdown_options,
    crosstab,
    demo_count,
    parse_filters,
    response_base,
    results_version,
)
from ..selectors import question_result as question_result_fn
from ..selectors import results as all_results
from ..services.answers import form_for


def _context(request, pk):
    survey = access.get_visible_or_404(request.user, Survey.objects.select_related("organisation"), pk=pk)
    version = results_version(survey, request.GET.get("version"))
    if version is None:
        raise Http404
    fd = form_for(version)
    filters = parse_filters(fd, request.GET)
    base = response_base(survey, version, filters)
    can_edit = access.can_edit(request.user, survey)
    return survey, version, fd, filters, base, can_edit


def _filter_context(fd, filters, request):
    closed = [i for i in fd.items if i.kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO, Item.Kind.MULTIPLE)]
    return {
        "filters": filters, "size_classes": [(code, label) for code, label, _m in SIZE_CLASSES], "states": sorted(STATES.items()),
        "closed_items": closed, "filter_codes": fd.choices_for(filters.item) if filters.item else [],
        "query": request.GET.urlencode(),
    }


@loads(pk=Survey)
def results(request, pk):
    survey, version, fd, filters, base, can_edit = _context(request, pk)
    n = base.count()
    items = all_results(fd, base, with_texts=can_edit)
    return render(request, "surveys/results.html", {
        "survey": survey, "version": version, "results": items, "n": n, "can_edit": can_edit,
        "n_demo": demo_count(base), "versions": survey.versions.filter(frozen_at__isnull=False),
        **_filter_context(fd, filters, request),
    })


@loads(pk=Survey, name=REFERENCE)
def question_result(request, pk, name):
    survey, version, fd, filters, base, can_edit = _context(request, pk)
    item = fd.by_name.get(name)
    if item is None or not (item.is_stored or item.kind == Item.Kind.MATRIX):
        raise Http404
    q = request.GET.get("q", "")[:100] if can_edit else ""
    result = question_result_fn(fd, item, base, text_query=q, text_limit=200, with_texts=can_edit)
    by = request.GET.get("by", "size_class")
    table = crosstab(fd, item, by, base)
    return render(request, "surveys/question_result.html", {
        "survey": survey, "version": version, "result": result, "item": item, "n": base.count(), "can_edit": can_edit,
        "q": q, "by": by, "crosstab": table, "breakdowns": breakdown_options(fd), "min_group": MIN_GROUP,
        **_filter_context(fd, filters, request),
    })


@loads(pk=Survey)
def report_pdf(request, pk):
    survey, version, fd, filters, base, can_edit = _context(request, pk)
    items = all_results(fd, base, with_texts=False)
    pdf = render_pdf("surveys/report_pdf.html", {
        "survey": survey, "version": version, "results": items, "n": base.count(), "filters": filters,
        "n_demo": demo_count(base),
    }, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ergebnisse-{survey.pk}.pdf"'
    return response


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


@loads(pk=Survey, fmt=REFERENCE)
def export_data(request, pk, fmt):
    survey, version, fd, filters, base, can_edit = _context(request, pk)
    access.require(can_edit and fmt in FORMATS)
    labels = request.GET.get("values") == "labels"
    if fmt == "sav":
        data = exports.to_sav(fd, base)
    else:
        sheets = exports.build_sheets(fd, base, labels=labels, wide=request.GET.get("form") == "wide")
        if fmt == "csv":
            wanted = request.GET.get("sheet", "")
            sheet = next((s for s in sheets if s.title == wanted), sheets[0])
            data = exports.to_csv(sheet)
        else:
            data = exports.to_xlsx(sheets)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-v{version.number}.{fmt}"'
    return response


__all__ = ["_"]
