"""Messages with language versions and the approval workflow; the template library."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts import policy
from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from .. import readability
from ..models import (
    LANGUAGE_NAMES,
    Message,
    MessageEvent,
    MessageTemplate,
    MessageVersion,
    PlanMember,
    Variant,
)

S = Message.Status
# (from, to) -> who may do it: "editor" (editors of the owner or drafters of the chain) or "approver"
TRANSITIONS = {
    (S.DRAFT, S.REVIEW): "editor",
    (S.REVIEW, S.DRAFT): "approver",
    (S.REVIEW, S.APPROVED): "approver",
    (S.APPROVED, S.PUBLISHED): "editor",
    (S.APPROVED, S.WITHDRAWN): "editor",
    (S.PUBLISHED, S.WITHDRAWN): "editor",
}


def jargon_for(language: str) -> dict[str, str]:
    from ..models import JargonWord

    return {w.lower(): s for w, s in JargonWord.objects.filter(language=language[:2]).values_list("word", "suggestion")}


def scores_for(text: str, language: str, variant: str) -> dict:
    return readability.analyse(text, language=language, variant=variant, jargon=jargon_for(language)).as_dict()


def _check_language(plan, language: str) -> None:
    if language not in plan.languages:
        raise ValidationError({"language": _("The communication plan does not configure %(lang)s. Add the language "
                                             "to the plan first.") % {"lang": LANGUAGE_NAMES.get(language, language)}})


def _is_drafter(user, plan) -> bool:
    return PlanMember.objects.filter(plan=plan, user_id=getattr(user, "pk", None), role=PlanMember.Role.DRAFTER).exists()


def _is_approver(user, plan) -> bool:
    return PlanMember.objects.filter(plan=plan, user_id=getattr(user, "pk", None),
                                     role__in=[PlanMember.Role.APPROVER, PlanMember.Role.DEPUTY]).exists()


def may_draft(user, message_or_plan) -> bool:
    plan = getattr(message_or_plan, "plan", message_or_plan)
    return policy.can_edit_for(user, plan.organisation_id) or (
        policy.can_contribute_for(user, plan.organisation_id) and _is_drafter(user, plan))


@transaction.atomic
def message_create(*, plan, author, title: str, text: str, language: str = "de", audience=None, phase: str = "acute",
                   headline: str = "", template=None, is_demo: bool = False) -> Message:
    if not may_draft(author, plan):
        raise ValidationError(_("Only editors of %(org)s and the drafters of the plan write messages.")
                              % {"org": plan.organisation.name})
    _check_language(plan, language)
    if audience is not None and audience.plan_id != plan.pk:
        raise ValidationError({"audience": _("Choose an audience of this plan.")})
    message = Message(plan=plan, organisation=plan.organisation, audience=audience, phase=phase,
                      title=(title or "").strip(), template=template, visibility=plan.visibility, is_demo=is_demo,
                      created_by=author if getattr(author, "is_authenticated", False) else None)
    message.full_clean()
    message.save()
    _version_save(message=message, language=language, variant=Variant.STANDARD, text=text, headline=headline)
    MessageEvent.objects.create(message=message, from_status="", to_status=S.DRAFT, actor=author)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=message, changes=diff({}, snapshot(message)))
    return message


def _version_save(*, message, language, variant, text, headline="", source=None) -> MessageVersion:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The text is empty.")})
    if variant in (Variant.PLAIN, Variant.EASY) and source is None:
        source = (MessageVersion.objects.filter(message=message, language=language, variant=Variant.STANDARD).first()
                  or MessageVersion.objects.filter(message=message, variant=Variant.STANDARD).order_by("id").first())
    if variant == Variant.EASY and not language.startswith("de"):
        raise ValidationError({"variant": _("Leichte Sprache is a variant of German.")})
    version = MessageVersion.objects.filter(message=message, language=language, variant=variant).first()
    if version is None:
        version = MessageVersion(message=message, language=language, variant=variant)
    if version.frozen_at:
        raise ValidationError(_("This version was approved and is frozen."))
    version.text, version.headline = text, (headline or "").strip()
    version.source = source if source is not None and source.pk != version.pk else None
    version.scores = scores_for(text, language, variant)
    version.full_clean(exclude=["source"])
    version.save()
    return version


@transaction.atomic
def message_version_save(*, message: Message, actor, language: str, variant: str, text: str, headline: str = ""
                         ) -> MessageVersion:
    """Add or change one language version. Refused for a language the plan does not configure, and once
    the message is approved (the approved versions are frozen)."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not may_draft(actor, message):
        raise ValidationError(_("Only editors of %(org)s and the drafters of the plan write messages.")
                              % {"org": message.organisation.name})
    if message.is_frozen:
        raise ValidationError(_("The message is %(status)s; its versions can no longer be changed.")
                              % {"status": message.get_status_display()})
    if variant not in Variant.values:
        raise ValidationError({"variant": _("Unknown variant.")})
    _check_language(message.plan, language)
    version = _version_save(message=message, language=language, variant=variant, text=text, headline=headline)
    Message.objects.filter(pk=message.pk).update(updated_at=timezone.now())
    return version


