"""Persona walk cases for the search pages (see panreflex/testing/walk.py)."""

from panreflex.search.models import Synonym
from panreflex.testing.walk import WalkCase, expect

STAFF_ONLY = expect(anonymous=302, default=404, dora=200)


def setup(p):
    p.search_synonym = Synonym.objects.create(terms="Obdachlose, Wohnungslose, Testgruppe")


def cases(p):
    pk = {"pk": p.search_synonym.pk}
    return [
        WalkCase("search:practices", expect=expect(public=200)),
        WalkCase("search:practices", query="q=Impfbus&theme=T3&sort=newest&page=3", expect=expect(public=200)),
        WalkCase("search:practices", query="q=Impfung", htmx=True, expect=expect(public=200)),
        WalkCase("search:synonyms", expect=STAFF_ONLY),
        WalkCase("search:synonym_create", expect=STAFF_ONLY),
        WalkCase("search:synonym_edit", kwargs=pk, expect=STAFF_ONLY),
        WalkCase("search:synonym_delete", kwargs=pk, expect=STAFF_ONLY),
    ]
