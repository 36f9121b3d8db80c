"""`panreflex reindex-practices`: rebuild the full-text index of all practice examples."""

import time

from django.core.management.base import BaseCommand

from panreflex.search.services import practice_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of all practice examples."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = practice_reindex_all()
        self.stdout.write(f"Indexed {count} practice examples in {time.perf_counter() - started:.1f} s.")
