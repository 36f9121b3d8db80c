"""A URLconf with one async view, for the middleware tests (`test_shell.py`)."""

from django.http import HttpResponse
from django.urls import path


async def ping(request):
    return HttpResponse("pong")


urlpatterns = [path("ping/", ping)]
