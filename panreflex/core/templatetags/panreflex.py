"""Template helpers shared by every app: `{% load panreflex %}`."""

from django import template
from django.utils.safestring import mark_safe

from panreflex.lib.markdown import render_markdown

register = template.Library()


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """True when the path starts with the prefix (the home page '/' only matches itself)."""
    if not prefix:
        return False
    if prefix == "/":
        return value == "/"
    return str(value).startswith(str(prefix))


@register.filter
def markdown(value: str) -> str:
    """Render Markdown to sanitised HTML (nh3 allow-list; no script, no event handlers)."""
    return mark_safe(render_markdown(value or ""))  # noqa: S308 - sanitised by nh3


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("includes/form_errors.html")
def form_error_summary(*forms):
    """The error summary at the top of a form (WCAG 3.3.1): links to every field with an error."""
    errors = []
    for form in forms:
        if form is None:
            continue
        for err in form.non_field_errors():
            errors.append(("", err))
        for field in form:
            for err in field.errors:
                errors.append((field.id_for_label, f"{field.label}: {err}"))
    return {"errors": errors}
