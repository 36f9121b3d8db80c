from django.conf import settings
from django.urls import NoReverseMatch, reverse

from . import registry


def platform(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    nav = []
    for entry in registry.nav_entries():
        if entry.requires_login and not signed_in:
            continue
        try:
            nav.append((entry, reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    # The current area is the entry with the longest URL that the path starts with
    # (/empfehlungen/erkenntnisse/ is "Erkenntnisse", not also "Handlungsempfehlungen").
    path = getattr(request, "path", "")
    matches = [url for _e, url in nav if url != "/" and path.startswith(url)]
    active = max(matches, key=len) if matches else ""
    return {
        "nav_entries": [e for e, _url in nav],
        "nav_links": [{"label": e.label, "url": url, "order": e.order, "active": url == active} for e, url in nav],
        "platform_name": "PanReflex",
        "debug": settings.DEBUG,
    }
