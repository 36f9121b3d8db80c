"""GET /api/v1/practices/ (search, facets, pagination) and /api/v1/practices/<id>/ – public examples only.

The list answers the same ranking as the search page and `panreflex search-practices --public`:
parameters q, the facet keys (theme, subtopic, phase, municipality, size, state, country, level, target,
innovation, evidence, year; repeatable), sort (relevance | newest | period), page, page_size (1–100).
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from panreflex.accounts import access
from panreflex.accounts.policy import loads
from panreflex.practices.models import Practice
from panreflex.search.query import SearchParams, run

MAX_PAGE_SIZE = 100


def _term(t) -> dict:
    return {"code": t.code, "label_de": t.label_de, "label_en": t.label_en}


def _place(p) -> dict:
    return {"id": p.pk, "name": p.name, "ags": p.ags, "country_code": p.country_code, "kind": p.kind}


def _url(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


@require_GET
@loads()
def practice_list(request):
    try:
        page_size = min(MAX_PAGE_SIZE, max(1, int(request.GET.get("page_size", 20))))
    except ValueError:
        return JsonResponse({"error": "page_size must be a whole number from 1 to 100."}, status=400)
    params = SearchParams.from_mapping(request.GET, page_size=page_size)
    result = run(params, public_only=True, with_snippets=False)
    results = []
    for hit in result.hits:
        p = hit.practice
        results.append({
            "id": p.pk,
            "title": p.title,
            "title_en": p.title_en,
            "summary": p.summary,
            "score": round(hit.score, 4),
            "places": [_place(pl) for pl in p.places.all()],
            "themes": [_term(t) for t in p.themes.all()],
            "period_start": p.period_start.isoformat() if p.period_start else None,
            "period_end": p.period_end.isoformat() if p.period_end else None,
            "url": _url(request, "api:practice_detail", pk=p.pk),
        })
    return JsonResponse({
        "query": params.q,
        "filters": params.filters,
        "sort": params.sort,
        "page": params.page,
        "pages": result.pages,
        "count": result.total,
        "any_words": result.any_words,
        "more": result.more,  # more examples match than the search keeps; these are the best
        "results": results,
        "facets": {f.key: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                           for v in f.values] for f in result.facets},
    }, json_dumps_params={"ensure_ascii": False})


@require_GET
@loads(pk=Practice)
def practice_detail(request, pk: int):
    practice = (
        access.filter_visible(None, Practice.objects.filter(pk=pk, status=Practice.Status.PUBLISHED))
        .select_related("organisation", "evidence_strength")
        .prefetch_related("places", "themes", "subtopics", "phases", "levels", "target_groups", "innovation_kinds",
                          "actor_organisations", "sources")
        .first()
    )
    if practice is None:
        raise Http404
    p = practice
    data = {
        "id": p.pk,
        "title": p.title, "title_en": p.title_en, "summary": p.summary, "summary_en": p.summary_en,
        "description": p.description,
        "organisation": p.organisation.name,
        "places": [_place(pl) for pl in p.places.all()],
        **{rel: [_term(t) for t in getattr(p, rel).all()]
           for rel in ("themes", "subtopics", "phases", "levels", "target_groups", "innovation_kinds")},
        "period_start": p.period_start.isoformat() if p.period_start else None,
        "period_end": p.period_end.isoformat() if p.period_end else None,
        "actors": [o.name for o in p.actor_organisations.all()] + [a for a in p.actors_text.splitlines() if a.strip()],
        "challenge": p.challenge, "measures": p.measures,
        "resources_staff": p.resources_staff, "resources_cost": p.resources_cost,
        "results": p.results, "went_well": p.went_well, "went_less_well": p.went_less_well,
        "good_practice": p.good_practice,
        "transfer_crises": p.transfer_crises, "transfer_municipalities": p.transfer_municipalities,
        "transfer_conditions": p.transfer_conditions, "adaptation_germany": p.adaptation_germany,
        "evidence_strength": _term(p.evidence_strength) if p.evidence_strength else None,
        "uncertainty_notes": p.uncertainty_notes,
        "contact_name": p.contact_name if p.contact_consent else "",
        "sources": [{"title": s.title, "url": s.url,
                     "published_on": s.published_on.isoformat() if s.published_on else None,
                     "accessed_on": s.accessed_on.isoformat() if s.accessed_on else None} for s in p.sources.all()],
        "published_at": p.published_at.isoformat() if p.published_at else None,
        "updated_at": p.updated_at.isoformat(),
        "html_url": request.build_absolute_uri(p.get_absolute_url()),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
