"""Who may see and change what: the one policy of the platform (issue 13).

Every model with restricted content registers its rules here, one per action (view, change, delete,
review, export and, where a domain needs them, its own actions such as a workshop's "facilitate"):
each rule is a queryset filter (`q`) and an object check (`check`) that a test keeps in agreement for
every registered model and persona (`accounts/tests/test_policy.py`). Apps define their rule functions
in `<app>/rules.py` and register them from `AppConfig.ready()`; everything else calls only this module:

    policy.can_view(user, obj)                     # dispatches by the object's type
    policy.can(user, "facilitate", workshop)
    policy.scope(user, Practice.objects.all())     # the rows the user may see
    policy.get_or_404(user, Practice, pk=pk)       # missing and forbidden answer the same 404
    policy.resolve(user, "workshop_card", 17)      # generic (kind + id) links, None when not visible

An object a user may not see is answered with 404 (never 403), so that its existence does not leak.
Roles rank viewer < member < editor < coordinator; platform staff (`user.is_staff`, the project team)
may see and change everything. Memberships are read only here (`role_in`, `organisation_ids`, …).

Content that inherits `accounts.models.OwnedContent` follows the visibility contract unless its rule
says more (`owned_view_q` / `owned_can_view`):
- private: members (any role) of the owning organisation;
- network: signed-in members of any partner organisation (and the owners);
- public: everyone, once released (`released_at` set); before release it behaves like network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Membership, Organisation, OwnedContent, Role, Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

ROLE_RANK = {Role.VIEWER: 1, Role.MEMBER: 2, Role.EDITOR: 3, Role.COORDINATOR: 4}
ACTIONS = ("view", "change", "delete", "review", "export")


# --- who is asking ---------------------------------------------------------------------------------
def user_of(subject) -> Any:
    """The user behind a subject: a user, or an object acting for one (a workshop's `Actor`)."""
    return getattr(subject, "user", subject) if not _is_user_like(subject) else subject


def _is_user_like(subject) -> bool:
    return subject is None or hasattr(subject, "is_authenticated")


def is_authenticated(user: User | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff(user: User | AnonymousUser | None) -> bool:
    """Platform staff = the project team."""
    return is_authenticated(user) and bool(user.is_staff)


def _memberships(user) -> list[tuple[int, str, str, bool]]:
    """(organisation id, role, organisation kind, is partner) of every membership, read once per request
    and kept on the user object: the only query of memberships that decides access."""
    if not is_authenticated(user):
        return []
    cache = getattr(user, "_panreflex_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).values_list(
            "organisation_id", "role", "organisation__kind", "organisation__is_partner"))
        user._panreflex_memberships = cache
    return cache


def _roles(user) -> dict[int, str]:
    """organisation id -> role."""
    return {org: role for org, role, _kind, _partner in _memberships(user)}


def forget_cached_roles(user) -> None:
    if hasattr(user, "_panreflex_memberships"):
        del user._panreflex_memberships


def role_in(user, organisation: Organisation | int | None) -> str | None:
    if organisation is None:
        return None
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return _roles(user).get(org_id)


def has_role(user, organisation: Organisation | int | None, minimum: str) -> bool:
    role = role_in(user, organisation)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def organisation_ids(user, minimum: str = Role.VIEWER) -> list[int]:
    return [org for org, role in _roles(user).items() if ROLE_RANK[role] >= ROLE_RANK[minimum]]


def is_network_member(user) -> bool:
    """Signed-in member of a partner organisation, or staff."""
    if is_staff(user):
        return True
    return any(partner for _org, _role, _kind, partner in _memberships(user))


def is_municipal_editor(user) -> bool:
    """Editor or coordinator of a municipality (who may review other municipalities' work), or staff."""
    if is_staff(user):
        return True
    return any(kind == Organisation.Kind.MUNICIPALITY and ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR]
               for _org, role, kind, _partner in _memberships(user))


# --- organisations -------------------------------------------------------------------------------
def can_view_organisation(user, organisation: Organisation) -> bool:
    return True  # organisations and their names are public information


def can_manage_members(user, organisation: Organisation) -> bool:
    return is_staff(user) or has_role(user, organisation, Role.COORDINATOR)


def can_view_members(user, organisation: Organisation) -> bool:
    """Who belongs to an organisation is visible to its members (any role) and to staff."""
    return is_staff(user) or role_in(user, organisation) is not None


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Coordinators keep their organisation's description and website up to date; staff change everything."""
    return can_manage_members(user, organisation)


