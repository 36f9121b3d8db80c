"""The live room: the page, its current state (HTML partial or JSON) and the form endpoint that
applies one intent (the path without WebSockets)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from panreflex.accounts.policy import REFERENCE, loads
from panreflex.workshops.models import Workshop

from .. import intents, selectors
from ..services.common import Refused, StaleEdit
from .common import workshop_actor, workshop_or_404


def _context(workshop, actor, request):
    state = selectors.room_state(workshop=workshop, actor=actor)
    return {
        "workshop": state.workshop, "state": state, "actor": actor,
        "carried_over": selectors.carried_over(workshop=workshop) if actor.user is not None else [],
        "ws_path": f"/ws/reflexionsraeume/{workshop.pk}/",
    }


@loads(subject=workshop_actor, pk=Workshop)
def room(request, pk):
    workshop, actor = workshop_or_404(request, pk)
    return render(request, "workshops/room.html", _context(workshop, actor, request))


@loads(subject=workshop_actor, pk=Workshop)
def room_state(request, pk):
    """`?format=json`: the state as data; otherwise the HTML of the room's changing part."""
    workshop, actor = workshop_or_404(request, pk)
    if request.GET.get("format") == "json":
        state = selectors.room_state(workshop=workshop, actor=actor)
        return JsonResponse(selectors.state_json(state))
    return render(request, "workshops/room.html#state", _context(workshop, actor, request))


@require_POST
@loads(subject=workshop_actor, pk=Workshop, action=REFERENCE)
def room_action(request, pk, action):
    workshop, actor = workshop_or_404(request, pk)
    if action not in intents.INTENTS:
        raise Http404
    data = {key: (values if len(values) > 1 or key == "cards" else values[0])
            for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    anchor = request.POST.get("anchor", "")
    status = 200
    try:
        intents.apply(action, workshop=workshop, actor=actor, data=data)
    except StaleEdit as exc:
        messages.error(request, exc.message)
        status = 409
    except Refused as exc:
        messages.error(request, exc.message)
        status = 422
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        status = 422
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": status == 200, "messages": [str(m) for m in messages.get_messages(request)]},
                            status=status)
    url = reverse("workshops:room", kwargs={"pk": workshop.pk})
    return redirect(f"{url}#{anchor}" if anchor and anchor.replace("-", "").isalnum() else url)
