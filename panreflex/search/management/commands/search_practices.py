"""`panreflex search-practices "QUERY" [--theme CODE ...] [--public] --json`"""

import json

from django.core.management.base import BaseCommand, CommandError

from panreflex.practices.models import Practice
from panreflex.search.query import ranked_hits


class Command(BaseCommand):
    help = "Search practice examples with the German analyser and print the ranked hits."

    def add_arguments(self, parser):
        parser.add_argument("query", help="Search words, e.g. \"Bus für Impfungen\".")
        parser.add_argument("--theme", action="append", default=[], metavar="CODE",
                            help="Only examples with this focus theme (repeatable, e.g. --theme T3).")
        parser.add_argument("--public", action="store_true", help="Only published public examples.")
        parser.add_argument("--json", action="store_true", help="Print a JSON list of {id, title, score}.")
        parser.add_argument("--limit", type=int, default=None, help="At most this many hits.")

    def handle(self, *args, **options):
        query = " ".join(options["query"].split())
        if not query:
            raise CommandError("Give a search query.")
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be 1 or more.")
        from panreflex.taxonomy.models import Term

        known = set(Term.objects.filter(vocabulary="theme", code__in=options["theme"]).values_list("code", flat=True))
        unknown = [c for c in options["theme"] if c not in known]
        if unknown:
            raise CommandError(f"Unknown theme code: {', '.join(unknown)}")
        filters = {"theme": options["theme"]} if options["theme"] else {}
        rows = ranked_hits(q=query, everything=not options["public"], public_only=options["public"],
                           filters=filters, limit=options["limit"])
        titles = dict(Practice.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "title"))
        hits = [{"id": pk, "title": titles.get(pk, ""), "score": round(score, 4)} for pk, score in rows]
        if options["json"]:
            self.stdout.write(json.dumps(hits, ensure_ascii=False))
            return
        for hit in hits:
            self.stdout.write(f"{hit['score']:>8.4f}  {hit['id']:>6}  {hit['title']}")
        self.stdout.write(f"{len(hits)} hits")
