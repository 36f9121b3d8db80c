"""Strings of panreflex/lib/charts.py, listed here so that makemessages puts them into this app's German
catalogue (lib/ has no catalogue of its own; Django merges all catalogues at runtime)."""

from django.utils.translation import gettext_noop

CHART_STRINGS = [
    gettext_noop("Show the numbers as a table"),
    gettext_noop("No answers"),
    gettext_noop("Answer"),
    gettext_noop("Count"),
    gettext_noop("Percent"),
    gettext_noop("Base"),
    gettext_noop("Range"),
    gettext_noop("Mean / median"),
    gettext_noop("%(n)s answers, mean %(mean)s, median %(median)s, from %(min)s to %(max)s"),
]
