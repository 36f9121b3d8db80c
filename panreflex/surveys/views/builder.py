"""Researchers build questionnaires: list, create, import XLSForm, edit questions, versions, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import WITHIN, loads
from panreflex.audit.selectors import audit_for_object

from .. import services
from ..formdef import FormDef
from ..forms import ImportForm, ItemForm, SurveyForm
from ..models import Item, Survey
from ..selectors import survey_list as select_surveys
from ..selectors import tracking
from ..services.questionnaire import current_version, fielded_version
from ..services.xlsform import XLSFormError, export_attachments, export_xlsform, format_report, import_xlsform


def _may_create(request) -> bool:
    return access.is_staff(request.user) or access.editable_organisations(request.user).exists()


@loads()
def survey_list(request):
    from django.core.paginator import Paginator

    page = Paginator(select_surveys(viewer=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "surveys/survey_list.html", {
        "page_obj": page, "surveys": page.object_list,
        "may_create": access.is_authenticated(request.user) and _may_create(request),
    })


def _creator(request):
    if not access.is_authenticated(request.user):
        return redirect_to_login(request.get_full_path())
    access.require(_may_create(request))
    return None


@loads()
def survey_create(request):
    if (resp := _creator(request)) is not None:
        return resp
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user, organisation=d["organisation"], title=d["title"], title_en=d["title_en"],
                description=d["description"], anonymous=d["anonymous"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                visibility=d["visibility"],
            )
            if d["open_link"]:
                services.survey_update(actor=request.user, survey=survey, open_link=True)
        except services.SurveyError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The survey was created. Now add sections and questions."))
            return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form})


@loads()
def survey_import(request):
    if (resp := _creator(request)) is not None:
        return resp
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachments = {f.name: f.read() for f in form.cleaned_data.get("attachments") or []}
            result = import_xlsform(data=upload.read(), filename=upload.name, actor=request.user,
                                    organisation=form.cleaned_data["organisation"], strict=form.cleaned_data["strict"],
                                    attachments=attachments)
        except XLSFormError as exc:
            problems = exc.messages
        else:
            if result.report:
                messages.warning(request, _("The form was imported; %(n)s part(s) could not be represented — see the import report.")
                                 % {"n": len(result.report)})
            else:
                messages.success(request, _("The form was imported completely."))
            return redirect(result.survey)
    return render(request, "surveys/import.html", {"form": form, "problems": problems})


def _survey_visible(request, pk):
    return access.get_visible_or_404(request.user, Survey.objects.select_related("organisation"), pk=pk)


def _survey_editable(request, pk):
    return access.get_editable_or_404(request.user, Survey.objects.select_related("organisation"), pk=pk)


def _tree(fd: FormDef, parent=None, depth=0):
    rows = []
    for item in fd.kids(parent):
        rows.append((item, depth, fd.choices_for(item), missing_translations(fd, item)))
        if item.is_container:
            rows += _tree(fd, item, depth + 1)
    return rows


def missing_translations(fd: FormDef, item: Item) -> list[str]:
    """The form's languages in which this item's wording (or one of its choices' labels) is missing,
    for a form with more than one language; items without any wording are not flagged."""
    codes = fd.version.language_codes
    if len(codes) < 2:
        return []
    missing = set()
    if item.labels:
        missing |= {c for c in codes if not item.labels.get(c)}
    for choice in fd.choices_for(item):
        if choice.labels:
            missing |= {c for c in codes if not choice.labels.get(c)}
    names = dict(fd.version.language_names())
    return [names[c] for c in codes if c in missing]


@loads(pk=Survey)
def survey_detail(request, pk):
    survey = _survey_visible(request, pk)
    version = current_version(survey)
    fd = FormDef.load(version)
    can_edit = access.can_edit(request.user, survey)
    tree = _tree(fd)
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "version": version, "tree": tree, "can_edit": can_edit,
        "form_languages": version.language_names(), "untranslated": sum(1 for row in tree if row[3]),
        "instance_name": ((version.settings or {}).get("sheet") or {}).get("instance_name", ""),
        "editable": can_edit and not version.is_frozen, "fielded": fielded_version(survey),
        "report": format_report(survey.import_report) if can_edit else [],
        "tracking": tracking(survey) if can_edit else None,
        "audit": audit_for_object(obj=survey)[:20] if access.can_view_audit(request.user, survey) else None,
        "versions": survey.versions.all(),
    })


@loads(pk=Survey)
def survey_edit(request, pk):
    survey = _survey_editable(request, pk)
    form = SurveyForm(request.POST or None, instance=survey, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        survey.refresh_from_db()
        try:
            services.survey_update(
                actor=request.user, survey=survey, open_link=d["open_link"],
                **{k: d[k] for k in ("title", "title_en", "description", "anonymous", "starts_at", "ends_at", "visibility")},
            )
        except services.SurveyError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@loads(pk=Survey)
def survey_delete(request, pk):
    survey = _survey_editable(request, pk)
    if request.method == "POST":
        services.survey_delete(actor=request.user, survey=survey)
        messages.success(request, _("The survey was deleted."))
        return redirect("surveys:list")
    return render(request, "surveys/confirm_delete.html", {"survey": survey, "object": survey,
                                                           "n_responses": survey.responses.count()})


def _editable_version(request, survey):
    version = services.version_editable(survey)
    access.require(version is not None)
    return version


def _containers(fd: FormDef, exclude: Item | None = None):
    return [i for i in fd.items if i.is_container and (exclude is None or i.pk != exclude.pk)]


def _apply_item_form(request, form, survey, version, item=None):
    d = form.cleaned_data
    parent = Item.objects.filter(version=version, pk=d["parent"]).first() if d.get("parent") else None
    fields = form.item_fields()
    try:
        if item is None:
            return services.item_create(actor=request.user, version=version, kind=d["kind"], name=d["name"],
                                        parent=parent, choices=d["choices"] or None, **fields)
        item.parent = parent
        return services.item_update(actor=request.user, item=item, kind=d["kind"], name=d["name"],
                                    choices=d["choices"] or None, **fields)
    except services.SurveyError as exc:
        if hasattr(exc, "error_dict"):
            for key, errs in exc.error_dict.items():
                form.add_error(key if key in form.fields else None, errs)
        else:
            form.add_error(None, exc)
        return None


@loads(pk=Survey)
def item_create(request, pk):
    survey = _survey_editable(request, pk)
    version = _editable_version(request, survey)
    fd = FormDef.load(version)
    initial = {"parent": request.GET.get("parent") or None, "kind": request.GET.get("kind") or Item.Kind.SINGLE}
    form = ItemForm(request.POST or None, initial=initial, containers=_containers(fd), languages=version.language_names())
    if request.method == "POST" and form.is_valid():
        item = _apply_item_form(request, form, survey, version)
        if item is not None:
            messages.success(request, _("“%(name)s” was added.") % {"name": item.name})
            return redirect(reverse("surveys:detail", kwargs={"pk": survey.pk}) + f"#item-{item.pk}")
    return render(request, "surveys/item_form.html", {"form": form, "survey": survey})


@loads(pk=Survey, item_pk=WITHIN)
def item_edit(request, pk, item_pk):
    survey = _survey_editable(request, pk)
    version = _editable_version(request, survey)
    item = _item_or_404(version, item_pk)
    fd = FormDef.load(version)
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item, fd.choices_for(item), version.language_codes),
                    containers=_containers(fd, exclude=item), languages=version.language_names())
    if request.method == "POST" and form.is_valid():
        if _apply_item_form(request, form, survey, version, item) is not None:
            messages.success(request, _("Saved."))
            return redirect(reverse("surveys:detail", kwargs={"pk": survey.pk}) + f"#item-{item.pk}")
    return render(request, "surveys/item_form.html", {"form": form, "survey": survey, "item": item})


def _item_or_404(version, item_pk):
    item = Item.objects.filter(version=version, pk=item_pk).select_related("version").first()
    access.require(item is not None)
    return item


@loads(pk=Survey, item_pk=WITHIN)
def item_delete(request, pk, item_pk):
    survey = _survey_editable(request, pk)
    version = _editable_version(request, survey)
    item = _item_or_404(version, item_pk)
    error = ""
    if request.method == "POST":
        try:
            services.item_delete(actor=request.user, item=item)
        except services.SurveyError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": item.name})
            return redirect(survey)
    return render(request, "surveys/confirm_delete.html", {"survey": survey, "object": item, "error": error})


@require_POST
@loads(pk=Survey, item_pk=WITHIN)
def item_move(request, pk, item_pk):
    survey = _survey_editable(request, pk)
    version = _editable_version(request, survey)
    item = _item_or_404(version, item_pk)
    services.item_move(actor=request.user, item=item, direction=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("surveys:detail", kwargs={"pk": survey.pk}) + f"#item-{item.pk}")


@require_POST
@loads(pk=Survey)
def version_new(request, pk):
    survey = _survey_editable(request, pk)
    version = services.version_new(actor=request.user, survey=survey)
    messages.success(request, _("Version %(n)s can now be edited; respondents keep answering the version in the field until you publish it.")
                     % {"n": version.number})
    return redirect(survey)


@loads(pk=Survey)
def survey_preview(request, pk):
    survey = _survey_editable(request, pk)
    version = current_version(survey)
    from .respond import build_pages

    fd = FormDef.load(version)
    pages = build_pages(fd, response=None, answers={}, seed=0)
    for page in pages:  # the preview shows every question, whatever the skip logic says
        for node in page.nodes:
            node.visible = True
            for q in [node.question, *node.rows]:
                if q is not None:
                    q.visible = True
    return render(request, "surveys/preview.html", {"survey": survey, "version": version, "pages": pages})


@loads(pk=Survey)
def survey_export_xlsform(request, pk):
    survey = _survey_editable(request, pk)
    version = current_version(survey)
    data = export_xlsform(version=version)
    name = f"survey-{survey.pk}-v{version.number}"
    attachments = export_attachments(version=version)
    if attachments:  # the form and its CSV choice lists, as KoboToolbox takes them
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{name}.xlsx", data)
            for filename, content in attachments.items():
                archive.writestr(filename, content)
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        return response
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
