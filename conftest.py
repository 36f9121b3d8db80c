"""Shared pytest fixtures: personas and logged-in clients. See panreflex/testing/personas.py."""

import pytest
from django.test import Client

from panreflex.testing.personas import make_personas


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.AXES_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "panreflex.realtime.layers.InMemoryChannelLayer"}}


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def client_for(personas):
    """client_for("alice") → a Client signed in as alice; client_for("eve") → anonymous."""

    def make(name: str) -> Client:
        client = Client()
        user = personas.user(name)
        if user is not None:
            client.force_login(user)
        return client

    return make
