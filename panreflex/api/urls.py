"""The public REST API, version 1: one router, one module per domain (panreflex/api/<domain>.py)."""

from django.urls import path  # noqa: F401

app_name = "api"
urlpatterns: list = []
