"""Settings of the API scale bench (``bench/api_scale_bench.py``): production's, served over
plain HTTP on loopback, without request limits. Never used by the real app."""

from tracker.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The floor records the real endpoint's statements by calling it once in-process ("testserver").
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The bench measures the server, not the request limits.
TRACKER_API_THROTTLE_ANON = ""
TRACKER_API_THROTTLE_KEY = ""
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The pages are fetched without their assets: no manifest of collected files is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
