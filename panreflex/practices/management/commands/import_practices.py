"""panreflex import-practices FILE [--organisation SLUG] [--dry-run] [--as-user EMAIL]"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from panreflex.accounts.models import Organisation
from panreflex.accounts.services import research_organisation_ensure
from panreflex.practices.transfer.importer import check_size, practices_import


class Command(BaseCommand):
    help = (
        "Import practice examples from a CSV, XLSX or JSON file (all or nothing). Rows without an "
        "organisation belong to --organisation. Without --as-user the import acts as the system."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or Windows-1252, ',' or ';'), XLSX or JSON")
        parser.add_argument("--organisation", help="slug of the organisation owning rows without one")
        parser.add_argument("--dry-run", action="store_true", help="check only, store nothing")
        parser.add_argument("--as-user", help="e-mail of the user the import acts for (access rules apply)")

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"No such file: {path}")
        problem = check_size(os.path.getsize(path))  # before the file is read
        if problem:
            raise CommandError(problem)
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Unknown organisation: {options['organisation']}")
        actor = None
        if options["as_user"]:
            actor = get_user_model().objects.filter(email__iexact=options["as_user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Unknown or inactive user: {options['as_user']}")
        with open(path, "rb") as handle:
            data = handle.read()
        with transaction.atomic():
            created = False
            if organisation is None and not Organisation.objects.exists():
                # a fresh installation: rows without an organisation go to the research team
                organisation, created = research_organisation_ensure(actor=actor)
            report = practices_import(
                data=data, filename=os.path.basename(path), actor=actor, organisation=organisation,
                dry_run=options["dry_run"],
            )
            if created and (report.errors or report.dry_run):
                transaction.set_rollback(True)  # nothing stored: not the organisation either
        if created and not (report.errors or report.dry_run):
            self.stderr.write(f"Created the research organisation “{organisation.name}” (short name "
                              f"{organisation.slug}) for the rows without an organisation.")
        for row in report.rows:
            if row.failed:
                continue
            verb = "skip" if row.action == "skip" else ("would create" if not report.stored else "created")
            ident = f" #{row.practice_id}" if row.practice_id else ""
            self.stdout.write(f"row {row.row}: {verb}{ident} {row.title} ({row.organisation})")
            for note in row.notes:
                self.stdout.write(f"    {note}")
        if report.errors:
            for error in report.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f", column {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported.")
        summary = f"{len(report.to_create)} to create, {len(report.skipped)} skipped"
        if report.dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run: {summary}; nothing stored."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
