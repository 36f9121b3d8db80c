"""The public REST API, version 1: one router, one module per domain (panreflex/api/<domain>.py)."""

from django.urls import path

from . import practices

app_name = "api"
urlpatterns = [
    path("practices/", practices.practice_list, name="practice_list"),
    path("practices/<int:pk>/", practices.practice_detail, name="practice_detail"),
]
