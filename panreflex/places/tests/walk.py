from panreflex.places.models import Place
from panreflex.testing.walk import WalkCase, expect


def cases(p):
    dortmund = Place.objects.get(kind="municipality", ags="05913000")
    return [
        WalkCase("places:list", expect=expect(public=200)),
        WalkCase("places:list", query="q=Dort&kind=municipality", expect=expect(public=200)),
        WalkCase("places:detail", kwargs={"pk": dortmund.pk}, expect=expect(public=200)),
    ]
