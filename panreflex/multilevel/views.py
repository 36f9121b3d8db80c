from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panreflex.accounts import access
from panreflex.accounts.policy import REFERENCE, loads
from panreflex.lib.tabular import TabularError, read_table

from . import exports, selectors, services, timeline
from . import network as nw
from .forms import (
    ActorForm,
    DocumentForm,
    EventFilterForm,
    EventForm,
    ImportForm,
    LinkForm,
    MappingForm,
    NavigatorEntryForm,
    NetworkFilterForm,
    ReflectionForm,
    RelationForm,
    TransferFilterForm,
)
from .models import (
    NAVIGATOR_TOPICS,
    Actor,
    Dataset,
    Event,
    EventDocument,
    EventLink,
    Level,
    NavigatorEntry,
    Relation,
    Topic,
)

TABLE_PAGE = 100
MAX_UPLOAD = 5 * 1024 * 1024


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@loads()
def index(request):
    return render(request, "multilevel/index.html", {
        "cities": selectors.cities(), "figures": selectors.figures_by_city(viewer=request.user),
        "topics": [(t.value, t.label) for t in NAVIGATOR_TOPICS],
        "credits": selectors.credits_for([Dataset.OXCGRT, Dataset.CCCSL, Dataset.CURATED]),
    })


# --- chronology ---------------------------------------------------------------------------------------
def _event_filters(request) -> tuple[EventFilterForm, selectors.EventFilters]:
    form = EventFilterForm(request.GET or None)
    filters = selectors.EventFilters()
    if form.is_valid():
        filters.levels = form.cleaned_data["level"]
        filters.topics = [form.cleaned_data["topic"]] if form.cleaned_data["topic"] else []
    return form, filters


