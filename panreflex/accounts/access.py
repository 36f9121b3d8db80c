"""The names the apps have called since issue #2, kept as thin re-exports of `accounts.policy` (issue 13).

Nothing is decided here: every rule lives in `policy.py` and the rules the apps register there.
`can_view`, `can_edit`, `filter_visible`, `get_visible_or_404` and `get_editable_or_404` dispatch by the
object's (or queryset's) model.
"""

from .policy import (  # noqa: F401
    ROLE_RANK,
    can,
    can_change,
    can_contribute_for,
    can_create_organisation,
    can_delete,
    can_edit,
    can_edit_for,
    can_edit_organisation,
    can_export,
    can_manage_members,
    can_release,
    can_review,
    can_view,
    can_view_audit,
    can_view_members,
    can_view_organisation,
    editable_organisations,
    filter_visible,
    first_visible,
    forget_cached_roles,
    get_editable_or_404,
    get_or_404,
    get_visible_or_404,
    has_role,
    is_authenticated,
    is_municipal_editor,
    is_network_member,
    is_registered,
    is_staff,
    member_organisations,
    organisation_ids,
    q_for,
    require,
    resolve,
    resolve_or_404,
    role_in,
    scope,
    user_of,
    visible_q,
)
