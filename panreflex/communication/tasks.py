"""Background tasks of the communication domain (django-tasks, run by `panreflex db_worker`)."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def render_weekly_summary(organisation_id: int, week_start: str) -> int:
    """Render the weekly rumour summary of one organisation as PDF (returns its size in bytes)."""
    from panreflex.accounts.models import Organisation

    from .services import weekly_summary_render

    summary = weekly_summary_render(organisation=Organisation.objects.get(pk=organisation_id),
                                    week_start=date.fromisoformat(week_start))
    return summary.pdf.size
