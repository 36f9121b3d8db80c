from django.core.management.base import BaseCommand
from django.db import transaction

from panreflex.places.models import Place
from panreflex.places.reference import load_reference_places


class Command(BaseCommand):
    help = "Load or refresh the shipped reference places (states, districts, NRW municipalities). Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load_reference_places(Place)
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
