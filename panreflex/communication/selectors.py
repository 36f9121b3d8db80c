"""Reads of the communication domain. Every list goes through the access policy."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from panreflex.accounts import policy

from .models import (
    LANGUAGE_NAMES,
    Alert,
    Channel,
    CommunicationPlan,
    GapAction,
    Message,
    MessageTemplate,
    MessageVersion,
    PlanMember,
    Rumour,
    Variant,
)


def plans_for(*, viewer, organisation=None):
    qs = policy.scope(viewer, CommunicationPlan.objects.select_related("organisation", "crisis_kind"))
    return qs.filter(organisation=organisation) if organisation is not None else qs


def messages_for(*, viewer, plan=None, organisation=None, status: str = ""):
    qs = policy.scope(viewer, Message.objects.select_related("plan", "audience", "organisation"))
    if plan is not None:
        qs = qs.filter(plan=plan)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if status:
        qs = qs.filter(status=status)
    return qs


def rumours_for(*, viewer, organisation=None):
    qs = policy.scope(viewer, Rumour.objects.select_related("response", "organisation"))
    return qs.filter(organisation=organisation) if organisation is not None else qs


def alerts_for(*, viewer):
    return policy.scope(viewer, Alert.objects.select_related("organisation")).prefetch_related("infos__areas")


def templates_for(*, viewer, query: str = "", crisis_kind: str = "", audience_kind: str = ""):
    qs = policy.scope(viewer, MessageTemplate.objects.select_related("crisis_kind", "group", "organisation"))
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(text__icontains=query) | Q(headline__icontains=query))
    if crisis_kind:
        qs = qs.filter(crisis_kind__code=crisis_kind)
    if audience_kind:
        qs = qs.filter(audience_kind=audience_kind)
    return qs.prefetch_related("practices")


# --- the plan matrix -----------------------------------------------------------------------------------
@dataclass
class Gap:
    key: str
    text: str
    action_title: str
    action_item_id: int | None = None


@dataclass
class MatrixRow:
    audience: object
    channels: list[bool]
    languages: list[tuple[str, str, bool]]  # (code, name, has a message)
    easy: bool | None = None  # None: not needed
    plain: bool | None = None
    gaps: list[Gap] = field(default_factory=list)


def catalogue_groups(*, viewer, organisation):
    """The vulnerable groups the plan should consider: the shared catalogue and the organisation's own
    variants (a variant replaces the shared entry it adapts)."""
    from panreflex.vulnerability.models import VulnerableGroup

    groups = list(policy.scope(viewer, VulnerableGroup.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation))).order_by("name"))
    adapted = {g.based_on_id for g in groups if g.organisation_id == organisation.pk and g.based_on_id}
    return [g for g in groups if g.pk not in adapted]


def plan_matrix(*, plan: CommunicationPlan, viewer) -> tuple[list[MatrixRow], list[Gap]]:
    """Audience × channel × language: what is covered and the gaps (each with a stable key)."""
    covered: dict[int | None, set[tuple[str, str]]] = defaultdict(set)
    for audience_id, language, variant in MessageVersion.objects.filter(message__plan=plan).exclude(
            message__status=Message.Status.WITHDRAWN).values_list("message__audience_id", "language", "variant"):
        covered[audience_id].add((language, variant))
    done = dict(GapAction.objects.filter(plan=plan).values_list("gap_key", "action_item_id"))
    rows, gaps = [], []

    def gap(key, text, title):
        g = Gap(key=key, text=text, action_title=title, action_item_id=done.get(key))
        gaps.append(g)
        return g

    audiences = list(plan.audiences.select_related("group"))
    for audience in audiences:
        have = covered.get(audience.pk, set())
        langs = {lang for lang, _v in have}
        row = MatrixRow(
            audience=audience, channels=[c in audience.channels for c in Channel.values],
            languages=[(c, str(LANGUAGE_NAMES.get(c, c)), c in langs) for c in audience.languages],
            easy=("de", Variant.EASY) in have if audience.needs_easy else None,
            plain=any(v == Variant.PLAIN for _lang, v in have) if audience.needs_plain else None,
        )
        name = audience.name
        if not audience.channels:
            row.gaps.append(gap(f"channels:{audience.pk}", _("“%(a)s” has no channel.") % {"a": name},
                                _("Choose channels for “%(a)s”") % {"a": name}))
        if not audience.languages:
            row.gaps.append(gap(f"nolang:{audience.pk}", _("No language is set for “%(a)s”.") % {"a": name},
                                _("Set the languages of “%(a)s”") % {"a": name}))
        for code, lang_name, present in row.languages:
            if not present:
                row.gaps.append(gap(f"lang:{audience.pk}:{code}",
                                    _("No message for “%(a)s” in %(lang)s.") % {"a": name, "lang": lang_name},
                                    _("Prepare a message for “%(a)s” in %(lang)s") % {"a": name, "lang": lang_name}))
        if row.easy is False:
            row.gaps.append(gap(f"easy:{audience.pk}", _("No message in Leichte Sprache for “%(a)s”.") % {"a": name},
                                _("Prepare a message in Leichte Sprache for “%(a)s”") % {"a": name}))
        if row.plain is False:
            row.gaps.append(gap(f"plain:{audience.pk}", _("No plain-language message for “%(a)s”.") % {"a": name},
                                _("Prepare a plain-language message for “%(a)s”") % {"a": name}))
        rows.append(row)
    in_plan = {a.group_id for a in audiences if a.group_id}
    in_plan |= {a.group.based_on_id for a in audiences if a.group_id and a.group.based_on_id}
    for group in catalogue_groups(viewer=viewer, organisation=plan.organisation):
        if group.pk not in in_plan:
            gap(f"group:{group.pk}", _("“%(g)s” from the vulnerable-groups catalogue is not an audience of the plan: "
                                       "no channel and no message.") % {"g": group.name},
                _("Plan communication for “%(g)s”") % {"g": group.name})
    if not plan.members.filter(role__in=[PlanMember.Role.APPROVER, PlanMember.Role.DEPUTY]).exists():
        gap("chain:approver", _("Nobody in the approval chain approves messages."),
            _("Name approvers and deputies for crisis messages"))
    return rows, gaps


def plan_gaps(*, plan, viewer) -> list[Gap]:
    return plan_matrix(plan=plan, viewer=viewer)[1]


# --- rumours ----------------------------------------------------------------------------------------------
def rumour_similar(*, organisation, claim: str, exclude_pk: int | None = None, threshold: int = 60, limit: int = 5):
    """Open entries of the organisation's register whose claim resembles `claim` (proposed duplicates)."""
    from rapidfuzz import fuzz

    claim = (claim or "").strip().lower()
    if len(claim) < 8:
        return []
    candidates = Rumour.objects.filter(organisation=organisation, duplicate_of__isnull=True).exclude(
        status=Rumour.Status.CLOSED)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    scored = []
    for rumour in candidates.only("id", "claim", "category", "status", "first_seen_at", "organisation_id"):
        score = fuzz.token_set_ratio(claim, rumour.claim.lower())
        if score >= threshold:
            scored.append((score, rumour))
    scored.sort(key=lambda t: -t[0])
    return [r for _s, r in scored[:limit]]


