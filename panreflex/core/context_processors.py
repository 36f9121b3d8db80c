from django.conf import settings

from . import registry


def platform(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    nav = [e for e in registry.nav_entries() if signed_in or not e.requires_login]
    return {
        "nav_entries": nav,
        "platform_name": "PanReflex",
        "debug": settings.DEBUG,
    }
