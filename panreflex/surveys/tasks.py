"""Background work of the surveys domain (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_survey_invitations(survey_id: int) -> int:
    from .models import Survey
    from .services.fieldwork import invitations_send

    survey = Survey.objects.filter(pk=survey_id).first()
    return invitations_send(survey=survey) if survey else 0


@task()
def send_survey_reminders(survey_id: int | None = None, min_days: int = 7) -> int:
    from .models import Survey
    from .services.fieldwork import reminders_send, reminders_send_all

    if survey_id is None:
        return sum(reminders_send_all(min_days=min_days).values())
    survey = Survey.objects.filter(pk=survey_id).first()
    return reminders_send(survey=survey, min_days=min_days) if survey else 0