def can_create_organisation(user) -> bool:
    """New organisations are set up by the project team."""
    return is_staff(user)


def can_edit_for(user, organisation: Organisation | int | None) -> bool:
    """May create and change content owned by this organisation."""
    return is_staff(user) or has_role(user, organisation, Role.EDITOR)


def can_contribute_for(user, organisation: Organisation | int | None) -> bool:
    """May contribute (comment, add cards, answer) on behalf of this organisation."""
    return is_staff(user) or has_role(user, organisation, Role.MEMBER)


def editable_organisations(user) -> QuerySet[Organisation]:
    if is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids(user, Role.EDITOR))


def member_organisations(user, minimum: str = Role.VIEWER) -> QuerySet[Organisation]:
    """Organisations the user belongs to with at least `minimum` (all of them for staff)."""
    if is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids(user, minimum))


# --- the visibility contract of OwnedContent -----------------------------------------------------
def owned_view_q(user, *, prefix: str = "") -> Q:
    """Q object selecting the OwnedContent rows `user` may see by the contract. `prefix` e.g. "practice__"."""
    p = prefix
    public = Q(**{f"{p}visibility": Visibility.PUBLIC, f"{p}released_at__isnull": False})
    if is_staff(user):
        return Q()
    if not is_authenticated(user):
        return public
    own = Q(**{f"{p}organisation_id__in": organisation_ids(user)})
    if is_network_member(user):
        network = Q(**{f"{p}visibility__in": [Visibility.NETWORK, Visibility.PUBLIC]})
        return public | own | network
    return public | own


def owned_can_view(user, obj: OwnedContent) -> bool:
    if is_staff(user):
        return True
    if obj.visibility == Visibility.PUBLIC and obj.released_at is not None:
        return True
    if not is_authenticated(user):
        return False
    if role_in(user, obj.organisation_id) is not None:
        return True
    return obj.visibility in (Visibility.NETWORK, Visibility.PUBLIC) and is_network_member(user)


def owned_change_q(user, *, prefix: str = "") -> Q:
    if is_staff(user):
        return Q()
    return Q(**{f"{prefix}organisation_id__in": organisation_ids(user, Role.EDITOR)})


def owned_can_change(user, obj: OwnedContent) -> bool:
    return can_edit_for(user, obj.organisation_id)


def staff_q(user) -> Q:
    return Q() if is_staff(user) else Q(pk__in=[])


def staff_check(user, obj) -> bool:
    return is_staff(user)


# `visible_q` keeps its old name (the contract as a Q, for other apps' tables).
visible_q = owned_view_q


