"""`panreflex rumour-weekly [--week YYYY-MM-DD]`: ask the background worker for the weekly rumour summary
(PDF) of every organisation with entries in its register (run it weekly, e.g. from cron on Monday)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Enqueue the weekly rumour summaries (PDF) for the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--week", default="", help="Any day of the week (default: last week).")

    def handle(self, *args, week: str, **options):
        from ...models import Rumour
        from ...services.rumours import week_of
        from ...tasks import render_weekly_summary

        day = date.fromisoformat(week) if week else timezone.localdate() - timedelta(days=7)
        start = week_of(day)
        organisations = Rumour.objects.values_list("organisation_id", flat=True).distinct()
        for organisation_id in organisations:
            render_weekly_summary.enqueue(organisation_id, start.isoformat())
        self.stdout.write(f"{len(organisations)} weekly summaries for the week from {start} enqueued.")
