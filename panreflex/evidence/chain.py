"""The evidence chain: recommendation → evidence (insights, practice examples, recommendations it rests
on) → sources, with the strength of each link and the gaps (no evidence, only press-level evidence).

Strength ranks follow the taxonomy vocabulary "evidence_strength": press report (0) < documented by the
municipality (1) < evaluated (2). A practice example has its own strength; first-hand material from the
project (workshop, workshop card, survey result, interview passage) counts as documented; a document
source counts as documented; an insight is as strong as its strongest source; a recommendation as its
strongest evidence. Unknown strength (a practice example without a rating) ranks below press.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from panreflex.accounts import access
from panreflex.taxonomy.models import Term

from .models import Insight, InsightSource, Recommendation, RecommendationEvidence

RANK = {"press": 0, "documented": 1, "evaluated": 2}
FIRST_HAND = {"workshop", "workshop_card", "survey_result", "interview", "document"}


@dataclass
class Node:
    kind: str  # recommendation, insight, practice, source
    label: str
    url: str = ""
    strength: str | None = None  # code
    strength_label: str = ""
    visible: bool = True
    quote: str = ""
    kind_label: str = ""
    children: list[Node] = field(default_factory=list)
    key: str = ""


@dataclass
class Chain:
    root: Node
    links: list[Node]
    hidden: int
    gaps: list[str]  # codes: "no_evidence", "press_only"

    @property
    def has_gaps(self) -> bool:
        return bool(self.gaps)


def _labels() -> dict[str, str]:
    return {t.code: t.label for t in Term.objects.filter(vocabulary="evidence_strength")}


def _best(codes) -> str | None:
    ranked = [c for c in codes if c in RANK]
    return max(ranked, key=RANK.get) if ranked else None


def source_strength(source: InsightSource, practices: dict[int, object]) -> str | None:
    if source.kind == InsightSource.Kind.PRACTICE:
        practice = practices.get(source.object_id)
        return practice.evidence_strength.code if practice is not None and practice.evidence_strength_id else None
    if source.kind in FIRST_HAND:
        return "documented"
    return None


def _practices_for(sources) -> dict[int, object]:
    from panreflex.practices.models import Practice

    ids = {s.object_id for s in sources if s.kind == InsightSource.Kind.PRACTICE and s.object_id}
    if not ids:
        return {}
    return {p.pk: p for p in Practice.objects.filter(pk__in=ids).select_related("evidence_strength")}


def insight_strengths(insights) -> dict[int, str | None]:
    """Strength per insight (its sources must be prefetched as `sources`)."""
    all_sources = [s for i in insights for s in i.sources.all()]
    practices = _practices_for(all_sources)
    return {i.pk: _best(source_strength(s, practices) for s in i.sources.all()) for i in insights}


def link_queryset():
    return RecommendationEvidence.objects.select_related(
        "insight", "insight__organisation", "practice", "practice__evidence_strength", "target"
    ).prefetch_related(Prefetch("insight__sources", queryset=InsightSource.objects.order_by("position", "id")))


def recommendation_strengths(recommendations) -> dict[int, tuple[str | None, int, list[str]]]:
    """For many recommendations at once: {pk: (strength, evidence count, gaps)}, in a fixed number of queries.
    Links to other recommendations count with the strength of their own direct evidence."""
    recs = list(recommendations)
    links = list(link_queryset().filter(recommendation__in=[r.pk for r in recs]))
    insights = [link.insight for link in links if link.insight_id]
    ins_strength = insight_strengths(insights)
    direct: dict[int, list[str | None]] = {r.pk: [] for r in recs}
    targets: dict[int, list[int]] = {r.pk: [] for r in recs}
    for link in links:
        if link.insight_id:
            direct[link.recommendation_id].append(ins_strength.get(link.insight_id))
        elif link.practice_id:
            p = link.practice
            direct[link.recommendation_id].append(p.evidence_strength.code if p.evidence_strength_id else None)
        else:
            targets[link.recommendation_id].append(link.target_id)
    result = {}
    for r in recs:
        codes = list(direct[r.pk])
        for t in targets[r.pk]:
            codes.extend(direct.get(t, []))
        count = len(direct[r.pk]) + len(targets[r.pk])
        best = _best(codes)
        result[r.pk] = (best, count, gaps_for(count, codes))
    return result


def gaps_for(count: int, codes) -> list[str]:
    if count == 0:
        return ["no_evidence"]
    known = [c for c in codes if c in RANK]
    if not known or max(RANK[c] for c in known) == RANK["press"]:
        return ["press_only"]
    return []


def evidence_chain(*, viewer, recommendation: Recommendation) -> Chain:
    labels = _labels()
    links = list(link_queryset().filter(recommendation=recommendation))
    insights = [link.insight for link in links if link.insight_id]
    ins_strength = insight_strengths(insights)
    practices = _practices_for([s for i in insights for s in i.sources.all()])
    target_strength = recommendation_strengths([link.target for link in links if link.target_id])
    nodes: list[Node] = []
    hidden = 0
    codes: list[str | None] = []
    for link in links:
        if link.insight_id:
            ins = link.insight
            code = ins_strength.get(ins.pk)
            codes.append(code)
            if not access.can_view(viewer, ins):
                hidden += 1
                continue
            node = Node(kind="insight", kind_label=str(RecommendationEvidence.Kind.INSIGHT.label), label=str(ins),
                        url=ins.get_absolute_url(), strength=code, strength_label=labels.get(code, ""),
                        key=f"i{ins.pk}")
            for s in ins.sources.all():
                sc = source_strength(s, practices)
                node.children.append(Node(kind="source", kind_label=s.get_kind_display(), label=s.label, url=s.url,
                                          strength=sc, strength_label=labels.get(sc, ""), quote=s.quote,
                                          key=f"s{s.pk}"))
            nodes.append(node)
        elif link.practice_id:
            p = link.practice
            code = p.evidence_strength.code if p.evidence_strength_id else None
            codes.append(code)
            if not access.can_view(viewer, p):
                hidden += 1
                continue
            nodes.append(Node(kind="practice", kind_label=str(RecommendationEvidence.Kind.PRACTICE.label),
                              label=p.title, url=p.get_absolute_url(), strength=code,
                              strength_label=labels.get(code, ""), key=f"p{p.pk}"))
        else:
            t = link.target
            code = target_strength.get(t.pk, (None, 0, []))[0]
            codes.append(code)
            if not access.can_view(viewer, t):
                hidden += 1
                continue
            nodes.append(Node(kind="recommendation", kind_label=str(RecommendationEvidence.Kind.RECOMMENDATION.label),
                              label=t.title, url=t.get_absolute_url(), strength=code,
                              strength_label=labels.get(code, ""), key=f"r{t.pk}"))
    best = _best(codes)
    root = Node(kind="recommendation", label=recommendation.title, url=recommendation.get_absolute_url(),
                strength=best, strength_label=labels.get(best, ""), children=nodes, key=f"r{recommendation.pk}")
    return Chain(root=root, links=nodes, hidden=hidden, gaps=gaps_for(len(links), codes))


def contributions(*, viewer, kind: str, object_ids) -> dict:
    """What practice examples, workshops or workshop cards contributed to: the insights citing them and the
    recommendations resting on those insights (or, for practice examples, on the example directly)."""
    from .selectors import insights_from

    insights = list(access.filter_visible(viewer, insights_from(source_kind=kind, object_ids=object_ids)))
    rec_q = Recommendation.objects.filter(evidence__insight__in=[i.pk for i in insights])
    if kind == "practice":
        rec_q = rec_q | Recommendation.objects.filter(evidence__practice_id__in=list(object_ids))
    recs = list(access.filter_visible(viewer, rec_q.distinct()).order_by("title"))
    return {"insights": insights, "recommendations": recs}


def insight_recommendations(*, viewer, insight: Insight) -> list[Recommendation]:
    qs = Recommendation.objects.filter(evidence__insight=insight).distinct().order_by("title")
    return list(access.filter_visible(viewer, qs))
