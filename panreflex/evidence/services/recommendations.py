"""Writes of recommendations: content, evidence links, review workflow, comments, versions, feedback."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts import policy
from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from ..models import (
    Addressee,
    Feedback,
    Recommendation,
    RecommendationComment,
    RecommendationEvidence,
    RecommendationVersion,
)

CONTENT_FIELDS = ("title", "statement", "explanation", "addressees", "lever", "priority", "effort", "preconditions",
                  "steps", "visibility")
S = Recommendation.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.IN_REVIEW,),
    S.IN_REVIEW: (S.AGREED, S.DRAFT),
    S.AGREED: (S.PUBLISHED, S.DRAFT),
    S.PUBLISHED: (S.WITHDRAWN,),
    S.WITHDRAWN: (S.DRAFT,),
}


def _check_addressees(values) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in Addressee.values]
    if unknown:
        raise ValidationError({"addressees": _("Unknown addressee: %(value)s.") % {"value": ", ".join(unknown)}})
    return values


def _save_version(rec: Recommendation, actor) -> RecommendationVersion:
    data = snapshot(rec)
    data["themes"] = [t.code for t in rec.themes.all()]
    data["lever"] = rec.lever.code if rec.lever_id else None
    data["evidence"] = [str(link.linked) for link in rec.evidence.select_related("insight", "practice", "target")]
    return RecommendationVersion.objects.create(
        recommendation=rec, number=rec.version, status=rec.status, data=data,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def recommendation_create(
    *, organisation, author, title: str, statement: str, explanation: str = "", addressees: Iterable[str] = (),
    themes=(), lever=None, priority: str = "medium", effort: str = "medium", preconditions: str = "",
    steps: str = "", visibility: str = "private", is_demo: bool = False, external_key: str = "",
) -> Recommendation:
    rec = Recommendation(
        organisation=organisation, created_by=author if getattr(author, "is_authenticated", False) else None,
        title=(title or "").strip(), statement=(statement or "").strip(), explanation=explanation,
        addressees=_check_addressees(addressees), lever=lever, priority=priority, effort=effort,
        preconditions=preconditions, steps=steps, visibility=visibility, is_demo=is_demo, external_key=external_key,
    )
    rec.full_clean()
    rec.save()
    rec.themes.set(list(themes))
    _save_version(rec, author)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=rec, changes=diff({}, snapshot(rec)))
    return rec


def _refuse_frozen(rec: Recommendation) -> None:
    if not rec.is_editable:
        raise ValidationError(
            _("A recommendation that is %(status)s cannot be changed. Send it back to draft first.")
            % {"status": rec.get_status_display().lower()},
            code="frozen",
        )


@transaction.atomic
def recommendation_update(*, recommendation: Recommendation, actor, data: dict[str, Any], themes=None,
                          related=None) -> Recommendation:
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _refuse_frozen(rec)
    before = snapshot(rec)
    for key, value in data.items():
        if key == "addressees":
            value = _check_addressees(value)
        setattr(rec, key, value.strip() if key in ("title", "statement") and isinstance(value, str) else value)
    rec.full_clean()
    if themes is not None:
        rec.themes.set(list(themes))
    if related is not None:
        related = [r for r in related]
        if any(r.pk == rec.pk for r in related):
            raise ValidationError(_("A recommendation cannot be related to itself."), code="related_self")
        rec.related.set(related)
    changes = diff(before, snapshot(rec))
    if changes:
        rec.version += 1
        rec.save()
        _save_version(rec, actor)
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rec, changes=changes)
    return rec


def _rests_on(start: Recommendation) -> set[int]:
    """Ids of every recommendation `start` rests on, directly or through other recommendations."""
    seen: set[int] = set()
    frontier = {start.pk}
    while frontier:
        nxt = set(
            RecommendationEvidence.objects.filter(recommendation_id__in=frontier, kind="recommendation")
            .values_list("target_id", flat=True)
        ) - seen
        seen |= nxt
        frontier = nxt
    return seen


def _resolve(kind: str, object_id, *, viewer) -> Any:
    """The linked object, through the policy: one `viewer` may not see is refused like a missing one."""
    if kind not in ("insight", "practice", "recommendation"):
        raise ValidationError(_("Unknown kind of evidence: %(kind)s.") % {"kind": kind}, code="evidence_kind")
    try:
        pk = int(object_id)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Choose what the recommendation rests on."), code="evidence_missing") from exc
    obj = policy.resolve(viewer, kind, pk)
    if obj is None:
        label = RecommendationEvidence.Kind(kind).label
        raise ValidationError(
            _("The linked %(kind)s no. %(id)s does not exist.") % {"kind": label, "id": pk}, code="dangling_evidence"
        )
    return obj


@transaction.atomic
def recommendation_evidence_add(*, recommendation: Recommendation, actor, kind: str, object_id,
                                note: str = "") -> RecommendationEvidence:
    """Link evidence. Refused: unknown or missing objects (dangling), merged insights, the same link twice,
    a recommendation resting on itself or on one that (indirectly) rests on it (circular)."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _refuse_frozen(rec)
    obj = _resolve(kind, object_id, viewer=actor)
    link = RecommendationEvidence(recommendation=rec, kind=kind, note=(note or "")[:500])
    if kind == "insight":
        if obj.merged_into_id:
            raise ValidationError(
                _("This insight was merged into “%(target)s”; link that insight instead.") % {"target": obj.merged_into},
                code="merged_insight",
            )
        link.insight = obj
    elif kind == "practice":
        link.practice = obj
    else:
        if obj.pk == rec.pk:
            raise ValidationError(_("A recommendation cannot rest on itself."), code="circular")
        if rec.pk in _rests_on(obj):
            raise ValidationError(
                _("Circular evidence: “%(other)s” already rests on this recommendation.") % {"other": obj},
                code="circular",
            )
        link.target = obj
    lookup = {"insight": "insight", "practice": "practice", "recommendation": "target"}[kind]
    if rec.evidence.filter(**{lookup: obj}).exists():
        raise ValidationError(_("This evidence is already linked."), code="evidence_twice")
    link.position = rec.evidence.count()
    link.full_clean()
    link.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rec, changes={"evidence": [None, str(obj)]},
                 note=_("evidence linked"))
    return link


