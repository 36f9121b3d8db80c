from django.conf import settings
from django.core.checks import Error, Tags, register


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
