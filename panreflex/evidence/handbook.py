"""Reading handbook editions: freezing the content at publication, comparing editions, the PDF.

The frozen content is plain JSON: chapters → recommendations (with their evidence references) and an
evidence appendix. Only evidence that the public may see is written into it; non-public evidence is
counted, not shown (a published handbook is public).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from panreflex.accounts import access

from .chain import _best, _labels, _practices_for, insight_strengths, link_queryset, source_strength
from .models import HandbookEdition, HandbookEntry, Recommendation


def freeze_content(edition: HandbookEdition) -> dict:
    anonymous = AnonymousUser()
    labels = _labels()
    entries = list(
        HandbookEntry.objects.filter(chapter__edition=edition)
        .select_related("chapter", "recommendation", "recommendation__lever")
        .prefetch_related("recommendation__themes")
        .order_by("chapter__position", "chapter__id", "position", "id")
    )
    rec_ids = [e.recommendation_id for e in entries]
    links = list(link_queryset().filter(recommendation_id__in=rec_ids).order_by("recommendation_id", "position", "id"))
    insights = [link.insight for link in links if link.insight_id]
    ins_strength = insight_strengths(insights)
    practices = _practices_for([s for i in insights for s in i.sources.all()])
    appendix: dict[str, dict] = {}
    by_rec: dict[int, list[str]] = {pk: [] for pk in rec_ids}
    hidden: dict[int, int] = {pk: 0 for pk in rec_ids}
    codes: dict[int, list] = {pk: [] for pk in rec_ids}

    def ref_for(key: str, make) -> str:
        if key not in appendix:
            appendix[key] = make()
            appendix[key]["ref"] = f"E{len(appendix)}"
        return appendix[key]["ref"]

    for link in links:
        rid = link.recommendation_id
        if link.insight_id:
            ins = link.insight
            code = ins_strength.get(ins.pk)
            codes[rid].append(code)
            if not access.can_view(anonymous, ins):
                hidden[rid] += 1
                continue
            by_rec[rid].append(ref_for(f"i{ins.pk}", lambda ins=ins, code=code: {
                "kind": "insight", "label": ins.statement, "strength": labels.get(code, ""),
                "sources": [
                    {"kind": s.get_kind_display(), "label": s.label, "url": s.url, "quote": s.quote,
                     "strength": labels.get(source_strength(s, practices), "")}
                    for s in ins.sources.all()
                ],
            }))
        elif link.practice_id:
            p = link.practice
            code = p.evidence_strength.code if p.evidence_strength_id else None
            codes[rid].append(code)
            if not access.can_view(anonymous, p):
                hidden[rid] += 1
                continue
            by_rec[rid].append(ref_for(f"p{p.pk}", lambda p=p, code=code: {
                "kind": "practice", "label": p.title, "url": p.get_absolute_url(), "strength": labels.get(code, ""),
                "sources": [],
            }))
        else:
            t = link.target
            if not access.can_view(anonymous, t):
                hidden[rid] += 1
                continue
            by_rec[rid].append(ref_for(f"r{t.pk}", lambda t=t: {
                "kind": "recommendation", "label": t.title, "url": t.get_absolute_url(), "strength": "",
                "sources": [],
            }))
    chapters: list[dict] = []
    current = None
    for entry in entries:
        if current is None or current["id"] != entry.chapter_id:
            current = {"id": entry.chapter_id, "title": entry.chapter.title, "introduction": entry.chapter.introduction,
                       "recommendations": []}
            chapters.append(current)
        rec: Recommendation = entry.recommendation
        best = _best(codes[rec.pk])
        current["recommendations"].append({
            "pk": rec.pk, "title": rec.title, "statement": rec.statement, "explanation": rec.explanation,
            "addressees": rec.addressee_labels(), "lever": rec.lever.label if rec.lever_id else "",
            "themes": [t.label for t in rec.themes.all()], "priority": rec.get_priority_display(),
            "effort": rec.get_effort_display(), "preconditions": rec.preconditions, "steps": rec.steps,
            "version": rec.version, "strength": labels.get(best, ""), "evidence": by_rec[rec.pk],
            "hidden_evidence": hidden[rec.pk],
        })
    # chapters without entries are kept (e.g. an introduction-only chapter)
    known = {c["id"] for c in chapters}
    for chapter in edition.chapters.all():
        if chapter.pk not in known:
            chapters.append({"id": chapter.pk, "title": chapter.title, "introduction": chapter.introduction,
                             "recommendations": [], "position": chapter.position})
    order = {c.pk: (c.position, c.pk) for c in edition.chapters.all()}
    chapters.sort(key=lambda c: order.get(c["id"], (0, 0)))
    for index, chapter in enumerate(chapters, start=1):
        chapter["number"] = index
        chapter.pop("position", None)
    return {
        "number": edition.number, "title": edition.title, "introduction": edition.introduction,
        "published_at": (edition.published_at or timezone.now()).isoformat(),
        "chapters": chapters, "appendix": list(appendix.values()),
    }


def draft_preview(edition: HandbookEdition) -> dict:
    """What the edition would look like if published now (drafts only)."""
    return freeze_content(edition)


def changes(previous: dict | None, current: dict) -> dict:
    """What changed from the previous edition: recommendations added, removed, revised (new version
    or text), moved to another chapter; chapters added and removed."""
    def recs(content):
        out = {}
        for chapter in (content or {}).get("chapters", []):
            for rec in chapter["recommendations"]:
                out[rec["pk"]] = (chapter["title"], rec)
        return out

    old, new = recs(previous), recs(current)
    old_chapters = {c["title"] for c in (previous or {}).get("chapters", [])}
    new_chapters = {c["title"] for c in current.get("chapters", [])}
    revised, moved = [], []
    for pk in sorted(set(old) & set(new)):
        (oc, o), (nc, n) = old[pk], new[pk]
        if o["version"] != n["version"] or o["statement"] != n["statement"] or o["title"] != n["title"] \
                or o["evidence"] != n["evidence"]:
            revised.append({"title": n["title"], "old_version": o["version"], "new_version": n["version"],
                            "old_statement": o["statement"], "new_statement": n["statement"]})
        if oc != nc:
            moved.append({"title": n["title"], "from": oc, "to": nc})
    return {
        "added": [new[pk][1]["title"] for pk in new if pk not in old],
        "removed": [old[pk][1]["title"] for pk in old if pk not in new],
        "revised": revised,
        "moved": moved,
        "chapters_added": sorted(new_chapters - old_chapters),
        "chapters_removed": sorted(old_chapters - new_chapters),
    }


def previous_edition(edition: HandbookEdition) -> HandbookEdition | None:
    return (HandbookEdition.objects.filter(status=HandbookEdition.Status.PUBLISHED, number__lt=edition.number)
            .order_by("-number").first())


def render_pdf(edition: HandbookEdition) -> bytes:
    from panreflex.lib.pdf import render_pdf as lib_render_pdf

    return lib_render_pdf("evidence/handbook_pdf.html", {"content": edition.content, "edition": edition})
