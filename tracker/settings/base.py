"""Settings shared by every environment. Everything that differs comes from the environment."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
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
# A kept connection is checked before each request reuses it: after a database restart the app
# reconnects by itself instead of failing every request on a dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The role the app connects as in production, when the migrations run as another (the owner of the
# tables): after each migrate, it is granted row reads and writes, and on the audit event tables
# reads and inserts only (tracker/dbroles.py). Unset: nothing is granted.
TRACKER_DB_APP_ROLE = env("TRACKER_DB_APP_ROLE", default="")

# APPS
INSTALLED_APPS = [
    # Django's admin with the site of tracker/admin.py: superusers only, nothing tracked deleted.
    "tracker.apps.TrackerAdminConfig",
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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "knox",
    "corsheaders",
    "tracker",
    "recommendations",
    "plans",
    "reporting",
]

AUTH_USER_MODEL = "tracker.User"
AUTHENTICATION_BACKENDS = [
    # First: django-axes refuses a locked-out user and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
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
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# SIGN-IN (django-allauth, its MFA, and django-axes). See tracker/auth.py and README "Sign-in".
# People sign in with their user name; accounts are made by the secretariat (tracker/views.py),
# never by signing up.
ACCOUNT_ADAPTER = "tracker.auth.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "tracker.auth.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["email", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed sign-ins are counted by django-axes alone (one rule, one lockout page).
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("TRACKER_SITE_NAME", default="Recommendations Tracker")
# Two-factor sign-in is required of the roles that see drafts or approve (secretariat,
# validators) and of operators (superusers): until they have set up an authenticator app they
# reach only the set-up pages (tracker.auth.MfaRequiredMiddleware). The local demo leaves it off.
TRACKER_REQUIRE_MFA = env.bool("TRACKER_REQUIRE_MFA", default=True)
# Single sign-on through a government's OpenID Connect identity provider (optional): people
# whose verified e-mail address matches an account sign in to it; nobody gets a new account.
TRACKER_OIDC_SERVER_URL = env("TRACKER_OIDC_SERVER_URL", default="")
TRACKER_OIDC_CLIENT_ID = env("TRACKER_OIDC_CLIENT_ID", default="")
TRACKER_OIDC_CLIENT_SECRET = env("TRACKER_OIDC_CLIENT_SECRET", default="")
TRACKER_OIDC_NAME = env("TRACKER_OIDC_NAME", default="Government sign-in")
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
if TRACKER_OIDC_SERVER_URL:
    if not (TRACKER_OIDC_CLIENT_ID and TRACKER_OIDC_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "TRACKER_OIDC_SERVER_URL needs TRACKER_OIDC_CLIENT_ID and TRACKER_OIDC_CLIENT_SECRET"
        )
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "government",
                "name": TRACKER_OIDC_NAME,
                "client_id": TRACKER_OIDC_CLIENT_ID,
                "secret": TRACKER_OIDC_CLIENT_SECRET,
                "settings": {"server_url": TRACKER_OIDC_SERVER_URL},
            }
        ],
    }
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
# Lockout (django-axes): this many failed sign-ins in a row for one user name from one address
# lock that pair out for the cool-off time; a successful sign-in starts the count again.
AXES_FAILURE_LIMIT = env.int("TRACKER_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("TRACKER_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_CLIENT_IP_CALLABLE = "tracker.security.client_ip"
AXES_VERBOSE = False
# Sessions end after this many minutes without a request (tracker.auth.SessionIdleMiddleware
# pushes the expiry back as requests come), and when the browser closes.
TRACKER_SESSION_IDLE_MINUTES = env.int("TRACKER_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = TRACKER_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it answers only under /api/.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on the API's answers; If-None-Match gets a 304 (tracker/api/conditional.py).
    "tracker.api.conditional.ApiConditionalGetMiddleware",
    # Before CSRF, which reads the body: an upload past TRACKER_UPLOAD_MAX_MB is a 413.
    "tracker.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tracker.auth.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tracker.auth.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# Front-end packages are installed by npm (package.json) and served from node_modules; Bootstrap's
# stylesheets trimmed to what the site uses are built by `make assets` (scripts/trim-css.mjs).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("css/bootstrap", BASE_DIR / "build" / "css"),
]
STORAGES = {
    # Django's, except that a write that fails (a full disk) keeps nothing (tracker/storage.py).
    "default": {"BACKEND": "tracker.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("TRACKER_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# SECURITY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "tracker.security.csrf_failure"
# Whether a reverse proxy that terminates TLS stands in front (the proxy service of
# docker-compose.yml). Only then are its X-Forwarded-Proto and X-Forwarded-For believed: without
# one, anybody could send them.
TRACKER_TRUSTED_PROXY = env.bool("TRACKER_TRUSTED_PROXY", default=False)
if TRACKER_TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# UPLOADS: one limit for every uploaded file, pages and API alike, checked while the body streams
# in (tracker/uploads.py): past it the request is refused with 413 before anything is stored.
TRACKER_UPLOAD_MAX_MB = env.int("TRACKER_UPLOAD_MAX_MB", default=1024)
FILE_UPLOAD_HANDLERS = [
    "tracker.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
# An XLSX file is a zip archive: refused before openpyxl reads it when its parts would unpack to
# more than this, or one part is compressed more than this ratio (a zip bomb).
TRACKER_XLSX_MAX_UNCOMPRESSED_MB = env.int("TRACKER_XLSX_MAX_UNCOMPRESSED_MB", default=4096)
TRACKER_XLSX_MAX_RATIO = env.int("TRACKER_XLSX_MAX_RATIO", default=200)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp). Scripts and styles come from our own origin only: no
# page has an inline script, an inline <style> or a style="" attribute (tests/views/test_csp.py
# checks every page, and the browser tests fail on any violation). Script tags carry the
# request's nonce (`csp_nonce` in templates), which the header then names. Bootstrap's CSS draws
# its icons (menu toggler, select arrow, checkbox tick) as data: SVG images. JavaScript that sets
# element.style (Swagger UI) is not governed by style-src.
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
# A request that hands a job to the broker does not wait long for one that is away: the job stays
# pending and the beat task "jobs-sweep" sends it later (tracker/jobs.py).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("TRACKER_BROKER_CONNECT_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 10,
    # Sending a task does not retry a refused connection (kombu would for the whole timeout); the
    # worker reconnects by its own rules (broker_connection_retry).
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# JOBS (tracker/jobs.py): a worker holds a job under a lease it renews every quarter of this many
# seconds; past it, the worker is taken as gone and the sweeper (every minute) resumes the job.
TRACKER_JOB_LEASE_SECONDS = env.int("TRACKER_JOB_LEASE_SECONDS", default=300)
# A job whose worker was lost more than this many times fails with that reason (a feed that
# kills the worker is not redelivered forever).
TRACKER_JOB_MAX_REDELIVERIES = env.int("TRACKER_JOB_MAX_REDELIVERIES", default=3)
# How often (seconds) beat runs the sweeper and the outbox relay ("jobs-sweep").
TRACKER_JOB_SWEEP_SECONDS = env.int("TRACKER_JOB_SWEEP_SECONDS", default=60)
# The UHRI feed imported every night, when configured.
TRACKER_UHRI_FEED_URL = env("TRACKER_UHRI_FEED_URL", default="")
TRACKER_UHRI_FEED_COUNTRY = env("TRACKER_UHRI_FEED_COUNTRY", default=TRACKER_COUNTRY)
TRACKER_UHRI_FEED_FORMAT = env("TRACKER_UHRI_FEED_FORMAT", default="")
TRACKER_UHRI_FEED_HOUR = env.int("TRACKER_UHRI_FEED_HOUR", default=2)
# The languages of the nightly import, run in this order (en,es: English, then Spanish); empty: one
# feed, its language told by its name or texts. TRACKER_UHRI_FEED_URL may hold "{language}" (en,
# fr, es, ar, ru, zh); TRACKER_UHRI_FEED_URLS gives a language its own URL (es=https://...,fr=...).
TRACKER_UHRI_FEED_LANGUAGES = env.list("TRACKER_UHRI_FEED_LANGUAGES", default=[])
TRACKER_UHRI_FEED_URLS = env.dict("TRACKER_UHRI_FEED_URLS", default={})
# The language whose feed gives the recommendations' fields (tags, positions, States, dates,
# documents); the feeds in the other languages add their texts.
TRACKER_REFERENCE_LANGUAGE = env("TRACKER_REFERENCE_LANGUAGE", default="en")
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
# A URL import stops, refused, past this many megabytes or this many minutes of download.
TRACKER_IMPORT_URL_MAX_MB = env.int("TRACKER_IMPORT_URL_MAX_MB", default=2048)
TRACKER_IMPORT_URL_TIMEOUT_MINUTES = env.int("TRACKER_IMPORT_URL_TIMEOUT_MINUTES", default=30)
# Uploaded feeds (up to TRACKER_UPLOAD_MAX_MB each) are deleted this many days after their run finished; 0 keeps them.
TRACKER_IMPORT_UPLOAD_DAYS = env.int("TRACKER_IMPORT_UPLOAD_DAYS", default=30)
# The largest document a consultation keeps, in bytes (plans/documents.py).
TRACKER_DOCUMENT_MAX_BYTES = env.int("TRACKER_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# Evidence of progress reports: the largest file, in MB, and where the files are kept (outside the
# static and media directories: they are served only by a view that checks who may see them).
TRACKER_EVIDENCE_MAX_MB = env.int("TRACKER_EVIDENCE_MAX_MB", default=20)
TRACKER_EVIDENCE_ROOT = env.path("TRACKER_EVIDENCE_ROOT", default=BASE_DIR / "private")
# Comments: how many a person may send in an hour.
TRACKER_COMMENTS_PER_HOUR = env.int("TRACKER_COMMENTS_PER_HOUR", default=10)
# Reminders: after this many days overdue or waiting, the secretariat is told too.
TRACKER_REMINDER_ESCALATION_DAYS = env.int("TRACKER_REMINDER_ESCALATION_DAYS", default=14)
TRACKER_REMINDER_HOUR = env.int("TRACKER_REMINDER_HOUR", default=6)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "jobs-sweep": {
        "task": "recommendations.tasks.import_runs_sweep",
        "schedule": timedelta(seconds=TRACKER_JOB_SWEEP_SECONDS),
    },
    # The same for the report drafts (reporting/tasks.py).
    "report-jobs-sweep": {
        "task": "reporting.tasks.report_jobs_sweep",
        "schedule": timedelta(seconds=TRACKER_JOB_SWEEP_SECONDS),
    },
    "import-uploads-purge": {
        "task": "recommendations.tasks.import_uploads_purge",
        "schedule": crontab(hour=4, minute=30),
    },
    # Daily reminders (plans/services/notifications.py): each is sent once, however often.
    "reminders-send": {
        "task": "plans.tasks.reminders_send",
        "schedule": crontab(hour=TRACKER_REMINDER_HOUR, minute=0),
    },
}
if TRACKER_UHRI_FEED_URL or TRACKER_UHRI_FEED_URLS:
    CELERY_BEAT_SCHEDULE["uhri-import"] = {
        "task": "recommendations.tasks.uhri_import_scheduled",
        "schedule": crontab(hour=TRACKER_UHRI_FEED_HOUR, minute=0),
    }

# LARGE LISTS
# Past this many rows, a list's count and its facet counts are estimated from a sample of the table
# and the page says "about" (tracker/counting.py); the API's count then carries count_is_exact=false.
TRACKER_FACET_EXACT_LIMIT = env.int("TRACKER_FACET_EXACT_LIMIT", default=10_000)
# Estimated facet counts (past the limit above) are kept this many seconds in the cache, by the rows
# of the sample they were counted on and the language: 0 counts them at every request.
TRACKER_FACET_CACHE_SECONDS = env.int("TRACKER_FACET_CACHE_SECONDS", default=300)
# A search with more matches than this is listed in the list's own order (newest documents first,
# an index), not by relevance: ranking them all would read every match for each page.
TRACKER_SEARCH_RANK_LIMIT = env.int("TRACKER_SEARCH_RANK_LIMIT", default=2_000)

# CACHES
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        # A Redis outage makes the cache miss, not the pages fail (tracker/cache.py).
        "default": {"BACKEND": "tracker.cache.TolerantRedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# REST FRAMEWORK
REST_FRAMEWORK = {
    # The browser's session (with CSRF) first, then API keys: "Authorization: Token <key>".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.BrowserSessionAuthentication",
        "tracker.api.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Anonymous clients by address, API keys by key (TRACKER_API_THROTTLE_*); a session is
    # counted as a key of its user.
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.AnonymousThrottle",
        "tracker.api.throttling.KeyThrottle",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "tracker.api.filter_backend.FilterBackend",
        "tracker.api.filters.UpdatedSinceFilter",
    ],
    # JSON only: DRF's browsable HTML API has inline styles (Content Security Policy); people
    # explore the API in its documentation (/api/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.SyncPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.exception_handler.exception_handler",
}
# API KEYS (django-rest-knox, tracker.models.ApiKey): hashed, with an expiry in days. knox's own
# model is swapped for ours, so its migrations (which would make a table of their own anyway) do
# not run: tracker's migration 0006 drops that table where an earlier version made it.
MIGRATION_MODULES = {"knox": None}
KNOX_TOKEN_MODEL = "tracker.ApiKey"  # noqa: S105 (a model name)
TRACKER_API_KEY_DAYS = env.int("TRACKER_API_KEY_DAYS", default=365)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=TRACKER_API_KEY_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
}
# Requests a client may make: "N/second|minute|hour|day"; empty: no limit.
TRACKER_API_THROTTLE_ANON = env("TRACKER_API_THROTTLE_ANON", default="60/minute")
TRACKER_API_THROTTLE_KEY = env("TRACKER_API_THROTTLE_KEY", default="1000/minute")
# CORS (django-cors-headers): no other origin may call the API from a browser unless listed.
CORS_ALLOWED_ORIGINS = env.list("TRACKER_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

SPECTACULAR_SETTINGS = {
    "TITLE": "Recommendations Tracker API",
    "DESCRIPTION": "Recommendations from the UN human rights mechanisms and their follow-up.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Other systems use API keys: the schema documents them only (the browser's session, with
    # its CSRF token, works too, for this site's own pages).
    "AUTHENTICATION_WHITELIST": ["tracker.api.authentication.ApiKeyAuthentication"],
    # A text field that refuses blanks says so (minLength 1).
    "ENFORCE_NON_BLANK_FIELDS": True,
    # Every operation documents its errors (tracker/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.error_responses",
    ],
    # Choice sets that share a field name ("kind", "status") get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "MeasureKindEnum": "plans.models.MeasureKind",
        "MeasureStatusEnum": "plans.models.MeasureStatus",
        "IndicatorKindEnum": "plans.models.IndicatorKind",
        "FrameworkKindEnum": "plans.models.FrameworkKind",
        "ReportStateEnum": "plans.models.ReportState",
        "StepActionEnum": "plans.models.StepAction",
    },
}

# LOGGING
# Security events (sign-ins, failures, lockouts, refusals) go to the logger "tracker.security",
# one line each with key=value fields: event, user, ip, path (tracker/security.py).
# TRACKER_LOG_FORMAT=json writes every line as one JSON object (time, level, logger, message and
# the fields the code adds, such as import_run), for a log collector (tracker/logs.py).
TRACKER_LOG_FORMAT = env("TRACKER_LOG_FORMAT", default="text")
if TRACKER_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("TRACKER_LOG_FORMAT: text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tracker.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": TRACKER_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "tracker.security": {"level": env("TRACKER_SECURITY_LOG_LEVEL", default="INFO")},
        # django-axes' own lines repeat ours (tracker.security) with the fields masked.
        "axes": {"level": "WARNING"},
    },
}

# Celery leaves the log configuration above in place (JSON lines in the worker too).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

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
