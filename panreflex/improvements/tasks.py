"""Background tasks of the improvement plan (django-tasks)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from . import services


@task()
def send_action_reminders(today: str | None = None, days_before: int = services.REMINDER_DAYS_BEFORE) -> dict:
    """Send reminder e-mails before and after due dates (see services.action_item_reminders_send)."""
    day = date.fromisoformat(today) if today else None
    return services.action_item_reminders_send(today=day, days_before=days_before)
