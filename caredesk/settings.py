"""Caredesk settings, read from the environment (SPEC §12).

Defaults work on a laptop (SQLite under var/, debug off unless asked for);
production sets SECRET_KEY, DATABASE_URL and CAREDESK_ALLOWED_HOSTS.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from caredesk.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("CAREDESK_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("CAREDESK_DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when CAREDESK_DEBUG is off (production)."
        )
    # Development: one random key per checkout, kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "CAREDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("CAREDESK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "caredesk.staff",
    "caredesk.audit",
    "caredesk.branches",
    "caredesk.customers",
    "caredesk.comms",
    "caredesk.orders",
    "caredesk.billing",
    "caredesk.delivery",
    "caredesk.inbox",
    "caredesk.portal",
    "caredesk.people",
    "caredesk.privacy",
    "caredesk.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "caredesk.lib.middleware.RequestContextMiddleware",
    "caredesk.lib.middleware.ApiErrorFormatMiddleware",
    "caredesk.lib.middleware.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "caredesk.lib.middleware.NoStoreForStaffMiddleware",
]

ROOT_URLCONF = "caredesk.urls"
WSGI_APPLICATION = "caredesk.wsgi.application"

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
                "caredesk.staff.nav.navigation",
                "csp.context_processors.nonce",
            ],
            "builtins": ["caredesk.lib.display_tags"],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["CONN_MAX_AGE"] = 0
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "caredesk.sqlite3",
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing with "database is locked" mid-way.
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
            ),
        }
    )
    # Tests use a file too, so threads (live server, concurrency tests) share one WAL database.
    # One file per test run (by process id), so two runs on one checkout never share it.
    _db.setdefault("TEST", {})["NAME"] = str(VAR_DIR / f"test-caredesk-{os.getpid()}.sqlite3")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
if _db["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT compilation: every query here is short, and the planner's cost guess for one that
    # reads a few hundred rows of a 10M-row table (a trigram look-up planned for every match)
    # passes the JIT threshold, so it spent 15 ms compiling for a 5 ms scan. Where the URL's
    # `options` already set `jit`, theirs stands.
    _pg_options = _db.setdefault("OPTIONS", {}).get("options", "")
    if "jit" not in _pg_options:
        _db["OPTIONS"]["options"] = f"{_pg_options} -c jit=off".strip()
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}

# --- Auth ------------------------------------------------------------------------------------
# StaffBackend is Django's ModelBackend reading a user's permissions in one statement per
# request (caredesk/staff/backends.py). It is the only one: with a second backend listed, a
# failed sign-in would hash the password twice.
AUTHENTICATION_BACKENDS = ["caredesk.staff.backends.StaffBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Database sessions, each request's session read with one plain statement (staff/sessions.py).
SESSION_ENGINE = "caredesk.staff.sessions"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"

# Sign-in throttling (README "Sign-in throttling"): failures counted over the window.
# Strict: one username from one client IP; past the limit each further try waits longer
# (30 s, 60 s, 120 s, ... up to the window).
CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP = env_int("CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP", 5)
# One client IP over all usernames (password spraying): the same growing delays.
CAREDESK_LOGIN_MAX_FAILURES_PER_IP = env_int("CAREDESK_LOGIN_MAX_FAILURES_PER_IP", 20)
# One username over all client IPs: past the limit, one try per CAREDESK_LOGIN_SLOWDOWN_SECONDS
# (slows a distributed guesser; never locks the right password out).
CAREDESK_LOGIN_MAX_FAILURES_PER_USER = env_int("CAREDESK_LOGIN_MAX_FAILURES_PER_USER", 50)
CAREDESK_LOGIN_SLOWDOWN_SECONDS = env_int("CAREDESK_LOGIN_SLOWDOWN_SECONDS", 5)
CAREDESK_LOGIN_WINDOW_SECONDS = env_int("CAREDESK_LOGIN_WINDOW_SECONDS", 900)
# Proxies (IPs or networks) whose X-Forwarded-For is believed; nobody else's is.
CAREDESK_TRUSTED_PROXIES = env_list("CAREDESK_TRUSTED_PROXIES", [])
CAREDESK_API_TOKEN_DAYS = env_int("CAREDESK_API_TOKEN_DAYS", 90)

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from this origin only, no inline script or
# style (a script that truly must be inline carries the request's nonce: {{ CSP_NONCE }}), no
# plugins, never framed. Templates keep JS and CSS in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("CAREDESK_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("CAREDESK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("CAREDESK_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("CAREDESK_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- I18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fil", "Filipino")]
TIME_ZONE = env_str("CAREDESK_TIME_ZONE", "Asia/Manila")
USE_I18N = True
USE_TZ = True

# --- Static ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Background tasks ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task RUNNING for longer than this was left by a killed worker: `caredesk worker` requeues it.
CAREDESK_TASK_STALE_SECONDS = env_int("CAREDESK_TASK_STALE_SECONDS", 1800)

# --- Email and chat --------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# The address customers reach this site at (links in emails: tracking, password reset).
CAREDESK_PUBLIC_URL = env_str("CAREDESK_PUBLIC_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("CAREDESK_FROM_EMAIL", "Caredesk <care@caredesk.localhost>")
TELEGRAM_API_BASE = env_str("TELEGRAM_API_BASE", "https://api.telegram.org")
TELEGRAM_BOT_TOKEN = env_str("TELEGRAM_BOT_TOKEN")
TELEGRAM_CHAT_ID = env_str("TELEGRAM_CHAT_ID")
# Event types posted to the chat group (chat_alert ignores any other type).
CAREDESK_CHAT_ALERT_EVENTS = env_list("CAREDESK_CHAT_ALERT_EVENTS", ["showroom_visit", "fraud_hit"])
# Outbox: without EMAIL_HOST (or TELEGRAM_BOT_TOKEN) messages are delivered to files here.
CAREDESK_OUTBOX_DIR = Path(env_str("CAREDESK_OUTBOX_DIR", str(VAR_DIR))).resolve()
CAREDESK_OUTBOX_LEASE_SECONDS = env_int("CAREDESK_OUTBOX_LEASE_SECONDS", 120)
CAREDESK_OUTBOX_MAX_ATTEMPTS = env_int("CAREDESK_OUTBOX_MAX_ATTEMPTS", 8)
CAREDESK_OUTBOX_RETRY_SECONDS = env_int("CAREDESK_OUTBOX_RETRY_SECONDS", 30)
CAREDESK_OUTBOX_SEND_TIMEOUT = env_int("CAREDESK_OUTBOX_SEND_TIMEOUT", 30)
# Email bodies older than this many days are removed by the worker's retention job.
CAREDESK_EMAIL_RETENTION_DAYS = env_int("CAREDESK_EMAIL_RETENTION_DAYS", 90)
# Backups (`caredesk backup`): the worker writes one every CAREDESK_BACKUP_EVERY_HOURS into
# CAREDESK_BACKUP_DIR (no scheduled backup when unset) and keeps the newest CAREDESK_BACKUP_KEEP.
CAREDESK_BACKUP_DIR = env_str("CAREDESK_BACKUP_DIR")
CAREDESK_BACKUP_KEEP = env_int("CAREDESK_BACKUP_KEEP", 7)
CAREDESK_BACKUP_EVERY_HOURS = env_int("CAREDESK_BACKUP_EVERY_HOURS", 24)
if CAREDESK_BACKUP_KEEP < 1:
    raise ImproperlyConfigured("CAREDESK_BACKUP_KEEP must be at least 1.")
# Closed accounts older than this many days are listed for a manager's erasure review.
CAREDESK_RETENTION_CLOSED_DAYS = env_int("CAREDESK_RETENTION_CLOSED_DAYS", 365)
CAREDESK_BUSINESS_NAME = env_str("CAREDESK_BUSINESS_NAME", "Caredesk")
CAREDESK_BUSINESS_PHONE = env_str("CAREDESK_BUSINESS_PHONE", "(02) 8123 4567")


# --- Orders (SPEC §3) -----------------------------------------------------------------------
def _decimal_setting(name: str, default: str):
    from decimal import Decimal, InvalidOperation

    raw = env_str(name, default)
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ImproperlyConfigured(f"{name} must be a decimal number, got {raw!r}") from exc


CAREDESK_CURRENCY = env_str("CAREDESK_CURRENCY", "PHP")
CAREDESK_VAT_RATE = _decimal_setting("CAREDESK_VAT_RATE", "0.12")
CAREDESK_VAT_INCLUSIVE = env_bool("CAREDESK_VAT_INCLUSIVE", True)
CAREDESK_DELIVERY_FEE = _decimal_setting("CAREDESK_DELIVERY_FEE", "150.00")
CAREDESK_PART_SERVICE_SKU = env_str("CAREDESK_PART_SERVICE_SKU", "SVC-STD")
CAREDESK_ORDER_LOCK_MINUTES = env_int("CAREDESK_ORDER_LOCK_MINUTES", 10)
CAREDESK_TRACKING_MAX_PER_IP = env_int("CAREDESK_TRACKING_MAX_PER_IP", 60)
CAREDESK_TRACKING_WINDOW_SECONDS = env_int("CAREDESK_TRACKING_WINDOW_SECONDS", 600)

# --- Delivery --------------------------------------------------------------------------------
# Map tiles of the map schedule (URL template with {s}, {z}, {x}, {y}); markers draw without them.
CAREDESK_MAP_TILES = env_str("CAREDESK_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The map's tile server is the one other origin pages may load images from.
_tiles = urlsplit(CAREDESK_MAP_TILES.replace("{s}", "a"))
if _tiles.scheme in ("http", "https") and _tiles.netloc:
    _tile_host = (
        _tiles.netloc.replace("a.", "*.", 1) if "{s}" in CAREDESK_MAP_TILES else _tiles.netloc
    )
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tile_host}")
# Days a serviced part stays with us: the expected return date set at pickup.
CAREDESK_SERVICE_TURNAROUND_DAYS = env_int("CAREDESK_SERVICE_TURNAROUND_DAYS", 5)

# --- API -------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tracking": {"()": "caredesk.orders.logging.RedactTrackingToken"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tracking"]},
        # The development server's request log (runserver), redacted like everything else.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tracking"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("CAREDESK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "caredesk.workspace.errors.csrf_failure"

# --- Inboxes and the guest portal (SPEC §5, §9) ----------------------------------------------
# Public forms (complaints, careers, service requests): requests per IP per window.
CAREDESK_PUBLIC_MAX_PER_IP = env_int("CAREDESK_PUBLIC_MAX_PER_IP", 10)
CAREDESK_PUBLIC_WINDOW_SECONDS = env_int("CAREDESK_PUBLIC_WINDOW_SECONDS", 3600)
CAREDESK_UPLOAD_MAX_BYTES = env_int("CAREDESK_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, CAREDESK_UPLOAD_MAX_BYTES * 6)
# A business-calendar change recomputes the deadlines of up to this many open tickets in its
# own transaction; beyond it the worker recomputes them in the background.
CAREDESK_SLA_RECOMPUTE_INLINE = env_int("CAREDESK_SLA_RECOMPUTE_INLINE", 500)
# The mail gateway posts guests' replies to POST /api/v1/inbound/email with this bearer secret
# (empty: the endpoint refuses everything).
CAREDESK_INBOUND_EMAIL_SECRET = env_str("CAREDESK_INBOUND_EMAIL_SECRET")
# Guest sign-in codes: "file" writes each SMS under var/sms/ (development); "http" posts to
# CAREDESK_SMS_HTTP_URL with CAREDESK_SMS_HTTP_TOKEN (Semaphore-style gateway).
CAREDESK_SMS_BACKEND = env_str("CAREDESK_SMS_BACKEND", "file")
CAREDESK_SMS_DIR = Path(env_str("CAREDESK_SMS_DIR", str(VAR_DIR / "sms"))).resolve()
CAREDESK_SMS_HTTP_URL = env_str("CAREDESK_SMS_HTTP_URL")
CAREDESK_SMS_HTTP_TOKEN = env_str("CAREDESK_SMS_HTTP_TOKEN")
CAREDESK_SMS_SENDER = env_str("CAREDESK_SMS_SENDER", "CAREDESK")
CAREDESK_LOGIN_CODE_MAX_PER_PHONE = env_int("CAREDESK_LOGIN_CODE_MAX_PER_PHONE", 3)
CAREDESK_LOGIN_MAX_PER_IP = env_int("CAREDESK_LOGIN_MAX_PER_IP", 20)
