from django.db.models import Q, QuerySet

from .models import Place


def place_list(*, query: str = "", kind: str = "") -> QuerySet[Place]:
    qs = Place.objects.select_related("parent").defer("boundary", "parent__boundary")
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(ags__startswith=query))
    return qs.order_by("name", "kind")


def children_of(*, place: Place) -> QuerySet[Place]:
    return place.children.defer("boundary").order_by("name")


def municipality_by_ags(ags: str) -> Place | None:
    return Place.objects.filter(kind=Place.Kind.MUNICIPALITY, ags=ags).first()


def municipalities(*, state: str = "05", min_population: int | None = None) -> QuerySet[Place]:
    qs = Place.objects.filter(kind=Place.Kind.MUNICIPALITY, ags__startswith=state)
    if min_population is not None:
        qs = qs.filter(population__gte=min_population)
    return qs.order_by("name")
