"""Settings for a developer's laptop and the quick start (`make run`)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# The demo accounts sign in with their published password alone: the login page says so.
# Set TRACKER_REQUIRE_MFA=true to try two-factor sign-in as production requires it.
TRACKER_REQUIRE_MFA = env.bool("TRACKER_REQUIRE_MFA", default=False)
