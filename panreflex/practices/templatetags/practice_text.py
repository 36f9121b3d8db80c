"""`prose`: Markdown for practice texts that keeps German gender stars (Bewohner*innen) as text.

CommonMark treats a `*` between two letters as possible emphasis, so "Bewohner*innen … Bewohner*in" would
turn the words in between italic. The filter escapes such stars before the platform's sanitising
Markdown renderer (`panreflex.lib.markdown.render_markdown`) runs.
"""

import re

from django import template
from django.utils.safestring import mark_safe

from panreflex.lib.markdown import render_markdown

register = template.Library()
_GENDER_STAR = re.compile(r"(?<=[^\W_\d])\*(?=[^\W_\d])")


def escape_gender_stars(text: str) -> str:
    return _GENDER_STAR.sub(r"\\*", text or "")


@register.filter
def prose(value: str) -> str:
    return mark_safe(render_markdown(escape_gender_stars(value)))  # noqa: S308 - sanitised by nh3