@transaction.atomic
def message_transition(*, message: Message, actor, to_status: str, note: str = "") -> Message:
    """One step of the workflow. Approval only by an approver or deputy of the plan's chain."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    who = TRANSITIONS.get((message.status, to_status))
    if who is None:
        raise ValidationError(_("A message that is “%(from)s” cannot become “%(to)s”.")
                              % {"from": message.get_status_display(), "to": S(to_status).label
                                 if to_status in S.values else to_status})
    plan = message.plan
    if who == "approver" and not _is_approver(actor, plan):
        raise ValidationError(_("Only the approvers and deputies named in the approval chain of “%(plan)s” may "
                                "approve or return this message.") % {"plan": plan.title})
    if who == "editor" and not (may_draft(actor, message) or _is_approver(actor, plan)):
        raise ValidationError(_("Only editors of %(org)s and the people in the approval chain may do this.")
                              % {"org": message.organisation.name})
    if to_status == S.REVIEW and not message.versions.exists():
        raise ValidationError(_("Write at least one version before asking for approval."))
    previous = message.status
    message.status = to_status
    now = timezone.now()
    fields = ["status", "updated_at"]
    if to_status == S.APPROVED:
        message.approved_by, message.approved_at = actor, now
        fields += ["approved_by", "approved_at"]
        message.versions.update(frozen_at=now)
    if to_status == S.PUBLISHED and message.visibility == "public" and message.released_at is None:
        message.released_at = now
        fields.append("released_at")
    message.save(update_fields=fields)
    MessageEvent.objects.create(message=message, from_status=previous, to_status=to_status, actor=actor,
                                note=(note or "")[:500])
    audit_record(actor=actor, action=AuditEntry.Action.STATUS, obj=message, changes={"status": [previous, to_status]},
                 note=note[:200] if note else "")
    return message


# --- templates ---------------------------------------------------------------------------------------------
TEMPLATE_FIELDS = ("title", "crisis_kind", "audience_kind", "group", "phase", "language", "variant", "headline",
                   "text", "visibility")


@transaction.atomic
def template_create(*, organisation, author, practices=(), is_demo: bool = False, **data) -> MessageTemplate:
    unknown = set(data) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    template = MessageTemplate(organisation=organisation, is_demo=is_demo,
                               created_by=author if getattr(author, "is_authenticated", False) else None, **data)
    template.full_clean()
    template.save()
    template.practices.set(practices)
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=template, changes=diff({}, snapshot(template)))
    return template


@transaction.atomic
def template_update(*, template: MessageTemplate, actor, practices=None, **data) -> MessageTemplate:
    unknown = set(data) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = snapshot(template)
    for key, value in data.items():
        setattr(template, key, value)
    template.full_clean()
    template.save()
    if practices is not None:
        template.practices.set(practices)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=template, changes=diff(before, snapshot(template)))
    return template


def message_from_template(*, template: MessageTemplate, plan, author, audience=None) -> Message:
    """A template becomes a draft message of `plan` in one step."""
    return message_create(plan=plan, author=author, title=template.title, text=template.text,
                          headline=template.headline, language=template.language, audience=audience,
                          phase=template.phase, template=template)