# --- the registry ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One action's rule: the rows a subject may act on (`q`) and the same answer for one object
    (`check`). `distinct`: the filter joins a to-many relation (rows would repeat), so `scope` filters
    by primary key instead."""

    q: Callable[[Any], Q]
    check: Callable[[Any, Any], bool]
    distinct: bool = False


OWNED_VIEW = Rule(q=lambda s: owned_view_q(user_of(s)), check=lambda s, o: owned_can_view(user_of(s), o))
OWNED_CHANGE = Rule(q=lambda s: owned_change_q(user_of(s)), check=lambda s, o: owned_can_change(user_of(s), o))
STAFF_ONLY = Rule(q=lambda s: staff_q(user_of(s)), check=lambda s, o: staff_check(user_of(s), o))


@dataclass
class ModelRules:
    model: type[Model]
    rules: dict[str, Rule]
    kind: str = ""
    summary: dict[str, str] = field(default_factory=dict)  # action -> who, for docs and the rules table


_REGISTRY: dict[type[Model], ModelRules] = {}
_KINDS: dict[str, type[Model]] = {}


def register(model: type[Model], *, view: Rule, change: Rule, delete: Rule | None = None,
             review: Rule | None = None, export: Rule | None = None, kind: str = "",
             summary: dict[str, str] | None = None, **extra: Rule) -> ModelRules:
    """Register the rules of `model`. Defaults: delete = change, export = view, review = staff only.
    `kind` names the model in generic links (`resolve`); `extra` adds domain actions."""
    rules = {"view": view, "change": change, "delete": delete or change, "review": review or STAFF_ONLY,
             "export": export or view, **extra}
    entry = ModelRules(model=model, rules=rules, kind=kind, summary=dict(summary or {}))
    _REGISTRY[model] = entry
    if kind:
        _KINDS[kind] = model
    return entry


def registered() -> list[ModelRules]:
    return list(_REGISTRY.values())


def rules_for(model_or_obj) -> ModelRules:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    for cls in model.__mro__:
        if cls in _REGISTRY:
            return _REGISTRY[cls]
    raise ImproperlyConfigured(f"No access rules registered for {model.__name__} (see accounts/policy.py).")


def is_registered(model_or_obj) -> bool:
    try:
        rules_for(model_or_obj)
    except ImproperlyConfigured:
        return False
    return True


def _rule(model_or_obj, action: str) -> Rule:
    entry = rules_for(model_or_obj)
    try:
        return entry.rules[action]
    except KeyError as exc:
        raise ImproperlyConfigured(f"{entry.model.__name__} has no rule for {action!r}.") from exc


# --- asking the policy -----------------------------------------------------------------------------
def can(subject, action: str, obj) -> bool:
    """May `subject` (a user, or a workshop `Actor`) do `action` with `obj`?"""
    return bool(_rule(obj, action).check(subject, obj))


def can_view(subject, obj) -> bool:
    return can(subject, "view", obj)


def can_change(subject, obj) -> bool:
    return can(subject, "change", obj)


can_edit = can_change


def can_delete(subject, obj) -> bool:
    return can(subject, "delete", obj)


def can_review(subject, obj) -> bool:
    return can(subject, "review", obj)


def can_export(subject, obj) -> bool:
    return can(subject, "export", obj)


def q_for(subject, model: type[Model], action: str = "view") -> Q:
    return _rule(model, action).q(subject)


def scope(subject, queryset: QuerySet | type[Model], action: str = "view") -> QuerySet:
    """The rows of `queryset` that `subject` may `action`."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    rule = _rule(queryset.model, action)
    q = rule.q(subject)
    if not q:
        return queryset
    if rule.distinct:
        return queryset.filter(pk__in=queryset.model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)


def filter_visible(subject, queryset: QuerySet, **_compat) -> QuerySet:
    return scope(subject, queryset, "view")


