"""The access rules of the communication domain, registered with `accounts.policy` (called only through it).

- plans, messages, templates, rumours and CAP alerts are OwnedContent: view and export by the visibility
  contract, change and delete by editors of the owning organisation and staff;
- imported CAP alerts of the shared register have no organisation: public once released (warnings
  with scope "Public"), otherwise staff only; only staff change them;
- weekly rumour summaries (PDF): members of the organisation and staff;
- the jargon list (one shared list per language, used by every organisation's readability hints): seen
  by every signed-in person; added to, changed and deleted by editors and coordinators of a municipality
  (press offices, crisis staffs, social offices) and staff;
- audiences, approval-chain members and multipliers go with their plan; language versions with their
  message. Who approves a message is the plan's approval chain (checked in the service, with a message
  that says so), not an access rule.
"""

from __future__ import annotations

from panreflex.accounts import policy

from .models import (
    Alert,
    CommunicationPlan,
    JargonWord,
    Message,
    MessageTemplate,
    MessageVersion,
    Multiplier,
    PlanAudience,
    Rumour,
    WeeklySummary,
)


def _weekly_q(subject):
    from django.db.models import Q

    from panreflex.accounts.models import Role

    user = policy.user_of(subject)
    if policy.is_staff(user):
        return Q()
    return Q(organisation_id__in=policy.organisation_ids(user, Role.MEMBER))


def _weekly_check(subject, obj) -> bool:
    from panreflex.accounts.models import Role

    user = policy.user_of(subject)
    return policy.is_staff(user) or policy.has_role(user, obj.organisation_id, Role.MEMBER)


def can_edit_jargon(subject, obj=None) -> bool:
    """May add to, change and delete from the shared jargon list (`obj` is ignored: one rule for all)."""
    return policy.is_municipal_editor(policy.user_of(subject))


def _signed_in_q(subject):
    from django.db.models import Q

    return Q() if policy.is_authenticated(policy.user_of(subject)) else Q(pk__in=[])


def _jargon_change_q(subject):
    from django.db.models import Q

    return Q() if can_edit_jargon(subject) else Q(pk__in=[])


def register() -> None:
    policy.register_owned(CommunicationPlan, kind="communication_plan")
    policy.register_owned(Message, kind="message")
    policy.register_owned(MessageTemplate, kind="message_template")
    policy.register_owned(Rumour, kind="rumour")
    policy.register_owned(Alert, kind="cap_alert")
    policy.register_child(PlanAudience, parent="plan", parent_model=CommunicationPlan)
    policy.register_child(Multiplier, parent="plan", parent_model=CommunicationPlan)
    policy.register_child(MessageVersion, parent="message", parent_model=Message)
    weekly = policy.Rule(q=_weekly_q, check=_weekly_check)
    policy.register(WeeklySummary, view=weekly, change=policy.STAFF_ONLY,
                    summary={"view": "members of the organisation (not viewers)", "change": "staff",
                             "delete": "staff", "review": "staff", "export": "as view"})
    policy.register(JargonWord, view=policy.Rule(q=_signed_in_q, check=lambda s, o: policy.is_authenticated(policy.user_of(s))),
                    change=policy.Rule(q=_jargon_change_q, check=can_edit_jargon), kind="jargon_word",
                    summary={"view": "signed-in people", "change": "editors of a municipality, staff",
                             "delete": "editors of a municipality, staff", "review": "staff", "export": "as view"})
