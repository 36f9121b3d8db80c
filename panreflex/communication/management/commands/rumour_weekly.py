"""`panreflex rumour-weekly [--week YYYY-MM-DD] [--again]`: ask the background worker for the weekly rumour
summary (PDF) of every organisation with entries in its register.

Idempotent per week: an organisation whose summary of that week already exists is skipped, so running
the command twice (a timer that fires again, a manual run after the timer) asks for nothing new.
`--again` renders existing summaries anew. Run it weekly, e.g. Monday 06:00 from cron
(`0 6 * * 1 panreflex rumour-weekly`) or a systemd timer (`OnCalendar=Mon *-*-* 06:00`); see
docs/apps/communication.md."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Enqueue the weekly rumour summaries (PDF) for the background worker (once per week and organisation)."

    def add_arguments(self, parser):
        parser.add_argument("--week", default="", help="Any day of the week (default: last week).")
        parser.add_argument("--again", action="store_true", help="Render summaries that exist already anew.")

    def handle(self, *args, week: str, again: bool, **options):
        from ...models import Rumour, WeeklySummary
        from ...services.rumours import week_of
        from ...tasks import render_weekly_summary

        try:
            day = date.fromisoformat(week) if week else timezone.localdate() - timedelta(days=7)
        except ValueError as exc:
            raise CommandError(f"--week: not a date in the form YYYY-MM-DD: {week!r}") from exc
        start = week_of(day)
        organisations = set(Rumour.objects.values_list("organisation_id", flat=True).distinct())
        done = set() if again else set(
            WeeklySummary.objects.filter(week_start=start, organisation_id__in=organisations)
            .exclude(pdf="").values_list("organisation_id", flat=True))
        todo = sorted(organisations - done)
        for organisation_id in todo:
            render_weekly_summary.enqueue(organisation_id, start.isoformat())
        self.stdout.write(f"{len(todo)} weekly summaries for the week from {start} enqueued"
                          f" ({len(done)} already there).")
