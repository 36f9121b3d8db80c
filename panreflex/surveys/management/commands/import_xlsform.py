"""panreflex import-xlsform FILE.xlsx [--organisation SLUG] [--attachment FILE.csv …] [--strict]

Imports an XLSForm (.xlsx or .xls) as a new draft survey; external choice lists come from the CSV
files named with --attachment (or lying next to the form). What the web form does not use is listed
(one line each); the new survey's id is printed alone on the last line. Invalid forms: exit status 1,
nothing stored. Without --organisation the survey belongs to the research team, which is created on
a fresh installation that has none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from panreflex.accounts.models import Organisation, User
from panreflex.accounts.services import research_organisation_ensure
from panreflex.surveys.services.xlsform import XLSFormError, format_report, import_xlsform


class Command(BaseCommand):
    help = "Import an XLSForm workbook as a new survey; prints the survey id on the last line."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", default="", help="Owner (organisation slug); default: the research team.")
        parser.add_argument("--user", default="", help="E-mail of the user recorded as creator.")
        parser.add_argument("--strict", action="store_true", help="Refuse the form if anything cannot be represented.")
        parser.add_argument("--attachment", action="append", default=[],
                            help="A CSV file of an external choice list (select_one_from_file); repeatable.")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if opts["organisation"]:
            org = Organisation.objects.filter(slug=opts["organisation"]).first()
            if org is None:
                raise CommandError(f"No organisation with the short name “{opts['organisation']}”.")
        actor = User.objects.filter(email__iexact=opts["user"]).first() if opts["user"] else None
        attachments = {}
        for name in opts["attachment"]:
            attachment = Path(name)
            if not attachment.is_file():
                raise CommandError(f"{attachment}: no such file.")
            attachments[attachment.name] = attachment.read_bytes()
        for sibling in path.parent.glob("*.csv"):  # as KoboToolbox keeps media next to the form
            attachments.setdefault(sibling.name, sibling.read_bytes())
        created = False
        try:
            with transaction.atomic():
                if not opts["organisation"]:
                    org, created = research_organisation_ensure(actor=actor)
                result = import_xlsform(data=path.read_bytes(), filename=path.name, actor=actor, organisation=org,
                                        strict=opts["strict"], attachments=attachments)
        except XLSFormError as exc:
            raise CommandError(f"{path.name}: the XLSForm was not imported (nothing stored):\n" + "\n".join(exc.messages)) from exc
        if created:
            self.stderr.write(f"Created the research organisation “{org.name}” (short name {org.slug}) as the owner.")
        for line in format_report(result.report):
            self.stdout.write(f"not used: {line}")
        self.stdout.write(str(result.survey.pk))
