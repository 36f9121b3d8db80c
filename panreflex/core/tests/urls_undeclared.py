"""URLs for test_view_declarations: one view without a declaration, one with a missing argument."""

from django.http import HttpResponse
from django.urls import path

from panreflex.accounts.policy import loads
from panreflex.practices.models import Practice


def bare(request, pk):
    return HttpResponse()


@loads(pk=Practice)
def half(request, pk, other):
    return HttpResponse()


urlpatterns = [path("a/<int:pk>/", bare, name="bare"), path("b/<int:pk>/<int:other>/", half, name="half")]
