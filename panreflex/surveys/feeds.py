"""What is new (surveys in the field the viewer may see) and the dashboard panel."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.core.registry import DashboardPanel, FeedItem

from .models import Invitation, Survey


def survey_feed(*, viewer, limit: int = 10) -> list[FeedItem]:
    qs = access.filter_visible(viewer, Survey.objects.exclude(status=Survey.Status.DRAFT)).order_by("-updated_at")[:limit]
    return [
        FeedItem(when=s.updated_at, kind=_("Survey"), title=s.display_title, url=s.get_absolute_url(),
                 summary=s.get_status_display() + (" · " + _("Demo") if s.is_demo else ""))
        for s in qs
    ]


def survey_panel(*, user) -> DashboardPanel | None:
    if not access.is_authenticated(user):
        return None
    items = []
    editable = Survey.objects.filter(organisation__in=access.editable_organisations(user)).exclude(
        status=Survey.Status.CLOSED).order_by("-updated_at")[:5]
    for s in editable:
        items.append((_("%(title)s – %(status)s") % {"title": s.display_title, "status": s.get_status_display()},
                      s.get_absolute_url()))
    orgs = access.organisation_ids(user, "editor")
    todo = Invitation.objects.filter(Q(organisation_id__in=orgs), completed_at__isnull=True,
                                     survey__status=Survey.Status.FIELD).select_related("survey")[:5]
    for inv in todo:
        items.append((_("To answer: %(title)s") % {"title": inv.survey.display_title}, inv.get_respond_url()))
    return DashboardPanel(title=_("Surveys"), items=items, empty_text=_("No surveys for you at the moment."),
                          more_url="/befragungen/", more_label=_("All surveys"), order=50)
