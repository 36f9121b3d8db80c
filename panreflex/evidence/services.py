"""Writes of the evidence domain: insights and their sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from .models import Insight, InsightSource

# Source kinds whose object_id must point at an existing row (app label, model name).
SOURCE_MODELS: dict[str, tuple[str, str]] = {
    InsightSource.Kind.PRACTICE: ("practices", "Practice"),
    InsightSource.Kind.WORKSHOP: ("workshops", "Workshop"),
    InsightSource.Kind.WORKSHOP_CARD: ("workshops", "Card"),
}


def _source_model(kind: str):
    target = SOURCE_MODELS.get(kind)
    if target is None:
        return None
    try:
        return apps.get_model(*target)
    except LookupError:
        return None


def _clean_source(data: Mapping[str, Any] | InsightSource, position: int) -> InsightSource:
    if isinstance(data, InsightSource):
        data = {f: getattr(data, f) for f in ("kind", "object_id", "label", "url", "quote")}
    kind = data.get("kind") or ""
    if kind not in InsightSource.Kind.values:
        raise ValidationError(_("Unknown kind of source: %(kind)s.") % {"kind": kind}, code="source_kind")
    object_id = data.get("object_id")
    label = (data.get("label") or "").strip()
    model = _source_model(kind)
    if object_id is not None and model is not None:
        obj = model.objects.filter(pk=object_id).first()
        if obj is None:
            raise ValidationError(
                _("The linked %(kind)s no. %(id)s does not exist.")
                % {"kind": InsightSource.Kind(kind).label, "id": object_id},
                code="dangling_source",
            )
        label = label or str(obj)[:300]
    if kind == InsightSource.Kind.PRACTICE and object_id is None:
        raise ValidationError(_("A practice example source needs the practice example."), code="dangling_source")
    if not label:
        raise ValidationError(_("Every source needs a label."), code="source_label")
    source = InsightSource(
        kind=kind, object_id=object_id, label=label[:300], url=(data.get("url") or "")[:1000],
        quote=data.get("quote") or "", position=position,
    )
    return source


def _save_sources(insight: Insight, sources: Iterable, start: int = 0) -> list[InsightSource]:
    cleaned = [_clean_source(s, start + i) for i, s in enumerate(sources)]
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
    _save_sources(insight, sources)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=insight, changes=diff({}, snapshot(insight)))
    return insight
