"""Persona walk cases for the public API v1: public examples only, for everybody alike."""

from panreflex.search.tests.factories import practice
from panreflex.testing.walk import WalkCase, expect


def setup(p):
    p.api_public = practice(organisation=p.dortmund, title="Öffentliches Beispiel für die API")
    p.api_private = practice(organisation=p.dortmund, title="Privater Entwurf", public=False)


def cases(p):
    return [
        WalkCase("api:practice_list", expect=expect(public=200)),
        WalkCase("api:practice_list", query="q=Beispiel&theme=T1&page=2", expect=expect(public=200)),
        WalkCase("api:practice_detail", kwargs={"pk": p.api_public.pk}, expect=expect(public=200)),
        # even members of the owning organisation and staff: the API only serves public examples
        WalkCase("api:practice_detail", kwargs={"pk": p.api_private.pk}, expect=expect(public=404)),
        WalkCase("api:practice_detail", kwargs={"pk": 999999}, expect=expect(public=404)),
    ]
