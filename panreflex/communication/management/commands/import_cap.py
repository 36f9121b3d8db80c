"""`panreflex import-cap FILE [--organisation SLUG]`: import one CAP 1.2 alert into the register of past
warnings. Prints the alert's id alone on the last line; on bad input exits non-zero with the problem
in one line and stores nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import a CAP 1.2 alert (XML file, '-' for standard input) into the register of past warnings."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", default="", help="Slug of the owning organisation (default: the "
                                                                "shared register, public for scope Public).")

    def handle(self, *args, file: str, organisation: str, **options):
        from panreflex.accounts.models import Organisation

        from ...cap import MAX_BYTES, CapError
        from ...services import alert_import

        try:
            if file == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"No such file: {file}")
                with path.open("rb") as handle:
                    data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        owner = None
        if organisation:
            owner = Organisation.objects.filter(slug=organisation).first()
            if owner is None:
                raise CommandError(f"No organisation with the short name {organisation!r}.")
        try:
            alert, created = alert_import(data=data, organisation=owner)
        except CapError as exc:
            raise CommandError(" ".join(str(exc).split())) from exc
        if not created:
            self.stderr.write(f"Already in the register (same document): {alert.pk}")
        self.stdout.write(str(alert.pk))
