from panreflex.places.models import Place
from panreflex.testing.walk import WalkCase, expect


def cases(p):
    dortmund = Place.objects.get(kind="municipality", ags="05913000")
    nrw = Place.objects.get(kind="state", ags="05")
    return [
        WalkCase("places:list", expect=expect(public=200)),
        WalkCase("places:list", query="q=Dort&kind=municipality", expect=expect(public=200)),
        WalkCase("places:detail", kwargs={"pk": dortmund.pk}, expect=expect(public=200)),
        WalkCase("places:detail", kwargs={"pk": nrw.pk}, expect=expect(public=200)),
        WalkCase("places:boundary", kwargs={"pk": dortmund.pk}, expect=expect(public=200)),
        # editors of any organisation and staff may add international cities
        WalkCase("places:city_create", expect=expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)),
    ]