@loads(ags=REFERENCE)
def chronology(request, ags: str):
    city = selectors.get_city_or_404(ags)
    window = timeline.parse_window(request.GET.get("from"), request.GET.get("to"))
    form, filters = _event_filters(request)
    events_qs = selectors.city_events(viewer=request.user, city=city, filters=filters)
    windowed = selectors.in_window(events_qs, window.start, window.end)
    events = selectors.event_rows(windowed)  # light tuples for the chart; model instances only for the table page
    labels = selectors.level_labels()
    series = selectors.city_series(city)
    chart = timeline.render(
        events=events, series=series, window=window, level_labels=labels,
        title=_("Chronology of %(city)s, %(start)s to %(end)s") % {
            "city": city.name, "start": window.start.strftime("%d.%m.%Y"), "end": window.end.strftime("%d.%m.%Y")},
    )
    base = request.GET.copy()
    for key in ("from", "to", "page"):
        base.pop(key, None)
    keep = base.urlencode()
    zooms = [(label, window.zoomed(days)) for label, days in timeline.ZOOMS]
    context = {
        "city": city, "window": window, "chart": chart, "keep": keep, "zooms": zooms,
        "prev": window.shifted(-1), "next": window.shifted(1), "series": series,
    }
    if request.htmx and request.GET.get("part") == "chart":
        return render(request, "multilevel/chronology.html#chart", context)
    page = Paginator(events, TABLE_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.events_by_pk([row.pk for row in page.object_list])
    topic_labels, dataset_labels = dict(Topic.choices), dict(Dataset.choices)
    for e in page.object_list:  # labels looked up once (get_FOO_display hashes all lazy choices on every call)
        e.level_label, e.topic_label = labels[e.level], topic_labels[e.topic]
        e.dataset_label = dataset_labels[e.dataset]
    links = list(selectors.city_links(viewer=request.user, city=city))
    datasets = {e.dataset for e in events}
    context.update(
        form=form, page=page, events_total=len(events),
        lead=timeline.lead_times(events, labels),
        reaction=timeline.reaction_times(links, labels), links=links,
        credits=selectors.credits_for(datasets | {Dataset.OXCGRT}),
        series_credits=sorted({s.credit for s in series}),
        can_edit=selectors.can_edit_city(viewer=request.user, city=city),
        has_national="national" in chart.lanes, has_curated=Dataset.CURATED in datasets,
        has_cccsl=Dataset.CCCSL in datasets,
    )
    return render(request, "multilevel/chronology.html", context)


def _export_events(request, ags):
    city = selectors.get_city_or_404(ags)
    dataset = request.GET.get("dataset") or Dataset.OWN
    access.require(dataset in Dataset.values)
    _form, filters = _event_filters(request)
    filters.datasets = [dataset]
    events = selectors.city_events(viewer=request.user, city=city, filters=filters).select_related("organisation")
    return city, dataset, events


@loads(ags=REFERENCE)
def export_events_csv(request, ags: str):
    city, dataset, events = _export_events(request, ags)
    return _download(exports.events_csv(events), "text/csv; charset=utf-8", f"chronologie-{city.ags}-{dataset}.csv")


@loads(ags=REFERENCE)
def export_events_xlsx(request, ags: str):
    city, dataset, events = _export_events(request, ags)
    return _download(exports.events_xlsx(events), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"chronologie-{city.ags}-{dataset}.xlsx")


@loads(ags=REFERENCE)
def export_events_ics(request, ags: str):
    city, dataset, events = _export_events(request, ags)
    return _download(exports.events_ics(events, name=f"{_('Chronology')} {city.name}"), "text/calendar; charset=utf-8",
                     f"chronologie-{city.ags}-{dataset}.ics")


def _read_upload(form) -> object:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        raise ValidationError(_("The file is larger than 5 MB."))
    return read_table(upload.read(), upload.name)


def _import_failed(form, exc) -> list:
    """Put an import's failure on the form; return its bad rows (a report by row) if it has them."""
    if isinstance(exc, services.ImportFailed):
        form.add_error(None, exc.summary)
        return exc.problems
    form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    return []


@login_required
@require_http_methods(["GET", "POST"])
@loads(ags=REFERENCE)
def import_events(request, ags: str):
    city = selectors.get_city_or_404(ags)
    organisations = selectors.city_organisations(viewer=request.user, city=city)
    access.require(organisations.exists())
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.events_import(
                table=_read_upload(form), organisation=form.cleaned_data["organisation"], municipality=city,
                author=request.user, visibility=form.cleaned_data["visibility"])
        except (ValidationError, TabularError) as exc:
            problems = _import_failed(form, exc)
        else:
            messages.success(request, _("%(n)s events were imported.") % {"n": len(created)})
            return redirect("multilevel:chronology", ags=city.ags)
    return render(request, "multilevel/import.html", {
        "city": city, "form": form, "kind": "events", "columns": services.EVENT_COLUMNS, "problems": problems,
        "back": reverse("multilevel:chronology", kwargs={"ags": city.ags})})


@loads(pk=Event)
def event_detail(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk)
    higher, lower = selectors.event_links(viewer=request.user, event=event)
    can_edit = access.can_change(request.user, event)
    return render(request, "multilevel/event.html", {
        "event": event, "higher": higher, "lower": lower, "can_edit": can_edit,
        "credits": selectors.credits_for({event.dataset}),
        "documents": selectors.event_documents(viewer=request.user, event=event),
        "document_form": DocumentForm() if can_edit else None,
        "link_form": LinkForm(candidates=selectors.higher_candidates(viewer=request.user, event=event))
        if can_edit and event.level != Level.FEDERAL else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads(ags=REFERENCE)
def event_create(request, ags: str):
    city = selectors.get_city_or_404(ags)
    organisations = selectors.city_organisations(viewer=request.user, city=city)
    access.require(organisations.exists())
    form = EventForm(request.POST or None, organisations=organisations, initial={"level": Level.MUNICIPALITY})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event = services.event_create(author=request.user, municipality=city, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event was added to the chronology."))
            return redirect(event)
    return render(request, "multilevel/event_form.html", {"form": form, "city": city, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Event, "change"))
def event_edit(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk, action="change")
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, actor=request.user,
                                          data={f: form.cleaned_data[f] for f in EventForm.Meta.fields})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event)
    return render(request, "multilevel/event_form.html", {"form": form, "city": event.municipality, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Event, "delete"))
def event_delete(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk, action="delete")
    if request.method == "POST":
        city = event.municipality
        services.event_delete(event=event, actor=request.user)
        messages.success(request, _("The event was deleted."))
        return redirect("multilevel:chronology", ags=city.ags)
    return render(request, "multilevel/confirm_delete.html", {"object": event, "back": event.get_absolute_url()})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Event, "change"))
