"""panreflex import-xlsform FILE.xlsx [--organisation SLUG] [--strict]

Imports an XLSForm as a new draft survey. What cannot be represented is listed (one line each); the
new survey's id is printed alone on the last line. Invalid forms: exit status 1, nothing stored."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panreflex.accounts.models import Organisation, User
from panreflex.surveys.services.xlsform import XLSFormError, format_report, import_xlsform


class Command(BaseCommand):
    help = "Import an XLSForm workbook as a new survey; prints the survey id on the last line."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", default="", help="Owner (organisation slug); default: the research team.")
        parser.add_argument("--user", default="", help="E-mail of the user recorded as creator.")
        parser.add_argument("--strict", action="store_true", help="Refuse the form if anything cannot be represented.")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if opts["organisation"]:
            org = Organisation.objects.filter(slug=opts["organisation"]).first()
            if org is None:
                raise CommandError(f"No organisation with the short name “{opts['organisation']}”.")
        else:
            org = Organisation.objects.filter(kind=Organisation.Kind.RESEARCH).order_by("pk").first()
            if org is None:
                raise CommandError("No research organisation exists; name the owner with --organisation SLUG.")
        actor = User.objects.filter(email__iexact=opts["user"]).first() if opts["user"] else None
        try:
            result = import_xlsform(data=path.read_bytes(), filename=path.name, actor=actor, organisation=org,
                                    strict=opts["strict"])
        except XLSFormError as exc:
            raise CommandError(f"{path.name}: the XLSForm was not imported (nothing stored):\n" + "\n".join(exc.messages)) from exc
        for line in format_report(result.report):
            self.stdout.write(f"not used: {line}")
        self.stdout.write(str(result.survey.pk))
