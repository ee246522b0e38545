"""noghost settings, read from the environment (and from ./.env, or $NOGHOST_ENV_FILE, when it exists).

The embedded default is SQLite under ./var/ with django-q2's ORM broker: nothing to install.
DATABASE_URL moves the data to PostgreSQL; REDIS_URL makes Redis the task broker and the cache.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(env("NOGHOST_ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = env.bool("DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
# The placeholder of deploy/noghost.env.example: a copy of it that was never filled in.
EXAMPLE_SECRET_KEY = "change-me-to-50-random-characters"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README, Configuration).")
if SECRET_KEY == EXAMPLE_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the placeholder from deploy/noghost.env.example; set a secret one: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a secret one when DEBUG is off.")
# Fernet keys sealing stored secrets (invitations/vault.py), newest first; unset: derived from SECRET_KEY.
NOGHOST_VAULT_KEYS = env.list("NOGHOST_VAULT_KEYS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
def _development_site_url():
    """Where `make run` serves: its HOST and PORT (NOGHOST_HOST, NOGHOST_PORT), so e-mail links
    point at the server actually running; a wildcard address is reached on the loopback."""
    host = env("NOGHOST_HOST", default="127.0.0.1")
    host = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]", "") else host
    return f"http://{host}:{env('NOGHOST_PORT', default='8000')}"


SITE_URL = env("SITE_URL", default=_development_site_url()).rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "invitations.apps.NoghostAdminConfig",  # django.contrib.admin with noghost's index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_q",
    "axes",
    "csp",
    "invitations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "invitations.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database():
    url = env("DATABASE_URL", default="")
    if not url:
        VAR_DIR.mkdir(exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'noghost.sqlite3'}"
    db = env.db_url_config(url)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # The web server and the worker share one file: WAL lets readers run beside the
        # writer, IMMEDIATE takes the write lock at BEGIN (no lock upgrade deadlock), and
        # the timeout makes a busy writer wait instead of failing with "database is locked".
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        db.setdefault("CONN_HEALTH_CHECKS", True)
    return db


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")  # full-text search (docs/design.md, "Search")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["crm.formats"]  # 24-hour times everywhere, the admin's included
TIME_ZONE = "UTC"  # storage and server zone; each user's own zone is Profile.timezone
USE_I18N = True
# The pages are English; drafts are written in the client's language (invitations.models.Language, rule 14).
LANGUAGES = [("en", "English"), ("es", "Spanish"), ("de", "German"), ("fr", "French"), ("pt", "Portuguese")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_ROOT = BASE_DIR / "static" / "root"  # served at /: the favicon browsers ask for on every page
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True, consolemail://) or the EMAIL_* family.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noghost <noghost@localhost>")

# Mail coming in (docs/capture.md): `manage.py receive_mail` takes mail for <token>@INBOUND_DOMAIN
# (each user's token is on /settings/) up to INBOUND_MAX_BYTES, as does the upload; the pipe keeps a
# larger message unread, for the user to look at.
INBOUND_DOMAIN = env("INBOUND_DOMAIN", default=urlsplit(SITE_URL).hostname or "localhost").lower()
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=10 * 1024 * 1024)

# django-q2 reads this once, at import. retry > timeout, or a slow task is handed out twice;
# catch_up off, because the domain catches up by itself and replayed slots duplicate work.
REDIS_URL = env("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "noghost",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 240,
    "retry": 300,
    "max_attempts": 1,
    "catch_up": False,
    "save_limit": 500,
    "ack_failures": True,
    "poll": 1,
    "label": "Scheduler",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# The dashboard's figures (insights/figures.py): each process's memory on the embedded default,
# Redis (shared by every process and machine) when REDIS_URL is set.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "noghost"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django": {"level": "WARNING"}},
}


# --- Security (docs/security.md) ------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402

# Sessions last two weeks from login, across browser restarts: a freelancer's own device.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

# Login throttling (django-axes): 5 wrong passwords for one username from one address lock that
# pair out for 15 minutes; a successful login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "invitations.views.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "invitations.views.lockout.client_ip"
# Off: no "AXES: BEGIN version ..." banner on stderr from every management command, and login
# records name only what the lockout counts (username and address), not the browser.
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)

# Headers on every response. No page needs inline script or style, so the policy allows neither.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Behind a TLS-terminating proxy (nginx, Caddy, a PaaS router) that sets X-Forwarded-Proto.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Served over https in production: cookies only over TLS, redirect http, and HSTS.
if not DEBUG and SITE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
