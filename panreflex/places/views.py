from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Place


def place_list(request):
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.place_list(query=query, kind=kind), 50).get_page(request.GET.get("page"))
    return render(request, "places/place_list.html", {"page": page, "query": query, "kind": kind, "kinds": Place.Kind.choices})


def place_detail(request, pk):
    place = get_object_or_404(Place.objects.select_related("parent", "parent__parent"), pk=pk)
    return render(request, "places/place_detail.html", {"place": place})
