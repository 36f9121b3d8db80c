"""Fixtures shared by the survey tests."""

import pytest
from django.utils import translation

from .factories import make_survey


@pytest.fixture
def english(settings):
    """Run a test in English (messages are asserted in their source language)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def survey(personas):
    """A fielded demo-style survey of the research team."""
    return make_survey(personas.research)
