"""Settings shared by every environment. Everything that differs comes from the environment."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import django_stubs_ext
import environ
import pghistory
import pgtrigger
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Generic admin and form classes (ModelAdmin[Model]) at run time, as the type stubs declare them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(str(BASE_DIR / ".env"))

# GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
TIME_ZONE = env("TRACKER_TIME_ZONE", default="UTC")
USE_TZ = True
USE_I18N = True
LANGUAGE_CODE = "en"
# The six official languages of the United Nations. Arabic is written right to left.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
SITE_NAME = env("TRACKER_SITE_NAME", default="Recommendations Tracker")
# The State whose recommendations this installation tracks (ISO 3166 alpha-3).
TRACKER_COUNTRY = env("TRACKER_COUNTRY", default="")
# Whether `load_demo_data` may run: its accounts share a published password. Unset: DEBUG decides
# (allowed on a laptop, refused in production). See tracker/demo.
TRACKER_DEMO_DATA_ALLOWED = env.bool("TRACKER_DEMO_DATA_ALLOWED", default=None)

# DATABASES
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tracker")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "template_partials",
    "pgtrigger",
    "pghistory",
    "rules.apps.AutodiscoverRulesConfig",
    "tracker",
    "recommendations",
    "plans",
    "reporting",
]

AUTH_USER_MODEL = "tracker.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]
ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

# TEMPLATES
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
                "tracker.context_processors.site",
                "tracker.context_processors.csp_nonce",
            ],
        },
    }
]

# STATIC
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages are installed by npm (package.json) and served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("TRACKER_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# SECURITY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp). Scripts and styles come from our own origin only: no
# page has an inline script, an inline <style> or a style="" attribute (tests/views/test_csp.py
# checks every page, and the browser tests fail on any violation). Script tags carry the
# request's nonce (`csp_nonce` in templates), which the header then names. Bootstrap's CSS draws
# its icons (menu toggler, select arrow, checkbox tick) as data: SVG images. JavaScript that sets
# element.style (Bootstrap's collapse, Swagger UI) is not governed by style-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# EMAIL
# e.g. smtp+tls://user:password@smtp.example.org:587 ; the console by default.
vars().update(env.email_url("DJANGO_EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="tracker@localhost")

# CELERY
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
# With no broker configured (the quick start), tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The UHRI feed imported every night, when configured.
TRACKER_UHRI_FEED_URL = env("TRACKER_UHRI_FEED_URL", default="")
TRACKER_UHRI_FEED_COUNTRY = env("TRACKER_UHRI_FEED_COUNTRY", default=TRACKER_COUNTRY)
TRACKER_UHRI_FEED_FORMAT = env("TRACKER_UHRI_FEED_FORMAT", default="")
TRACKER_UHRI_FEED_HOUR = env.int("TRACKER_UHRI_FEED_HOUR", default=2)
# URL imports fetch only from global addresses, and from these networks (CIDR, comma-separated):
# a feed mirrored on the ministry's own network, say. See recommendations/importers/fetch.py.
TRACKER_IMPORT_URL_ALLOWED_NETWORKS = env.list("TRACKER_IMPORT_URL_ALLOWED_NETWORKS", default=[])
try:
    [
        ipaddress.ip_network(name.strip(), strict=False)
        for name in TRACKER_IMPORT_URL_ALLOWED_NETWORKS
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"TRACKER_IMPORT_URL_ALLOWED_NETWORKS: {exc}") from None
# Uploaded feeds (up to 1 GB each) are deleted this many days after their run finished; 0 keeps them.
TRACKER_IMPORT_UPLOAD_DAYS = env.int("TRACKER_IMPORT_UPLOAD_DAYS", default=30)
# The largest document a consultation keeps, in bytes (plans/documents.py).
TRACKER_DOCUMENT_MAX_BYTES = env.int("TRACKER_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "import-uploads-purge": {
        "task": "recommendations.tasks.import_uploads_purge",
        "schedule": crontab(hour=4, minute=30),
    },
}
if TRACKER_UHRI_FEED_URL:
    CELERY_BEAT_SCHEDULE["uhri-import"] = {
        "task": "recommendations.tasks.uhri_import_scheduled",
        "schedule": crontab(hour=TRACKER_UHRI_FEED_HOUR, minute=0),
    }

# CACHES
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# REST FRAMEWORK
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only: DRF's browsable HTML API has inline styles (Content Security Policy); people
    # explore the API in its documentation (/api/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.exception_handler.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Recommendations Tracker API",
    "DESCRIPTION": "Recommendations from the UN human rights mechanisms and their follow-up.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets that share a field name ("kind", "status") get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "MeasureKindEnum": "plans.models.MeasureKind",
        "MeasureStatusEnum": "plans.models.MeasureStatus",
        "IndicatorKindEnum": "plans.models.IndicatorKind",
        "FrameworkKindEnum": "plans.models.FrameworkKind",
    },
}

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# AUDIT (django-pghistory): inserts, updates that change a tracked field, and deletes
# (tracker.audit.track). One trigger per statement, not per row: it reads the statement's
# transition tables, so a bulk import writes its events in one INSERT ... SELECT.
PGHISTORY_LEVEL = pgtrigger.Statement
PGHISTORY_OBJ_FIELD = pghistory.ObjForeignKey(db_index=True)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextForeignKey(db_index=True)
# The copied foreign keys of an event table are not indexed: each index costs every insert (an
# import writes hundreds of thousands of events) and history is read by object and context. Event
# tables that the history page reads by recommendation index that column themselves.
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
# Event tables are append-only: the database refuses to update or delete history.
PGHISTORY_APPEND_ONLY = True
# The link tables of many-to-many fields are auto-created: their audit triggers cannot live in a
# migration, so django-pgtrigger installs them after every migrate.
PGTRIGGER_INSTALL_ON_MIGRATE = True
