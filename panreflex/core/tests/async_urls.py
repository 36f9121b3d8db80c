"""A URLconf with one async and one sync view, for the middleware and handler tests (`test_shell.py`)."""

import threading
import time

from django.http import HttpResponse
from django.urls import path


async def ping(request):
    return HttpResponse("pong")


def thread_name(request):
    """Which thread runs a sync view (`?sleep=0.2` holds it a moment)."""
    time.sleep(float(request.GET.get("sleep", 0)))
    return HttpResponse(threading.current_thread().name)


urlpatterns = [path("ping/", ping), path("thread/", thread_name)]
