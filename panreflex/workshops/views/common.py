"""Helpers shared by the workshop views: who is acting, and fetching a workshop or 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..consumers import actor_from
from ..models import Workshop
from ..permissions import Actor, can_facilitate, can_manage, can_view


def request_actor(request, workshop_id: int) -> Actor:
    return actor_from(request.user, request.session, workshop_id)


def workshop_or_404(request, pk: int) -> tuple[Workshop, Actor]:
    """The workshop if the person (user or guest) may see it; else 404 (no existence leak)."""
    workshop = get_object_or_404(Workshop.objects.select_related("organisation", "template"), pk=pk)
    actor = request_actor(request, workshop.pk)
    if not can_view(actor, workshop):
        raise Http404
    return workshop, actor


def managed_or_404(request, pk: int) -> tuple[Workshop, Actor]:
    workshop, actor = workshop_or_404(request, pk)
    if not can_manage(actor, workshop):
        raise Http404
    return workshop, actor


def facilitated_or_404(request, pk: int) -> tuple[Workshop, Actor]:
    workshop, actor = workshop_or_404(request, pk)
    if not can_facilitate(actor, workshop):
        raise Http404
    return workshop, actor
