"""panreflex export-xlsform SURVEY_ID --output FILE.xlsx [--form-version N]

The CSV files of external choice lists are written next to the workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panreflex.surveys.models import Survey
from panreflex.surveys.services.xlsform import export_attachments, export_xlsform


class Command(BaseCommand):
    help = "Write a survey's questionnaire as an XLSForm workbook."

    def add_arguments(self, parser):
        parser.add_argument("survey_id", type=int)
        parser.add_argument("--output", required=True)
        parser.add_argument("--form-version", dest="form_version", type=int, default=None, help="Version number (default: the latest).")

    def handle(self, *args, **opts):
        survey = Survey.objects.filter(pk=opts["survey_id"]).first()
        if survey is None:
            raise CommandError(f"No survey with id {opts['survey_id']}.")
        versions = survey.versions.order_by("-number")
        version = versions.filter(number=opts["form_version"]).first() if opts["form_version"] else versions.first()
        if version is None:
            raise CommandError(f"Survey {survey.pk} has no version {opts['version']}.")
        out = Path(opts["output"])
        out.write_bytes(export_xlsform(version=version))
        for name, content in export_attachments(version=version).items():  # external choice lists, next to it
            (out.parent / name).write_bytes(content)
            self.stdout.write(f"{out.parent / name} (choices of {name})")
        self.stdout.write(f"{out} (survey {survey.pk}, version {version.number})")