def rumour_trend(*, rumours, weeks: int = 8, today: date | None = None):
    """Entries first seen per week and category over the last `weeks` weeks: (week labels, {category: counts})."""
    today = today or timezone.localdate()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    labels = [start + timedelta(weeks=i) for i in range(weeks)]
    counts: dict[str, list[int]] = {c: [0] * weeks for c in Rumour.Category.values}
    for category, seen in rumours.filter(first_seen_at__date__gte=start).values_list("category", "first_seen_at"):
        index = (timezone.localtime(seen).date() - start).days // 7
        if 0 <= index < weeks:
            counts[category][index] += 1
    return labels, counts


def weekly_summary_context(*, organisation, week_start: date) -> dict:
    week_end = week_start + timedelta(days=7)
    rumours = Rumour.objects.filter(organisation=organisation)
    new = list(rumours.filter(first_seen_at__date__gte=week_start, first_seen_at__date__lt=week_end)
               .select_related("response").order_by("-likelihood", "-harm"))
    open_high = [r for r in rumours.exclude(status=Rumour.Status.CLOSED).select_related("response") if r.risk >= 15]
    answered = list(rumours.filter(answered_at__date__gte=week_start, answered_at__date__lt=week_end)
                    .select_related("response"))
    by_category = Counter(r.category for r in new)
    return {
        "organisation": organisation, "week_start": week_start, "week_end": week_end - timedelta(days=1),
        "new": new, "open_high": open_high, "answered": answered,
        "by_category": [(label, by_category.get(value, 0)) for value, label in Rumour.Category.choices],
        "open_count": rumours.exclude(status=Rumour.Status.CLOSED).count(), "generated": timezone.now(),
    }