def get_or_404(subject, queryset: QuerySet | type[Model], action: str = "view", **lookup: Any):
    """Fetch one object `subject` may `action`, else 404 — the same 404 for a missing object."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can(subject, "view", obj) or (action != "view" and not can(subject, action, obj)):
        raise Http404
    return obj


def get_visible_or_404(subject, queryset: QuerySet | type[Model], **lookup: Any):
    return get_or_404(subject, queryset, "view", **lookup)


def get_editable_or_404(subject, queryset: QuerySet | type[Model], **lookup: Any):
    """Invisible → 404; visible but read-only → 404 too, so that no existence leaks through edit URLs."""
    return get_or_404(subject, queryset, "change", **lookup)


def first_visible(subject, queryset: QuerySet, action: str = "view", **lookup: Any):
    """Like `get_or_404`, but None instead of 404 (for ids in forms, JSON and CSV columns)."""
    try:
        return get_or_404(subject, queryset, action, **lookup)
    except Http404:
        return None


# --- generic links (kind + object id) --------------------------------------------------------------
def model_for_kind(kind: str) -> type[Model] | None:
    return _KINDS.get(kind)


def resolve(subject, kind: str, object_id, action: str = "view"):
    """The object a generic link names, if `subject` may `action` it; None for unknown kinds, missing and
    forbidden objects alike."""
    model = _KINDS.get(kind)
    if model is None or object_id in (None, ""):
        return None
    return first_visible(subject, model._default_manager.all(), action, pk=object_id)


def resolve_or_404(subject, kind: str, object_id, action: str = "view"):
    obj = resolve(subject, kind, object_id, action)
    if obj is None:
        raise Http404
    return obj


# --- other rules -----------------------------------------------------------------------------------
def can_release(user, obj: OwnedContent | None = None) -> bool:
    """Editorial release of public content is done by the project team."""
    return is_staff(user)


def can_view_audit(user, obj: Model) -> bool:
    """Editors see the audit trail of the objects they may edit."""
    org_id = getattr(obj, "organisation_id", None)
    return is_staff(user) or (org_id is not None and has_role(user, org_id, Role.EDITOR))


def require(condition: bool) -> None:
    """Raise 404 unless the condition holds (used for rules that do not concern an object)."""
    if not condition:
        raise Http404


def register_owned(model: type[Model], **overrides) -> ModelRules:
    """Register an OwnedContent model with the visibility contract (view, export) and editor rule
    (change, delete); `overrides` replace single rules or add domain actions."""
    rules = {"view": OWNED_VIEW, "change": OWNED_CHANGE, **overrides}
    rules.setdefault("summary", {
        "view": "contract", "change": "editors of the owner", "delete": "editors of the owner",
        "review": "staff", "export": "as view",
    })
    return register(model, **rules)


def register_child(model: type[Model], *, parent: str, parent_model: type[Model], kind: str = "",
                   actions=("view", "change", "delete", "export")) -> ModelRules:
    """Register a model whose rows are seen and changed with the row they belong to (`parent`, a
    foreign key to `parent_model`), e.g. a vulnerability index with its area set."""

    def rule(action: str) -> Rule:
        def q(subject) -> Q:
            inner = _rule(parent_model, action).q(subject)
            return Q(**{f"{parent}__in": parent_model._default_manager.filter(inner).values("pk")}) if inner else Q()

        return Rule(q=q, check=lambda subject, obj: can(subject, action, getattr(obj, parent)))

    return register(model, kind=kind, **{a: rule(a) for a in actions},
                    summary={"review": "staff", **{a: f"as its {parent.replace('_', ' ')}" for a in actions}})


def _register_organisation() -> None:
    """Organisations and their names are public; coordinators (and staff) change theirs."""
    def change_q(subject) -> Q:
        user = user_of(subject)
        return Q() if is_staff(user) else Q(pk__in=organisation_ids(user, Role.COORDINATOR))

    register(Organisation, kind="organisation",
             view=Rule(q=lambda s: Q(), check=lambda s, o: can_view_organisation(user_of(s), o)),
             change=Rule(q=change_q, check=lambda s, o: can_manage_members(user_of(s), o)),
             summary={"view": "everyone", "change": "coordinators of the organisation, staff",
                      "delete": "as change", "review": "staff", "export": "as view"})


# --- what a view loads from its URL (issue 13) -----------------------------------------------------
@dataclass(frozen=True)
class Load:
    """One URL argument of a view. `model`: an object of restricted content, fetched through the
    policy (`get_or_404` by `field`) before the view runs; otherwise `kind` says why no rule applies:
    "within" (looked up inside the object loaded by another argument, e.g. a survey's question),
    "token" (a secret link whose possession is the permission), "generic" (content type + id, resolved
    through the policy in the view), "reference" (public reference data or a parameter that is no
    object: places, vocabularies, a file format, a workflow action)."""

    model: type[Model] | None = None
    action: str = "view"
    field: str = "pk"
    kind: str = "object"


WITHIN = Load(kind="within")
TOKEN = Load(kind="token")
GENERIC = Load(kind="generic")
REFERENCE = Load(kind="reference")
LOAD_KINDS = ("object", "within", "token", "generic", "reference")


def _as_load(spec) -> Load:
    if isinstance(spec, Load):
        return spec
    if isinstance(spec, tuple):
        return Load(*spec)
    return Load(model=spec)


def loads(subject: Callable | None = None, **arguments):
    """Declare what a view loads from its URL, and load it through the policy:

        @login_required
        @loads(pk=Insight)                       # 404 unless the user may view it
        def insight_detail(request, pk): obj = request.loaded["pk"] ...

        @loads(pk=(Survey, "change"), item_pk=WITHIN)
        @loads()                                 # a page that takes no object from its URL

    Place it directly above the function (under login_required and the method decorators), so that
    anonymous users are sent to the login page and wrong methods answer 405 first. `subject(request,
    kwargs)` gives who is asking when it is not `request.user` (a workshop's guest). The declaration is
    kept on the view (`view.panreflex_loads`); `core.checks` fails for any URL argument of a project view
    that is not declared."""
    declared = {name: _as_load(spec) for name, spec in arguments.items()}

    def decorate(view):
        import functools

        if not any(load.model is not None for load in declared.values()):
            view.panreflex_loads = declared  # nothing to fetch: the view stays as it is (sync or async)
            return view

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            loaded = getattr(request, "loaded", None)
            if loaded is None:
                loaded = request.loaded = {}
            who = subject(request, kwargs) if subject is not None else request.user
            for name, load in declared.items():
                if load.model is not None and name in kwargs:
                    loaded[name] = get_or_404(who, load.model, load.action, **{load.field: kwargs[name]})
            return view(request, *args, **kwargs)

        wrapper.panreflex_loads = declared
        return wrapper

    return decorate
