from django.core.management.base import BaseCommand
from django.db import transaction

from panreflex.core.registry import demo_loaders


class Command(BaseCommand):
    help = "Load demo organisations, users and content (idempotent: what users created is kept)."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="Load only these parts (e.g. accounts practices).")

    def handle(self, *args, only=None, **options):
        for _order, name, loader in demo_loaders():
            if only and name not in only and name != "accounts":
                continue
            with transaction.atomic():
                loader(stdout=self.stdout)
            self.stdout.write(f"demo: {name} loaded")
        from panreflex.accounts.demo import DEMO_PASSWORD, DEMO_USERS

        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD}):"))
        for email, _name, org, role, staff in DEMO_USERS:
            self.stdout.write(f"  {email:36} {org or '-':28} {role or ''}{' (staff)' if staff else ''}")
