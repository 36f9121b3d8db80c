from datetime import date

from django.core.management.base import BaseCommand, CommandError

from panreflex.improvements import services
from panreflex.improvements.tasks import send_action_reminders


class Command(BaseCommand):
    help = (
        "Send reminder e-mails for action items due soon (default 7 days before) and overdue ones. "
        "Enqueues a background task (run `panreflex db_worker`), or sends now with --now. "
        "Run it daily (cron or systemd timer); reminders already sent are not repeated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send in this process instead of enqueuing.")
        parser.add_argument("--days-before", type=int, default=services.REMINDER_DAYS_BEFORE)
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for tests and catching up.")

    def handle(self, *args, now=False, days_before=7, today=None, **options):
        if today:
            try:
                date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be a date like 2026-03-01, not {today!r}.") from exc
        if days_before < 0:
            raise CommandError("--days-before must not be negative.")
        if now:
            counts = services.action_item_reminders_send(
                today=date.fromisoformat(today) if today else None, days_before=days_before
            )
            self.stdout.write(
                f"reminders sent: {counts['before']} before, {counts['after']} after due date, "
                f"{counts['skipped']} skipped"
            )
            return
        result = send_action_reminders.enqueue(today=today, days_before=days_before)
        self.stdout.write(f"reminder task enqueued: {result.id} ({result.status})")
