from django.core.management.base import BaseCommand

from panreflex.multilevel.models import Event, Series
from panreflex.multilevel.reference import load_events, load_series
from panreflex.places.models import Place


class Command(BaseCommand):
    help = "Load or refresh the shipped chronology (OxCGRT, CCCSL, curated NRW list) and the series under the timeline."

    def handle(self, *args, **options):
        counts = load_events(Event)
        n = load_series(Series, Place)
        self.stdout.write(f"events: {counts}; series: {n}")
