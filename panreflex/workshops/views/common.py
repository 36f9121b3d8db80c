"""Helpers shared by the workshop views: who is acting, and fetching a workshop or 404."""

from __future__ import annotations

from django.http import Http404

from panreflex.accounts import policy

from ..actors import Actor
from ..consumers import actor_from
from ..models import Workshop


def request_actor(request, workshop_id: int) -> Actor:
    return actor_from(request.user, request.session, workshop_id)


def workshop_or_404(request, pk: int) -> tuple[Workshop, Actor]:
    """The workshop if the person (user or guest) may see it; else 404 (no existence leak)."""
    actor = request_actor(request, pk)
    workshop = policy.get_visible_or_404(actor, Workshop.objects.select_related("organisation", "template"), pk=pk)
    return workshop, actor


def managed_or_404(request, pk: int) -> tuple[Workshop, Actor]:
    workshop, actor = workshop_or_404(request, pk)
    if not policy.can_change(actor, workshop):
        raise Http404
    return workshop, actor


def facilitated_or_404(request, pk: int) -> tuple[Workshop, Actor]:
    workshop, actor = workshop_or_404(request, pk)
    if not policy.can(actor, "facilitate", workshop):
        raise Http404
    return workshop, actor


def workshop_actor(request, kwargs) -> Actor:
    """Who asks for the workshop of the URL (`policy.loads(subject=...)`): a user or that workshop's guest."""
    return request_actor(request, kwargs["pk"])
