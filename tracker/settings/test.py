"""Settings for the test suite."""

from .base import *  # noqa: F403

SECRET_KEY = "test-key-not-secret"  # noqa: S105 (test settings only)
DEBUG = False
# The tests load demo data although DEBUG is off; tests of the refusal set it back.
TRACKER_DEMO_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Personas sign in without an authenticator; tests of two-factor sign-in turn the rule on
# (tests/tracker/test_sign_in.py), as production has it.
TRACKER_REQUIRE_MFA = False
# No request limits in the suite, which makes thousands of calls a minute from one address; the
# throttling tests set the limits they try (tests/tracker/api/test_api_keys.py).
TRACKER_API_THROTTLE_ANON = ""
TRACKER_API_THROTTLE_KEY = ""
# Estimated facet counts are counted at every request in the suite (the cache outlives a test's
# rows); tests/recommendations/test_large_lists.py turns the cache on where it tries it.
TRACKER_FACET_CACHE_SECONDS = 0
