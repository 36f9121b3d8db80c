"""PanReflex settings: one file, driven by the environment (see docs/architecture.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


# --- typed environment helpers -------------------------------------------------------------
def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


# --- core ----------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("PANREFLEX_DATA_DIR", str(BASE_DIR / "var")))
DEV_SECRET_KEY = "insecure-development-key-only-for-demo-and-tests-0123456789abcdef"
# Without SECRET_KEY the development key is used; `panreflex check --deploy` reports it (core.checks).
SECRET_KEY = env_secret("SECRET_KEY") or DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    # PanReflex domains first, so that their translations and templates take precedence
    # (one app per domain; see docs/architecture.md)
    "panreflex.core",
    "panreflex.accounts",
    "panreflex.audit",
    "panreflex.places",
    "panreflex.taxonomy",
    "panreflex.search",
    "panreflex.practices",
    "panreflex.realtime",
    "panreflex.workshops",
    "panreflex.improvements",
    "panreflex.evidence",
    "panreflex.surveys",
    "panreflex.vulnerability",
    "panreflex.multilevel",
    "panreflex.communication",
    "panreflex.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

# Django's own middleware through `panreflex.core.middleware` subclasses that run their hooks on the event
# loop under ASGI (no thread hop each); same behaviour under WSGI and in the test client
MIDDLEWARE = [
    "panreflex.core.middleware.SecurityMiddleware",
    "panreflex.core.middleware.StaticFilesMiddleware",  # WhiteNoise, async capable
    "panreflex.core.middleware.CSPMiddleware",
    "panreflex.core.middleware.SessionMiddleware",
    "panreflex.core.middleware.LocaleMiddleware",
    "panreflex.core.middleware.CommonMiddleware",
    "panreflex.core.middleware.CsrfViewMiddleware",
    "panreflex.core.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "panreflex.core.middleware.MessageMiddleware",
    "panreflex.core.middleware.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "panreflex.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "panreflex.core.context_processors.platform",
            ],
            "builtins": ["django.templatetags.i18n", "template_partials.templatetags.partials"],
        },
    }
]

# --- database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL -----------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend plus a prompt write lock between processes (panreflex/core/db/sqlite3)
            "ENGINE": ("panreflex.core.db.sqlite3" if env_bool("SQLITE_WRITE_LOCK", True)
                       else "django.db.backends.sqlite3"),
            "NAME": DATA_DIR / "panreflex.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": env_str("PANREFLEX_TEST_SQLITE", "") or ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and security ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "panreflex.accounts.backends.EmailBackend",
    "panreflex.accounts.backends.ProjectTeamPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

# Optional base map for Leaflet maps, e.g. "https://tiles.example.org/{z}/{x}/{y}.png" (its host must also be
# listed in MAP_TILE_HOSTS for the CSP). Empty: maps draw only the platform's own boundaries.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
OTP_TOTP_ISSUER = "PanReflex"

# django-axes: lock an account+address after repeated failures
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Content-Security-Policy (django-csp 4): no inline script, nothing from third-party hosts
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"] + env_list("MAP_TILE_HOSTS"),
        "font-src": [SELF],
        "connect-src": [SELF, "ws:", "wss:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- e-mail: SMTP in production, console in the demo ------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PanReflex <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- realtime and background work --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis pub/sub: an event is published once per room group and each server process fans it out
    # to its own connections (channels_redis' list-based layer stores one copy per connection in
    # Redis and pops them one by one; see docs/realtime.md for the measurement). Pub/sub ignores the
    # database number of the URL: REDIS_CHANNEL_PREFIX separates installations on one Redis.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("REDIS_CHANNEL_PREFIX", "panreflex")},
        }
    }
else:
    # capacity: messages a slow connection may lag behind before the layer drops them (workshops)
    CHANNEL_LAYERS = {"default": {"BACKEND": "panreflex.realtime.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}}

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "de")
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "panreflex_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The e-mail address is unique case-insensitively (constraint accounts_user_email_ci_unique).
# security.W001–W003 look for Django's middleware by dotted name; `core.checks.middleware_check` asks the same
# of the classes installed (the subclasses in `core.middleware` count)
SILENCED_SYSTEM_CHECKS = ["auth.W004", "security.W001", "security.W002", "security.W003"]
