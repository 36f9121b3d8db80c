"""Writes of the evidence domain: insights and their sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.accounts import policy
from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from ..models import Insight, InsightSource

# Source kinds whose object_id names a row: resolved only through the policy (`policy.resolve`), so that
# an id of an object the author may not see is refused exactly like an id that does not exist.
LINKED_KINDS = (InsightSource.Kind.PRACTICE, InsightSource.Kind.WORKSHOP, InsightSource.Kind.WORKSHOP_CARD)


def _clean_source(data: Mapping[str, Any] | InsightSource, position: int, *, viewer) -> InsightSource:
    if isinstance(data, InsightSource):
        data = {f: getattr(data, f) for f in ("kind", "object_id", "label", "url", "quote")}
    kind = data.get("kind") or ""
    if kind not in InsightSource.Kind.values:
        raise ValidationError(_("Unknown kind of source: %(kind)s.") % {"kind": kind}, code="source_kind")
    object_id = data.get("object_id")
    label = (data.get("label") or "").strip()
    if object_id is not None and kind in LINKED_KINDS:
        obj = policy.resolve(viewer, kind, object_id)
        if obj is None:
            raise ValidationError(
                _("The linked %(kind)s no. %(id)s does not exist.")
                % {"kind": InsightSource.Kind(kind).label, "id": object_id},
                code="dangling_source",
            )
        label = label or str(obj)[:300]
        if not data.get("url") and hasattr(obj, "get_absolute_url"):
            try:
                data = {**data, "url": obj.get_absolute_url()}
            except Exception:  # noqa: BLE001 - a model without a detail page yet
                pass
    if kind == InsightSource.Kind.PRACTICE and object_id is None:
        raise ValidationError(_("A practice example source needs the practice example."), code="dangling_source")
    if not label:
        raise ValidationError(_("Every source needs a label."), code="source_label")
    source = InsightSource(
        kind=kind, object_id=object_id, label=label[:300], url=(data.get("url") or "")[:1000],
        quote=data.get("quote") or "", position=position,
    )
    return source


def _save_sources(insight: Insight, sources: Iterable, *, viewer, start: int = 0) -> list[InsightSource]:
    """`viewer`: who links the sources; a linked object must be visible to them (`policy.resolve`)."""
    cleaned = [_clean_source(s, start + i, viewer=viewer) for i, s in enumerate(sources)]
    for source in cleaned:
        source.insight = insight
        source.full_clean(exclude=["insight"])
    return InsightSource.objects.bulk_create(cleaned)


@transaction.atomic
def insight_create(
    *,
    organisation,
    author,
    statement: str,
    kind: str,
    themes=(),
    phase=None,
    visibility: str = "private",
    sources: Iterable[Mapping[str, Any]] = (),
    organisations_concerned=(),
    is_demo: bool = False,
    external_key: str = "",
) -> Insight:
    """Create an insight with its sources. `sources` are mappings with the keys kind, object_id (for
    practice, workshop and workshop_card), label, url and quote. Dangling links are refused."""
    insight = Insight(
        organisation=organisation,
        created_by=author if getattr(author, "is_authenticated", False) else None,
        statement=(statement or "").strip(),
        kind=kind,
        phase=phase,
        visibility=visibility,
        is_demo=is_demo,
        external_key=external_key,
    )
    insight.full_clean()
    insight.save()
    insight.themes.set(list(themes))
    if organisations_concerned:
        insight.organisations_concerned.set(list(organisations_concerned))
    _save_sources(insight, sources, viewer=author)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=insight, changes=diff({}, snapshot(insight)))
    return insight


INSIGHT_FIELDS = ("statement", "kind", "phase", "visibility")


@transaction.atomic
def insight_update(*, insight: Insight, actor, data: dict[str, Any], themes=None, organisations_concerned=None
                   ) -> Insight:
    """Change statement, kind, phase, visibility (and themes/organisations when given). The status is
    changed only through insight_mark_learned / insight_mark_identified."""
    unknown = set(data) - set(INSIGHT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    _refuse_merged(insight)
    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    before = snapshot(insight)
    for key, value in data.items():
        setattr(insight, key, value.strip() if key == "statement" and isinstance(value, str) else value)
    insight.full_clean()
    insight.save()
    if themes is not None:
        insight.themes.set(list(themes))
    if organisations_concerned is not None:
        insight.organisations_concerned.set(list(organisations_concerned))
    changes = diff(before, snapshot(insight))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=insight, changes=changes)
    return insight


def _refuse_merged(insight: Insight) -> None:
    if insight.merged_into_id is not None:
        raise ValidationError(
            _("This insight was merged into another one and can no longer be changed."), code="merged"
        )


@transaction.atomic
def insight_source_add(*, insight: Insight, actor, source: Mapping[str, Any]) -> InsightSource:
    _refuse_merged(insight)
    position = (insight.sources.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    (created,) = _save_sources(insight, [source], viewer=actor, start=position)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=insight,
                 changes={"sources": [None, str(created)]}, note=_("source added"))
    return created


@transaction.atomic
def insight_source_remove(*, source: InsightSource, actor) -> None:
    insight = source.insight
    _refuse_merged(insight)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=insight,
                 changes={"sources": [str(source), None]}, note=_("source removed"))
    source.delete()


@transaction.atomic
def insight_merge(*, target: Insight, duplicates: Iterable[Insight], actor) -> Insight:
    """Merge duplicates into `target`: every source, theme and organisation concerned is kept on the
    target; each duplicate records `merged_into` and `merged_at` and disappears from lists."""
    from django.utils import timezone

    _refuse_merged(target)
    duplicates = [d for d in duplicates]
    if not duplicates:
        raise ValidationError(_("Choose at least one insight to merge."), code="merge_empty")
    for dup in duplicates:
        if dup.pk == target.pk:
            raise ValidationError(_("An insight cannot be merged into itself."), code="merge_self")
        _refuse_merged(dup)
        if dup.organisation_id != target.organisation_id:
            raise ValidationError(_("Only insights of the same organisation can be merged."), code="merge_org")
    position = (target.sources.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    existing = {(s.kind, s.object_id, s.label, s.url, s.quote) for s in target.sources.all()}
    now = timezone.now()
    for dup in duplicates:
        copies = []
        for src in dup.sources.all():
            key = (src.kind, src.object_id, src.label, src.url, src.quote)
            if key in existing:
                continue
            existing.add(key)
            copies.append(InsightSource(insight=target, kind=src.kind, object_id=src.object_id, label=src.label,
                                        url=src.url, quote=src.quote, position=position))
            position += 1
        InsightSource.objects.bulk_create(copies)
        target.themes.add(*dup.themes.all())
        target.organisations_concerned.add(*dup.organisations_concerned.all())
        if dup.status == Insight.Status.LEARNED and target.status != Insight.Status.LEARNED:
            target.status = Insight.Status.LEARNED
            target.learned_action_item_id = dup.learned_action_item_id
            target.learned_evidence = dup.learned_evidence
            target.save(update_fields=["status", "learned_action_item", "learned_evidence", "updated_at"])
        _repoint_recommendation_links(source=dup, target=target)
        dup.merged_into = target
        dup.merged_at = now
        dup.save(update_fields=["merged_into", "merged_at", "updated_at"])
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=dup,
                     changes={"merged_into": [None, str(target)]}, note=_("merged as a duplicate"))
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=target,
                     changes={"merged_from": [None, str(dup)]}, note=_("duplicate merged in"))
    return target




@transaction.atomic
def insight_split(*, insight: Insight, actor, statement: str, source_ids: Iterable[int] = (),
                  kind: str | None = None) -> Insight:
    """Split part of an insight off into a new one: a new statement, the chosen sources move along.
    The new insight records `split_from`; the original keeps at least one source if it had any."""
    _refuse_merged(insight)
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": _("The new insight needs a statement.")}, code="split_statement")
    if statement == insight.statement.strip():
        raise ValidationError({"statement": _("The new insight must say something different from the original.")},
                              code="split_same")
    ids = {int(i) for i in source_ids}
    moving = list(insight.sources.filter(pk__in=ids))
    if len(moving) != len(ids):
        raise ValidationError(_("A chosen source does not belong to this insight."), code="split_source")
    if moving and len(moving) == insight.sources.count():
        raise ValidationError(_("Leave at least one source with the original insight."), code="split_all")
    new = Insight(
        organisation=insight.organisation, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        statement=statement, kind=kind or insight.kind, phase=insight.phase, visibility=insight.visibility,
        split_from=insight,
    )
    new.full_clean()
    new.save()
    new.themes.set(insight.themes.all())
    new.organisations_concerned.set(insight.organisations_concerned.all())
    InsightSource.objects.filter(pk__in=[s.pk for s in moving]).update(insight=new)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=new, changes=diff({}, snapshot(new)),
                 note=_("split off"))
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=insight,
                 changes={"split_into": [None, str(new)]}, note=_("split"))
    return new




@transaction.atomic
def insight_mark_learned(*, insight: Insight, actor, action_item=None, evidence: str = "") -> Insight:
    """Status "learned" needs evidence: a done action item of the improvement plan, or a note on an
    exercise result or document."""
    from panreflex.improvements.models import ActionItem

    _refuse_merged(insight)
    evidence = (evidence or "").strip()
    if action_item is None and not evidence:
        raise ValidationError(
            _("An insight can only be marked as learned with evidence that the change was implemented: link a "
              "done action item or describe the exercise result or document."),
            code="learned_without_evidence",
        )
    if action_item is not None:
        if action_item.status != ActionItem.Status.DONE:
            raise ValidationError(
                _("The linked action item is not done yet (status: %(status)s).")
                % {"status": action_item.get_status_display()},
                code="learned_item_not_done",
            )
        if action_item.organisation_id != insight.organisation_id and action_item.responsible_organisation_id != (
            insight.organisation_id
        ):
            raise ValidationError(
                _("The action item belongs to another organisation's plan."), code="learned_item_foreign"
            )
    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    before = snapshot(insight)
    insight.status = Insight.Status.LEARNED
    insight.learned_action_item = action_item
    insight.learned_evidence = evidence
    insight.full_clean()
    insight.save()
    audit_record(actor=actor, action=AuditEntry.Action.STATUS, obj=insight, changes=diff(before, snapshot(insight)))
    return insight


@transaction.atomic
def insight_mark_identified(*, insight: Insight, actor) -> Insight:
    _refuse_merged(insight)
    insight = Insight.objects.select_for_update().get(pk=insight.pk)
    before = snapshot(insight)
    insight.status = Insight.Status.IDENTIFIED
    insight.save()
    audit_record(actor=actor, action=AuditEntry.Action.STATUS, obj=insight, changes=diff(before, snapshot(insight)))
    return insight


def _repoint_recommendation_links(*, source: Insight, target: Insight) -> None:
    """Recommendations that rested on a merged duplicate now rest on the surviving insight."""
    from ..models import RecommendationEvidence

    for link in RecommendationEvidence.objects.filter(insight=source):
        if RecommendationEvidence.objects.filter(recommendation_id=link.recommendation_id, insight=target).exists():
            link.delete()
        else:
            link.insight = target
            link.save(update_fields=["insight"])
