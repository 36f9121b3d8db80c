from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs):
    if settings.SECRET_KEY == getattr(settings, "DEV_SECRET_KEY", None):
        return [
            Error(
                "SECRET_KEY is not set: the built-in development key is in use.",
                hint="Set SECRET_KEY or SECRET_KEY_FILE in the environment.",
                id="panreflex.E001",
            )
        ]
    return []


@register(Tags.security)
def csrf_in_cookie_check(app_configs, **kwargs):
    """`core.middleware.CsrfViewMiddleware` runs on the event loop under ASGI: the CSRF secret must come
    from the cookie, not from the session (a database read)."""
    if getattr(settings, "CSRF_USE_SESSIONS", False):
        return [Error("CSRF_USE_SESSIONS must stay off: the CSRF middleware reads the token without I/O.",
                      hint="Keep the CSRF token in its cookie.", id="panreflex.E002")]
    return []


REQUIRED_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware": "panreflex.W001",
    "django.middleware.clickjacking.XFrameOptionsMiddleware": "panreflex.W002",
    "django.middleware.csrf.CsrfViewMiddleware": "panreflex.W003",
}


@register(Tags.security, deploy=True)
def middleware_check(app_configs, **kwargs):
    """Django's security.W001–W003, by class instead of dotted name: `core.middleware` installs subclasses
    of these (same behaviour, no thread hop under ASGI)."""
    from django.utils.module_loading import import_string

    installed = [import_string(path) for path in settings.MIDDLEWARE]
    return [
        Warning(f"{required} (or a subclass of it) is not in MIDDLEWARE.", id=check_id)
        for required, check_id in REQUIRED_MIDDLEWARE.items()
        if not any(issubclass(cls, import_string(required)) for cls in installed if isinstance(cls, type))
    ]


def undeclared_view_arguments() -> list[str]:
    """URL arguments of project views that the view does not declare with `policy.loads` (issue 13):
    every object a URL names must be fetched through the policy, or be declared as something else
    (inside another object, a secret token, a generic link, reference data)."""
    from django.urls import get_resolver

    problems: list[str] = []

    def declared(callback) -> dict | None:
        for holder in (callback, getattr(callback, "view_class", None)):
            loads = getattr(holder, "panreflex_loads", None)
            if loads is not None:
                return loads
        return None

    def visit(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                visit(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
                continue
            callback = pattern.callback
            if not getattr(callback, "__module__", "").startswith("panreflex."):
                continue
            name = f"{namespace}{pattern.name or callback.__name__}"
            loads = declared(callback)
            if loads is None:
                problems.append(f"{name}: the view does not declare what it loads (policy.loads)")
                continue
            for argument in pattern.pattern.converters:
                if argument not in loads:
                    problems.append(f"{name}: URL argument {argument!r} is not declared")
    visit(get_resolver())
    return problems


@register(Tags.security, Tags.urls)
def views_declare_what_they_load(app_configs, **kwargs):
    return [Error(problem, hint="Decorate the view with accounts.policy.loads(...).", id="panreflex.E013")
            for problem in undeclared_view_arguments()]
