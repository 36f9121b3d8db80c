"""Communication plans: the plan itself (versioned), audiences, approval chain, multipliers, and
turning a gap of the matrix into an action item of the improvement plan."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from panreflex.audit.models import AuditEntry
from panreflex.audit.services import audit_record, diff, snapshot

from ..models import (
    LANGUAGE_NAMES,
    Channel,
    CommunicationPlan,
    GapAction,
    Multiplier,
    PlanAudience,
    PlanMember,
    PlanVersion,
)

PLAN_FIELDS = ("title", "crisis_kind", "current_phase", "phase_notes", "languages", "dark_site_title",
               "dark_site_text", "visibility")


def _clean_languages(languages) -> list[str]:
    result = []
    for code in languages or []:
        if code not in LANGUAGE_NAMES:
            raise ValidationError({"languages": _("Unknown language: %(code)s") % {"code": code}})
        if code not in result:
            result.append(code)
    return result


def plan_snapshot(plan: CommunicationPlan) -> dict:
    return {
        "plan": {f: (getattr(plan, f"{f}_id") if f == "crisis_kind" else getattr(plan, f)) for f in PLAN_FIELDS},
        "audiences": [{"name": a.name, "kind": a.kind, "group": a.group_id, "channels": a.channels,
                       "languages": a.languages, "needs_plain": a.needs_plain, "needs_easy": a.needs_easy}
                      for a in plan.audiences.all()],
        "members": [{"user": m.user_id, "role": m.role, "responsibility": m.responsibility} for m in plan.members.all()],
        "multipliers": [{"organisation": m.organisation_name, "role": m.role} for m in plan.multipliers.all()],
    }


def _new_version(plan: CommunicationPlan, actor, note: str) -> None:
    """Raise the plan's version and keep a snapshot of what it now says."""
    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    PlanVersion.objects.create(plan=plan, number=number, snapshot=plan_snapshot(plan), note=note[:300],
                               created_by=actor if getattr(actor, "is_authenticated", False) else None)
    CommunicationPlan.objects.filter(pk=plan.pk).update(version=number)


@transaction.atomic
def plan_create(*, organisation, author, title: str, crisis_kind=None, current_phase: str = "potential",
                languages=None, phase_notes: dict | None = None, dark_site_title: str = "", dark_site_text: str = "",
                visibility: str = "private", is_demo: bool = False) -> CommunicationPlan:
    plan = CommunicationPlan(
        organisation=organisation, created_by=author if getattr(author, "is_authenticated", False) else None,
        title=(title or "").strip(), crisis_kind=crisis_kind, current_phase=current_phase,
        languages=_clean_languages(languages or ["de"]), phase_notes=phase_notes or {},
        dark_site_title=dark_site_title, dark_site_text=dark_site_text, visibility=visibility, is_demo=is_demo,
    )
    plan.full_clean()
    plan.save()
    audit_record(actor=author, action=AuditEntry.Action.CREATE, obj=plan, changes=diff({}, snapshot(plan)))
    _new_version(plan, author, _("Plan created"))
    return plan


@transaction.atomic
def plan_update(*, plan: CommunicationPlan, actor, data: dict[str, Any]) -> CommunicationPlan:
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(plan)
    if "languages" in data:
        data = {**data, "languages": _clean_languages(data["languages"])}
        used: set[str] = set()
        for audience in plan.audiences.all():
            used.update(audience.languages)
        dropped = used - set(data["languages"])
        if dropped:
            raise ValidationError({"languages": _("Audiences still use %(langs)s; remove the language there first.")
                                   % {"langs": ", ".join(str(LANGUAGE_NAMES[c]) for c in sorted(dropped))}})
    for key, value in data.items():
        setattr(plan, key, value)
    plan.full_clean()
    plan.save()
    changes = diff(before, snapshot(plan))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=plan, changes=changes)
        _new_version(plan, actor, _("Plan changed"))
    return plan


def _check_audience(plan: CommunicationPlan, *, kind: str, group, channels, languages) -> None:
    if kind == PlanAudience.Kind.GROUP and group is None:
        raise ValidationError({"group": _("Choose the group from the catalogue.")})
    unknown = [c for c in channels or [] if c not in Channel.values]
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %(c)s") % {"c": ", ".join(unknown)}})
    missing = [c for c in languages or [] if c not in plan.languages]
    if missing:
        raise ValidationError({"languages": _("The plan does not configure %(langs)s; add the language to the plan "
                                              "first.") % {"langs": ", ".join(str(LANGUAGE_NAMES.get(c, c)) for c in missing)}})


@transaction.atomic
def audience_add(*, plan: CommunicationPlan, actor, kind: str, name: str = "", group=None, channels=None,
                 languages=None, needs_plain: bool = False, needs_easy: bool = False, notes: str = "") -> PlanAudience:
    _check_audience(plan, kind=kind, group=group, channels=channels, languages=languages)
    audience = PlanAudience(plan=plan, kind=kind, group=group if kind == PlanAudience.Kind.GROUP else None,
                            name=(name or (group.name if group else "")).strip() or str(PlanAudience.Kind(kind).label),
                            channels=list(dict.fromkeys(channels or [])), languages=list(dict.fromkeys(languages or [])),
                            needs_plain=needs_plain, needs_easy=needs_easy, notes=notes)
    audience.full_clean()
    audience.save()
    _new_version(plan, actor, _("Audience added: %(name)s") % {"name": audience.name})
    return audience


