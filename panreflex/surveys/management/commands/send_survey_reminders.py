"""panreflex send-survey-reminders [--survey ID] [--min-days N]  (run daily, e.g. from cron)"""

from django.core.management.base import BaseCommand, CommandError

from panreflex.surveys.models import Survey
from panreflex.surveys.services.fieldwork import reminders_send, reminders_send_all


class Command(BaseCommand):
    help = "Remind invited organisations and people who have not submitted (at most every --min-days days)."

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, default=None)
        parser.add_argument("--min-days", type=int, default=7)

    def handle(self, *args, **opts):
        if opts["survey"]:
            survey = Survey.objects.filter(pk=opts["survey"]).first()
            if survey is None:
                raise CommandError(f"No survey with id {opts['survey']}.")
            counts = {survey.pk: reminders_send(survey=survey, min_days=opts["min_days"])}
        else:
            counts = reminders_send_all(min_days=opts["min_days"])
        for pk, n in counts.items():
            self.stdout.write(f"survey {pk}: {n} reminder(s) sent")
        self.stdout.write(f"{sum(counts.values())} reminder(s) sent in all")
