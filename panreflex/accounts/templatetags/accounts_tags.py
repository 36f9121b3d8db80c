from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (rounded up), e.g. the lock-out time after failed sign-ins."""
    if not isinstance(value, timedelta):
        return 0
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))


@register.filter
def role_label(value) -> str:
    """The translated label of a role value ("editor" → "Redaktion"); other values unchanged."""
    from panreflex.accounts.models import Role

    try:
        return Role(value).label
    except ValueError:
        return value or "–"