@transaction.atomic
def audience_update(*, audience: PlanAudience, actor, **data) -> PlanAudience:
    plan = audience.plan
    merged = {"kind": audience.kind, "group": audience.group, "channels": audience.channels,
              "languages": audience.languages, **data}
    _check_audience(plan, kind=merged["kind"], group=merged["group"], channels=merged["channels"],
                    languages=merged["languages"])
    for key, value in data.items():
        setattr(audience, key, value)
    audience.full_clean()
    audience.save()
    _new_version(plan, actor, _("Audience changed: %(name)s") % {"name": audience.name})
    return audience


@transaction.atomic
def audience_delete(*, audience: PlanAudience, actor) -> None:
    plan = audience.plan
    name = audience.name
    audience.delete()
    _new_version(plan, actor, _("Audience removed: %(name)s") % {"name": name})


@transaction.atomic
def member_add(*, plan: CommunicationPlan, actor, user, role: str, responsibility: str = "") -> PlanMember:
    from panreflex.accounts.models import Membership

    if not Membership.objects.filter(user=user, organisation_id=plan.organisation_id).exists():
        raise ValidationError({"user": _("Only members of %(org)s can be in the approval chain.")
                               % {"org": plan.organisation.name}})
    if PlanMember.objects.filter(plan=plan, user=user, role=role).exists():
        raise ValidationError({"user": _("This person already has this role in the chain.")})
    member = PlanMember(plan=plan, user=user, role=role, responsibility=responsibility)
    member.full_clean()
    member.save()
    _new_version(plan, actor, _("Approval chain changed"))
    return member


@transaction.atomic
def member_remove(*, member: PlanMember, actor) -> None:
    plan = member.plan
    member.delete()
    _new_version(plan, actor, _("Approval chain changed"))


@transaction.atomic
def multiplier_add(*, plan: CommunicationPlan, actor, organisation_name: str, role: str, audiences=(),
                   contact_person: str = "", contact_details: str = "", consent_at=None,
                   consent_note: str = "") -> Multiplier:
    if (contact_person or contact_details) and consent_at is None:
        raise ValidationError({"consent_at": _("Personal contact data may only be stored with recorded consent.")})
    multiplier = Multiplier(plan=plan, organisation_name=organisation_name.strip(), role=role.strip(),
                            contact_person=contact_person, contact_details=contact_details, consent_at=consent_at,
                            consent_note=consent_note)
    multiplier.full_clean()
    multiplier.save()
    foreign = [a for a in audiences if a.plan_id != plan.pk]
    if foreign:
        raise ValidationError({"audiences": _("Choose audiences of this plan.")})
    multiplier.audiences.set(audiences)
    _new_version(plan, actor, _("Multiplier added: %(name)s") % {"name": multiplier.organisation_name})
    return multiplier


@transaction.atomic
def multiplier_delete(*, multiplier: Multiplier, actor) -> None:
    plan = multiplier.plan
    multiplier.delete()
    _new_version(plan, actor, _("Multiplier removed"))


@transaction.atomic
def gap_to_action_item(*, plan: CommunicationPlan, actor, gap_key: str, viewer=None):
    """Turn one gap of the plan's matrix into an action item of the organisation's improvement plan (once)."""
    from panreflex.improvements.services import action_item_create

    from ..selectors import plan_gaps

    gaps = {g.key: g for g in plan_gaps(plan=plan, viewer=viewer or actor)}
    gap = gaps.get(gap_key)
    if gap is None:
        raise ValidationError(_("This gap no longer exists; the matrix was updated."))
    if GapAction.objects.filter(plan=plan, gap_key=gap_key).exists():
        raise ValidationError(_("This gap is already an action item."))
    item = action_item_create(
        organisation=plan.organisation, author=actor, title=gap.action_title[:300], description=gap.text,
        source_label=_("Communication plan: %(title)s") % {"title": plan.title}, source_url=plan.get_absolute_url(),
        capability=_("Crisis communication"), visibility="private",
    )
    GapAction.objects.create(plan=plan, gap_key=gap_key, action_item_id=item.pk)
    return item


@transaction.atomic
def dark_site_publish(*, plan: CommunicationPlan, actor, publish: bool) -> CommunicationPlan:
    """Switch the prepared dark site on (public from now) or off again."""
    from django.utils import timezone

    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    if publish and not (plan.dark_site_title or plan.dark_site_text):
        raise ValidationError(_("The dark site is empty; write its title and text first."))
    before = plan.dark_site_published_at
    plan.dark_site_published_at = timezone.now() if publish else None
    plan.save(update_fields=["dark_site_published_at", "updated_at"])
    audit_record(actor=actor, action=AuditEntry.Action.STATUS, obj=plan,
                 changes={"dark_site_published_at": [str(before) if before else None,
                                                     str(plan.dark_site_published_at) if publish else None]})
    return plan
