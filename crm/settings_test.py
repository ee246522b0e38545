"""Test settings: the real settings, with tasks run inline and mail kept in memory.

django-q2 reads Q_CLUSTER once, at import, so `sync` must be set here, not per test.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret")

from crm.settings import *  # noqa: E402,F401,F403
from crm.settings import Q_CLUSTER, STATIC_ROOT  # noqa: E402

Q_CLUSTER = {**Q_CLUSTER, "sync": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE_URL = "https://noghost.test"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
