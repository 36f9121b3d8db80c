"""Who may do what with the improvement plan. Every rule calls `panreflex.accounts.access`.

- the plan of an organisation: its members (any role) and the project team;
- create, edit and delete items: editors of the owning organisation and the project team;
- update status, progress and notes: additionally the member the item names as responsible user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from panreflex.accounts import access
from panreflex.accounts.models import Organisation, Role

from .models import ActionItem


def plan_organisations(user) -> QuerySet[Organisation]:
    if access.is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=access.organisation_ids(user, Role.VIEWER))


def can_view_plan(user, organisation: Organisation) -> bool:
    return access.is_staff(user) or access.role_in(user, organisation) is not None


def can_create_item(user, organisation: Organisation) -> bool:
    return access.can_edit_for(user, organisation)


def can_edit_item(user, item: ActionItem) -> bool:
    return access.can_edit(user, item)


def can_update_progress(user, item: ActionItem) -> bool:
    if access.can_edit(user, item):
        return True
    return (
        item.responsible_user_id is not None
        and access.is_authenticated(user)
        and item.responsible_user_id == user.pk
        and access.can_contribute_for(user, item.organisation_id)
    )


def get_item_or_404(user, pk: int) -> ActionItem:
    qs = ActionItem.objects.select_related(
        "organisation", "responsible_organisation", "responsible_user", "theme", "created_by"
    )
    return access.get_visible_or_404(user, qs, pk=pk)


def get_editable_item_or_404(user, pk: int) -> ActionItem:
    item = get_item_or_404(user, pk)
    access.require(can_edit_item(user, item))
    return item


def get_progress_item_or_404(user, pk: int) -> ActionItem:
    item = get_item_or_404(user, pk)
    access.require(can_update_progress(user, item))
    return item
