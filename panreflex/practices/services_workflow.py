"""The review workflow of practice examples.

    draft ──submit──▶ submitted ──take──▶ in review ──approve──▶ published ──archive──▶ archived
      ▲                  │                    │                    │                      │
      └────withdraw──────┘      changes requested ◀──request changes┘   (edit: staged)     reopen → draft

A published example stays visible as it is while its next version is prepared: edits are kept in
`Practice.pending` (with their own workflow state in `pending_status`) and applied to the example only
when a reviewer approves them. Reviewers are platform staff or editors of another municipality; nobody
reviews the examples of their own organisation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.accounts.models import Organisation
from panreflex.audit.services import audit_record
from panreflex.places.models import Place
from panreflex.taxonomy.models import Term

from .models import Practice, PracticeReview, PracticeVersion, ReviewComment, workflow_state
from .services import (
    M2M_FIELDS,
    _apply,
    _release_if_published,
    practice_snapshot,
    practice_update,
    schedule_index,
    version_write,
)

S = Practice.Status
EDITABLE_STATES = {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED}


def _state_label(state: str) -> str:
    return str(S(state).label)


def _refuse(message: str) -> None:
    raise ValidationError(message)


# --- rules ---------------------------------------------------------------------------------------
# Who may review is the practice rule "review" in `accounts.policy` (registered by `practices/rules.py`).
def is_reviewer(user) -> bool:
    """Staff, or an editor of a municipality: who may open the review desk."""
    return access.is_municipal_editor(user)


def can_review(user, practice: Practice) -> bool:
    return access.can_review(user, practice)


# --- staged changes --------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Term):
        return value.pk
    return value


def _serialise(data: dict, m2m: dict | None, sources: list[dict] | None) -> dict:
    return {
        "data": {k: _plain(v) for k, v in data.items()},
        "m2m": {k: [o.pk for o in v] for k, v in (m2m or {}).items()},
        "sources": [{k: _plain(v) for k, v in s.items()} for s in sources] if sources is not None else None,
    }


def _deserialise(pending: dict) -> tuple[dict, dict, list[dict] | None]:
    data = dict(pending.get("data") or {})
    for name in ("period_start", "period_end"):
        if data.get(name):
            data[name] = date.fromisoformat(data[name])
    if data.get("evidence_strength"):
        data["evidence_strength"] = Term.objects.get(pk=data["evidence_strength"])
    models = {"places": Place, "actor_organisations": Organisation}
    m2m = {}
    for name, ids in (pending.get("m2m") or {}).items():
        if name in M2M_FIELDS:
            m2m[name] = list(models.get(name, Term).objects.filter(pk__in=ids))
    sources = pending.get("sources")
    if sources is not None:
        sources = [
            {**s, **{k: date.fromisoformat(s[k]) for k in ("published_on", "accessed_on") if s.get(k)}}
            for s in sources
        ]
    return data, m2m, sources


def _preview_snapshot(practice: Practice, data: dict, m2m: dict | None, sources: list[dict] | None) -> dict:
    """Validate the changes on the row inside a savepoint, take the snapshot, roll back."""
    with transaction.atomic():
        sid = transaction.savepoint()
        try:
            _apply(practice, data=data, m2m=m2m, sources=sources)
            snap = practice_snapshot(practice)
        finally:
            transaction.savepoint_rollback(sid)
    practice.refresh_from_db()
    for name in M2M_FIELDS:  # drop prefetched relations that saw the rolled-back state
        getattr(practice, "_prefetched_objects_cache", {}).pop(name, None)
    return snap


def pending_form_values(practice: Practice) -> tuple[dict, dict, list[dict] | None] | None:
    """The staged changes as (data, m2m, sources) for the edit form, or None."""
    if not practice.pending:
        return None
    return _deserialise(practice.pending)


# --- editing through the UI ----------------------------------------------------------------------
def practice_edit(
    *, practice: Practice, author, data: dict, m2m: dict | None = None, sources: list[dict] | None = None
) -> Practice:
    """Edit as an editor: changes to a published example are staged for review, others apply directly."""
    state = workflow_state(practice)
    if state == S.IN_REVIEW:
        _refuse(_("The example is being reviewed right now; you can edit it again after the review."))
    if state == S.ARCHIVED:
        _refuse(_("Archived examples cannot be edited. Reopen it as a draft first."))
    if practice.status != S.PUBLISHED:
        return practice_update(practice=practice, author=author, data=data, m2m=m2m, sources=sources, note="edited")
    snap = _preview_snapshot(practice, data, m2m, sources)
    with transaction.atomic():
        practice.pending = _serialise(data, m2m, sources)
        if practice.pending_status not in (S.CHANGES_REQUESTED, S.SUBMITTED):
            practice.pending_status = S.DRAFT
        snap["status"] = practice.pending_status
        practice.save(update_fields=["pending", "pending_status", "updated_at"])
        version_write(practice=practice, author=author, note="proposed change", snapshot=snap, status=practice.pending_status)
        audit_record(actor=author, action="update", obj=practice, note="change staged for review")
    return practice


def practice_discard_changes(*, practice: Practice, actor) -> Practice:
    if not practice.pending:
        _refuse(_("There are no changes awaiting review."))
    if practice.pending_status == S.IN_REVIEW:
        _refuse(_("The example is being reviewed right now; you can edit it again after the review."))
    with transaction.atomic():
        practice.pending = None
        practice.pending_status = ""
        practice.save(update_fields=["pending", "pending_status", "updated_at"])
        audit_record(actor=actor, action="update", obj=practice, note="staged change discarded")
    return practice


# --- transitions ---------------------------------------------------------------------------------
def _set_state(practice: Practice, state: str, *, actor, action: str, note: str = "") -> None:
    before = workflow_state(practice)
    if practice.pending_status:
        practice.pending_status = state
        practice.save(update_fields=["pending_status", "reviewer", "updated_at"])
    else:
        practice.status = state
        practice.save(update_fields=["status", "reviewer", "updated_at"])
        _release_if_published(practice)
    audit_record(actor=actor, action="status", obj=practice, changes={"status": [before, state]},
                 note=f"{action}: {note}" if note else action)
    schedule_index(practice.pk)


def practice_submit(*, practice: Practice, actor) -> Practice:
    state = workflow_state(practice)
    if state not in (S.DRAFT, S.CHANGES_REQUESTED):
        _refuse(_("Only drafts or examples with requested changes can be submitted (current status: %(status)s).")
                % {"status": _state_label(state)})
    with transaction.atomic():
        practice.reviewer = None
        _set_state(practice, S.SUBMITTED, actor=actor, action="submit")
    return practice


def practice_withdraw(*, practice: Practice, actor) -> Practice:
    state = workflow_state(practice)
    if state != S.SUBMITTED:
        _refuse(_("Only submitted examples can be withdrawn (current status: %(status)s).")
                % {"status": _state_label(state)})
    with transaction.atomic():
        _set_state(practice, S.DRAFT, actor=actor, action="withdraw")
    return practice


def practice_review_take(*, practice: Practice, reviewer) -> Practice:
    state = workflow_state(practice)
    if not can_review(reviewer, practice):
        _refuse(_("You cannot review this example: reviewers are the project team or editors of another "
                  "municipality, never of the owning organisation."))
    if state != S.SUBMITTED:
        _refuse(_("Only submitted examples can be taken for review (current status: %(status)s).")
                % {"status": _state_label(state)})
    with transaction.atomic():
        practice.reviewer = reviewer
        _set_state(practice, S.IN_REVIEW, actor=reviewer, action="review_take")
    return practice


def practice_review(
    *, practice: Practice, reviewer, decision: str, summary: str = "", comments: list[tuple[str, str]] | None = None
) -> PracticeReview:
    """Record a review with per-field comments and apply the decision."""
    comments = [(f, t.strip()) for f, t in (comments or []) if t and t.strip()]
    state = workflow_state(practice)
    if state != S.IN_REVIEW:
        _refuse(_("Take the example for review first (current status: %(status)s).") % {"status": _state_label(state)})
    if not can_review(reviewer, practice):
        _refuse(_("You cannot review this example: reviewers are the project team or editors of another "
                  "municipality, never of the owning organisation."))
    if practice.reviewer_id and practice.reviewer_id != reviewer.pk and not access.is_staff(reviewer):
        _refuse(_("Another reviewer has taken this example."))
    if decision not in PracticeReview.Decision.values:
        _refuse(_("Choose a decision."))
    if decision == PracticeReview.Decision.CHANGES and not comments and not summary.strip():
        _refuse(_("Say what should change: add a field comment or an overall comment."))
    with transaction.atomic():
        version = practice.versions.order_by("-number").first()
        review = PracticeReview(practice=practice, version=version, reviewer=reviewer, decision=decision,
                                summary=summary.strip())
        review.full_clean()
        review.save()
        for field, text in comments:
            comment = ReviewComment(review=review, field=field, text=text)
            comment.full_clean(exclude=["review"])
            comment.save()
        if decision == PracticeReview.Decision.CHANGES:
            _set_state(practice, S.CHANGES_REQUESTED, actor=reviewer, action="review_changes", note=summary)
        elif decision == PracticeReview.Decision.APPROVE:
            _approve(practice, reviewer=reviewer, note=summary)
        else:
            audit_record(actor=reviewer, action="update", obj=practice, note=f"review comment: {summary}")
    return review


def _approve(practice: Practice, *, reviewer, note: str) -> None:
    before = workflow_state(practice)
    if practice.pending:
        data, m2m, sources = _deserialise(practice.pending)
        practice.pending = None
        practice.pending_status = ""
        practice.status = S.PUBLISHED
        _apply(practice, data=data, m2m=m2m, sources=sources)
    else:
        practice.status = S.PUBLISHED
        practice.save(update_fields=["status", "updated_at"])
    _release_if_published(practice)
    version_write(practice=practice, author=reviewer, note="approved")
    audit_record(actor=reviewer, action="status", obj=practice, changes={"status": [before, S.PUBLISHED]},
                 note=f"approve: {note}" if note else "approve")
    schedule_index(practice.pk)


def practice_archive(*, practice: Practice, actor) -> Practice:
    state = workflow_state(practice)
    if practice.status != S.PUBLISHED or state == S.IN_REVIEW:
        _refuse(_("Only published examples that are not being reviewed can be archived (current status: %(status)s).")
                % {"status": _state_label(state)})
    with transaction.atomic():
        practice.pending = None
        practice.pending_status = ""
        practice.save(update_fields=["pending", "pending_status", "updated_at"])
        _set_state(practice, S.ARCHIVED, actor=actor, action="archive")
    return practice


def practice_reopen(*, practice: Practice, actor) -> Practice:
    if practice.status != S.ARCHIVED:
        _refuse(_("Only archived examples can be reopened (current status: %(status)s).")
                % {"status": _state_label(practice.status)})
    with transaction.atomic():
        _set_state(practice, S.DRAFT, actor=actor, action="reopen")
    return practice


def practice_delete(*, practice: Practice, actor) -> None:
    """Delete a practice example that was never published (published ones are archived instead)."""
    if practice.published_at is not None:
        _refuse(_("Published examples are archived, not deleted."))
    with transaction.atomic():
        pk = practice.pk
        audit_record(actor=actor, action="delete", obj=practice)
        for attachment in practice.attachments.all():
            attachment.file.delete(save=False)
        practice.delete()
        from .services import schedule_unindex

        schedule_unindex(pk)


def latest_published_version(practice: Practice) -> PracticeVersion | None:
    return practice.versions.filter(status=S.PUBLISHED).order_by("-number").first()
