"""Settings for the test suite: production settings, with a fixed key and plain HTTP allowed."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret-" + "x" * 40)
os.environ.setdefault("CAREDESK_SSL_REDIRECT", "false")
os.environ.setdefault("CAREDESK_SECURE_COOKIES", "false")
os.environ.setdefault("CAREDESK_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from caredesk.settings import *  # noqa: F403
from caredesk.settings import STORAGES

# Tests do not run collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