@transaction.atomic
def recommendation_evidence_remove(*, link: RecommendationEvidence, actor) -> None:
    rec = link.recommendation
    _refuse_frozen(rec)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rec, changes={"evidence": [str(link.linked), None]},
                 note=_("evidence removed"))
    link.delete()


@transaction.atomic
def recommendation_comment_add(*, recommendation: Recommendation, author, text: str,
                               transition: str = "") -> RecommendationComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")}, code="comment_empty")
    comment = RecommendationComment(recommendation=recommendation, author=author, text=text,
                                    version=recommendation.version, transition=transition)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def recommendation_transition(*, recommendation: Recommendation, actor, to: str, comment: str = "") -> Recommendation:
    """Move through draft → in review → agreed → published → withdrawn (and back to draft).
    Publishing needs at least one evidence link; it makes the recommendation public and released."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if to not in TRANSITIONS.get(rec.status, ()):
        raise ValidationError(
            _("A recommendation cannot go from “%(old)s” to “%(new)s”.")
            % {"old": rec.get_status_display(), "new": S(to).label if to in S.values else to},
            code="transition",
        )
    if to == S.PUBLISHED and not rec.evidence.exists():
        raise ValidationError(
            _("A recommendation without evidence cannot be published. Link at least one insight or practice example."),
            code="publish_without_evidence",
        )
    before = snapshot(rec)
    old = rec.status
    rec.status = to
    now = timezone.now()
    if to == S.PUBLISHED:
        rec.visibility = "public"
        rec.released_at = now
        rec.published_at = now
    elif to == S.DRAFT and old in (S.WITHDRAWN, S.AGREED):
        rec.released_at = None if old == S.WITHDRAWN else rec.released_at
    rec.version += 1
    rec.save()
    _save_version(rec, actor)
    label = f"{S(old).label} → {S(to).label}"
    if comment.strip():
        recommendation_comment_add(recommendation=rec, author=actor, text=comment, transition=label)
    audit_record(actor=actor, action=AuditEntry.Action.STATUS, obj=rec, changes=diff(before, snapshot(rec)))
    return rec


# --- feedback from municipalities ------------------------------------------------------------------
@transaction.atomic
def feedback_set(*, recommendation: Recommendation, user, organisation, answer: str, note: str = "",
                 create_action_item: bool = False) -> Feedback:
    """Record (or change) an organisation's answer. "planned" can create an action item in the
    organisation's improvement plan (through the improvements service, once per recommendation)."""
    from panreflex.accounts import access
    from panreflex.accounts.models import Role
    from panreflex.improvements.services import action_item_create

    if not access.organisation_ids(user):
        raise ValidationError(
            _("Only members of an organisation can give feedback; your account belongs to no organisation."),
            code="feedback_no_organisation",
        )
    if organisation is None or not access.has_role(user, organisation, Role.MEMBER):
        raise ValidationError(_("You can only answer for an organisation you are a member of."),
                              code="feedback_foreign")
    if recommendation.status != S.PUBLISHED:
        raise ValidationError(_("Feedback is possible only on published recommendations."), code="feedback_status")
    if answer not in Feedback.Answer.values:
        raise ValidationError({"answer": _("Choose one of the answers.")}, code="feedback_answer")
    feedback = Feedback.objects.select_for_update().filter(recommendation=recommendation,
                                                           organisation=organisation).first()
    if feedback is None:
        feedback = Feedback(recommendation=recommendation, organisation=organisation)
    feedback.answer = answer
    feedback.note = (note or "").strip()
    feedback.updated_by = user
    feedback.updated_at = timezone.now()
    if create_action_item:
        if answer != Feedback.Answer.PLANNED:
            raise ValidationError(_("An action item can be created only for the answer “planned”."),
                                  code="feedback_item_not_planned")
        if feedback.action_item_id is None:
            feedback.action_item = action_item_create(
                organisation=organisation, author=user, title=recommendation.title[:300],
                description=recommendation.statement, source_kind="recommendation", source_id=recommendation.pk,
                source_label=recommendation.title[:300], source_url=recommendation.get_absolute_url(),
                responsible_organisation=organisation, theme=recommendation.themes.first(),
                notes=feedback.note,
            )
    feedback.full_clean(exclude=["action_item", "updated_by"])
    feedback.save()
    return feedback
