import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in the source language (English); test_i18n checks the German catalogue."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