def document_upload(request, pk: int):
    """Attach a source document (PDF, office file) to an own measure; GET shows the form alone."""
    event = request.loaded["pk"]
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_document_add(event=event, actor=request.user, uploaded=form.cleaned_data["file"],
                                        title=form.cleaned_data["title"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("The document was added to the sources of the event."))
            return redirect(event)
    return render(request, "multilevel/document_form.html", {"form": form, "event": event},
                  status=400 if request.method == "POST" else 200)


@loads(pk=EventDocument)
def document_download(request, pk: int):
    """Always a download (never shown inline), with the type found by its content and no sniffing."""
    document = request.loaded["pk"]
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(handle, as_attachment=True, content_type=document.content_type,
                            filename=f"{slugify(document.title) or 'dokument'}{document.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
@loads(pk=(EventDocument, "delete"))
def document_delete(request, pk: int):
    document = request.loaded["pk"]
    event = document.event
    services.event_document_delete(document=document, actor=request.user)
    messages.success(request, _("The document was removed."))
    return redirect(event)


@login_required
@require_POST
@loads(pk=(Event, "change"))
def link_create(request, pk: int):
    event = selectors.event_get(viewer=request.user, pk=pk, action="change")
    form = LinkForm(request.POST, candidates=selectors.higher_candidates(viewer=request.user, event=event))
    if form.is_valid():
        try:
            services.event_link_create(higher=form.cleaned_data["higher"], lower=event, actor=request.user,
                                       kind=form.cleaned_data["kind"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The link to the higher rule was saved."))
    else:
        messages.error(request, _("Choose a higher rule."))
    return redirect(event)


@login_required
@require_POST
@loads(pk=(EventLink, "delete"))
def link_delete(request, pk: int):
    link = selectors.link_get(viewer=request.user, pk=pk, action="delete")
    lower = link.lower
    services.event_link_delete(link=link, actor=request.user)
    messages.success(request, _("The link was removed."))
    return redirect(lower)


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(EventLink, "change"))
def link_reflect(request, pk: int):
    link = selectors.link_get(viewer=request.user, pk=pk)
    insights, practices = selectors.reflection_choices(viewer=request.user)
    form = ReflectionForm(request.POST or None, instance=link, insights=insights, practices=practices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hidden_insights, hidden_practices = selectors.hidden_links(viewer=request.user, link=link)
        services.event_link_update_reflection(
            link=link, actor=request.user, improvised=data["improvised"], worked=data["worked"],
            transfer=data["transfer"], transfer_to=data["transfer_to"],
            insights=[*data["insights"], *hidden_insights], practices=[*data["practices"], *hidden_practices])
        messages.success(request, _("The reflection was saved."))
        if request.POST.get("next") == "transfer":  # back to the set of links the editor came from
            return redirect("multilevel:transfer", ags=link.lower.municipality.ags)
        return redirect(link.lower)
    fields = [("improvised", _("“What was improvised” as an insight")), ("worked", _("“What worked” as an insight")),
              ("transfer", _("“What would transfer” as an insight"))]
    return render(request, "multilevel/reflect.html", {"form": form, "link": link, "fields": fields})


@login_required
@require_POST
@loads(pk=(EventLink, "change"))
def link_insight(request, pk: int):
    link = selectors.link_get(viewer=request.user, pk=pk)
    access.require(request.POST.get("field") in services.REFLECTION_INSIGHT_KIND)
    try:
        insight = services.event_link_reflection_to_insight(link=link, actor=request.user, field=request.POST["field"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("multilevel:link_reflect", pk=link.pk)
    messages.success(request, _("The reflection is now an insight of the evidence base."))
    return redirect(insight)


@loads(ags=REFERENCE)
def transfer(request, ags: str):
    """Reflection over a set of links between higher rules and the city's measures: what was improvised,
    what worked (with insights and practice examples), what would transfer to which other long crisis."""
    city = selectors.get_city_or_404(ags)
    form = TransferFilterForm(request.GET or None)
    filters = selectors.TransferFilters()
    if form.is_valid():
        filters = selectors.TransferFilters(**form.cleaned_data)
    links = selectors.transfer_links(viewer=request.user, city=city, filters=filters)
    editable = {link.pk for link in links if access.can_change(request.user, link)}
    crises = {}
    for link in links:
        for term in link.transfer_to.all():
            crises.setdefault(term.code, [term, 0])[1] += 1
    return render(request, "multilevel/transfer.html", {
        "city": city, "form": form, "links": links, "editable": editable,
        "reflected": sum(1 for link in links if link.improvised or link.worked or link.transfer),
        "crises": sorted(crises.values(), key=lambda t: (-t[1], t[0].position)),
    })


# --- network ------------------------------------------------------------------------------------------
def _network_filters(request) -> tuple[NetworkFilterForm, selectors.NetworkFilters]:
    form = NetworkFilterForm(request.GET or None)
    filters = selectors.NetworkFilters()
    if form.is_valid():
        filters.levels, filters.kinds = form.cleaned_data["level"], form.cleaned_data["kind"]
        filters.start, filters.end = form.cleaned_data["valid_from"], form.cleaned_data["valid_to"]
        filters.topics = [form.cleaned_data["topic"]] if form.cleaned_data["topic"] else []
    return form, filters


def _network_view(request, city, filters):
    actors, relations = selectors.network(viewer=request.user, city=city, filters=filters)
    graph = nw.build_graph(actors, relations)
    metrics = nw.metrics(graph, actors)
    brokers = {m.actor.pk for m in metrics if m.is_broker}
    svg = nw.render_svg(graph, level_labels=selectors.level_labels(), kind_labels=dict(Relation.Kind.choices),
                        title=_("Actors network of %(city)s") % {"city": city.name}, brokers=brokers) if actors else ""
    return {"city": city, "actors": actors, "relations": relations, "metrics": metrics, "svg": svg}


@loads(ags=REFERENCE)
def network_page(request, ags: str):
    city = selectors.get_city_or_404(ags)
    form, filters = _network_filters(request)
    context = {"form": form, "main": _network_view(request, city, filters), "query": request.GET.urlencode(),
               "period_start": filters.start, "period_end": filters.end}
    compare_ags = request.GET.get("compare")
    if compare_ags:
        context["compare"] = _network_view(request, selectors.get_city_or_404(compare_ags), filters)
    context["other_cities"] = selectors.cities().exclude(pk=city.pk)
    context["can_edit"] = selectors.can_edit_city(viewer=request.user, city=city)
    context["city"] = city
    return render(request, "multilevel/network.html", context)


@loads(ags=REFERENCE)
def export_network_graphml(request, ags: str):
    city = selectors.get_city_or_404(ags)
    _form, filters = _network_filters(request)
    actors, relations = selectors.network(viewer=request.user, city=city, filters=filters)
    return _download(nw.graphml(nw.build_graph(actors, relations)), "application/graphml+xml",
                     f"netzwerk-{city.ags}.graphml")


@loads(ags=REFERENCE)
def export_network_csv(request, ags: str):
    city = selectors.get_city_or_404(ags)
    _form, filters = _network_filters(request)
    _actors, relations = selectors.network(viewer=request.user, city=city, filters=filters)
    return _download(exports.network_csv(relations), "text/csv; charset=utf-8", f"netzwerk-{city.ags}.csv")


@login_required
@require_http_methods(["GET", "POST"])
@loads(ags=REFERENCE)
def import_network(request, ags: str):
    city = selectors.get_city_or_404(ags)
    organisations = selectors.city_organisations(viewer=request.user, city=city)
    access.require(organisations.exists())
    surveys = selectors.survey_choices(viewer=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations, with_actors=True,
                      surveys=surveys, initial={"survey": request.GET.get("survey")})
    mapping_form = MappingForm(request.POST or None, prefix="map")
    problems = []
    # the questions of the chosen survey, to name in the mapping (only a survey the user may change)
    chosen = surveys.filter(pk=request.GET["survey"]).first() if request.GET.get("survey", "").isdigit() else None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("survey") or chosen
    answers = selectors.survey_answers(survey=chosen) if chosen is not None else None
    if request.method == "POST" and form.is_valid() and mapping_form.is_valid():
        m = mapping_form.cleaned_data
        survey = form.cleaned_data.get("survey")
        mapping = services.ColumnMapping(**m) if m["target_column"] else None
        if survey is not None and mapping is not None:
            mapping.separator = selectors.SURVEY_SEPARATOR
        try:
            if survey is not None and mapping is None:
                raise ValidationError(_("Name the question with the partners for the answers of a survey."))
            table = answers if survey is not None else _read_upload(form)
            counts = services.network_import(
                table=table, organisation=form.cleaned_data["organisation"], municipality=city,
                author=request.user, visibility=form.cleaned_data["visibility"],
                create_actors=form.cleaned_data.get("create_actors", False), mapping=mapping)
        except (ValidationError, TabularError) as exc:
            problems = _import_failed(form, exc)
        else:
            messages.success(request, _("%(r)s relations and %(a)s new actors were imported.") % {
                "r": counts["relations"], "a": counts["actors"]})
            return redirect("multilevel:network", ags=city.ags)
    return render(request, "multilevel/import.html", {
        "city": city, "form": form, "kind": "network", "columns": services.NETWORK_COLUMNS, "mapping_form": mapping_form,
        "problems": problems, "answers": answers, "surveys": surveys,
        "back": reverse("multilevel:network", kwargs={"ags": city.ags})})


@login_required
@require_http_methods(["GET", "POST"])
@loads(ags=REFERENCE)
def actor_create(request, ags: str):
    city = selectors.get_city_or_404(ags)
    organisations = selectors.city_organisations(viewer=request.user, city=city)
    access.require(organisations.exists())
    form = ActorForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.actor_create(author=request.user, municipality=city, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The actor was added to the network."))
            return redirect("multilevel:network", ags=city.ags)
    return render(request, "multilevel/actor_form.html", {"form": form, "city": city, "actor": None})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Actor, "change"))
def actor_edit(request, pk: int):
    actor = request.loaded["pk"]
    form = ActorForm(request.POST or None, instance=actor)
    if request.method == "POST":
        if "delete" in request.POST:
            city = actor.municipality
            services.actor_delete(actor_obj=actor, actor=request.user)
            messages.success(request, _("The actor and their relations were deleted."))
            return redirect("multilevel:network", ags=city.ags)
        if form.is_valid():
            try:
                services.actor_update(actor_obj=actor, actor=request.user,
                                      data={f: form.cleaned_data[f] for f in ActorForm.Meta.fields})
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The actor was saved."))
                return redirect("multilevel:network", ags=actor.municipality.ags)
    relations = selectors.actor_relations(viewer=request.user, actor=actor)
    return render(request, "multilevel/actor_form.html", {"form": form, "city": actor.municipality, "actor": actor,
                                                          "relations": relations})


@login_required
@require_http_methods(["GET", "POST"])
@loads(ags=REFERENCE)
def relation_create(request, ags: str):
    city = selectors.get_city_or_404(ags)
    organisations = selectors.city_organisations(viewer=request.user, city=city)
    access.require(organisations.exists())
    organisation = organisations.filter(slug=request.GET.get("organisation") or request.POST.get("organisation")).first() \
        or organisations.first()
    actors = selectors.city_actors(viewer=request.user, city=city, organisation=organisation)
    form = RelationForm(request.POST or None, actors=actors)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_create(organisation=organisation, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The relation was saved."))
            return redirect("multilevel:network", ags=city.ags)
    return render(request, "multilevel/relation_form.html", {"form": form, "city": city, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(Relation, "delete"))
def relation_delete(request, pk: int):
    relation = request.loaded["pk"]
    city = relation.source.municipality
    if request.method == "POST":
        services.relation_delete(relation=relation, actor=request.user)
        messages.success(request, _("The relation was deleted."))
        return redirect("multilevel:network", ags=city.ags)
    return render(request, "multilevel/confirm_delete.html", {
        "object": relation, "back": reverse("multilevel:network", kwargs={"ags": city.ags})})


# --- "who decides" navigator --------------------------------------------------------------------------
@loads()
def navigator_index(request):
    counts = selectors.navigator_topic_counts(viewer=request.user)
    topics = [(t.value, t.label, counts.get(t.value, 0)) for t in NAVIGATOR_TOPICS]
    return render(request, "multilevel/navigator_index.html", {"topics": topics})


@loads(topic=REFERENCE)
def navigator_topic(request, topic: str):
    access.require(topic in Topic.values)
    city = None
    if request.GET.get("city"):
        city = selectors.get_city_or_404(request.GET["city"])
    rows = selectors.navigator_derived(viewer=request.user, topic=topic, city=city)
    indicator = selectors.topic_indicator(topic)
    events = selectors.event_rows(selectors.topic_events(viewer=request.user, topic=topic, city=city))
    chart = timeline.render(
        events=events, series=[indicator] if indicator else [], window=timeline.parse_window(None, None),
        level_labels=selectors.level_labels(),
        title=_("Events on %(topic)s by level, 2020 to 2023") % {"topic": Topic(topic).label})
    return render(request, "multilevel/navigator_topic.html", {
        "chart": chart, "indicator": indicator,
        "topic": topic, "topic_label": Topic(topic).label, "rows": rows, "city": city, "cities": selectors.cities(),
        "entries": [(e, selectors.visible_events(viewer=request.user, events=e.events.all()))
                    for e in selectors.navigator_entries(viewer=request.user, topic=topic)],
        "can_edit": access.is_staff(request.user),
        "credits": selectors.credits_for([Dataset.OXCGRT, Dataset.CCCSL, Dataset.CURATED]),
    })


@login_required
@require_http_methods(["GET", "POST"])
@loads(topic=REFERENCE)
def navigator_entry_create(request, topic: str):
    access.require(access.is_staff(request.user) and topic in Topic.values)  # navigator entries: the project team
    form = NavigatorEntryForm(request.POST or None, initial={"topic": topic},
                              events=selectors.navigator_entry_events(viewer=request.user, topic=topic))
    return _navigator_entry_form(request, form, None, topic)


@login_required
@require_http_methods(["GET", "POST"])
@loads(pk=(NavigatorEntry, "change"))
def navigator_entry_edit(request, pk: int):
    entry = request.loaded["pk"]
    if request.method == "POST" and "delete" in request.POST:
        topic = entry.topic
        services.navigator_entry_delete(entry=entry, actor=request.user)
        messages.success(request, _("The entry was deleted."))
        return redirect("multilevel:navigator_topic", topic=topic)
    form = NavigatorEntryForm(request.POST or None, instance=entry,
                              events=selectors.navigator_entry_events(viewer=request.user, topic=entry.topic))
    return _navigator_entry_form(request, form, entry, entry.topic)


def _navigator_entry_form(request, form, entry, topic):
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.NAVIGATOR_FIELDS}
        try:
            entry = services.navigator_entry_save(entry=entry, actor=request.user, data=data,
                                                  events=form.cleaned_data["events"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("multilevel:navigator_topic", topic=entry.topic)
    return render(request, "multilevel/navigator_form.html", {"form": form, "entry": entry, "topic": topic,
                                                              "topic_label": Topic(topic).label})
