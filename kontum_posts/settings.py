"""Settings for Kontum Posts, read from the environment.

Unset, everything falls back to a safe local default (SQLite in var/, DEBUG on, localhost only),
so a fresh clone runs at once. With DEBUG off, SECRET_KEY and ALLOWED_HOSTS must be given, and the
production block at the end turns on HTTPS, secure cookies and request logging.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kontum_posts.lib.env import database_from_url, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

# ---- core ---------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "local-development-only-not-a-secret"  # noqa: S105 — only with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "kontum_posts.apps.AdminConfig",  # django.contrib.admin, for national administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_otp",  # two-factor sign-in (personnel/two_factor.py)
    "kontum_posts.apps.OtpTotpConfig",  # django_otp.plugins.otp_totp
    "kontum_posts.apps.OtpStaticConfig",  # django_otp.plugins.otp_static
    "kontum_posts.apps.AxesConfig",  # django-axes, with a translated name in the admin
    "kontum_posts.apps.KontumPostsConfig",  # its ready() hardens the admin's forms
    "datacache",
    "communes",
    "personnel",
    "followup",  # following each commune: the visits and reports log (followup/models.py)
    "reports",  # the register of issued reports (reports/models.py)
    "pipeline",  # candidates, training courses, readiness for a post (issue 17)
    "roadmap",  # a plan's milestones (lộ trình)
    "facilities",  # commune police posts' headquarters and equipment (facilities/models.py)
    "sampledata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kontum_posts.middleware.SecurityHeadersMiddleware",  # CSP and Permissions-Policy on every response
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kontum_posts.middleware.SessionRefreshMiddleware",
    "kontum_posts.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session gave a one-time code
    "personnel.web.two_factor_views.TwoFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kontum_posts.middleware.NoStoreMiddleware",  # no-store on everything a signed-in user gets
    "kontum_posts.middleware.AsOfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kontum_posts.middleware.AppErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks
    "datacache.middleware.DataVersionsMiddleware",  # the cached parts of a page read the data versions once
    # After axes: it has no process_view; this one runs the view itself, to run it again on the primary.
    "kontum_posts.dbrouting.ReplicaMiddleware",
]

ROOT_URLCONF = "kontum_posts.urls"
WSGI_APPLICATION = "kontum_posts.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "kontum_posts.context_processors.as_of",
                "personnel.web.context_processors.access",
            ],
        },
    },
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ---- database -----------------------------------------------------------------------------------

_database_url = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": database_from_url(_database_url, base_dir=BASE_DIR)
    if _database_url
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "var" / "db.sqlite3")}
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The dashboards' aggregates have high plan costs yet run in milliseconds; PostgreSQL's JIT spent
    # seconds compiling them (national figures: 1.7 s with JIT, 0.2 s without; docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue instead of one failing halfway with "database is locked".
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

# A read replica (PostgreSQL streaming replication): the read-only pages read it, with read-your-writes and
# a fall back to the primary when it stops (kontum_posts/dbrouting.py). Tests use the primary for it (MIRROR).
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = database_from_url(_replica_url, base_dir=BASE_DIR)
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), "connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kontum_posts.dbrouting.ReplicaRouter"]

# Computed dashboards and filter choices (datacache/): in each process's own memory by default, so that
# `make run` needs nothing; in Redis when CACHE_URL is set (redis://host:port/db), so that several app
# servers compute each result once. Either way results are filed under the data versions kept in the
# database, so a write in one process is seen by all. A province's dashboard is some tens of kB.
_cache_url = os.environ.get("CACHE_URL", "").strip()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _cache_url,
        "KEY_PREFIX": "kontum-posts",
        # A Redis that stops must not stop the site: short timeouts, then datacache computes (datacache.cached).
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if _cache_url
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kontum-posts",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

# ---- language, time, formats --------------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kontum_posts.formats"]

# ---- static files and tables --------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root before collectstatic
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# ---- logins and sessions ------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "kontum_posts.auth_backends.LoginAttemptBackend",
    "kontum_posts.auth_backends.ProfileModelBackend",  # ModelBackend, the profile read with the user
]

# django-axes: count failed logins per username AND address together, so one office behind one
# NAT address is not locked out by one person mistyping, and a lock ends after a cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kontum_posts.auth_backends.lockout_response"
AXES_VERBOSE = False
# Behind nginx the client's address is the one nginx puts into X-Forwarded-For; TRUSTED_PROXY_COUNT=0
# (the default) trusts only REMOTE_ADDR, which is right when gunicorn is reached directly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# ...and only when the request comes from one of these addresses (or networks): a peer that reaches
# gunicorn directly could otherwise write any X-Forwarded-For and escape the login lockout.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network") from error
AXES_CLIENT_IP_CALLABLE = "kontum_posts.auth_backends.client_address"
AXES_USERNAME_CALLABLE = "kontum_posts.auth_backends.attempted_username"

# The spreadsheet import: an upload is refused before it is parsed past any of these bounds (a small
# XLSX can declare a million rows, or inflate to gigabytes of XML). Previews wait in the database.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 40)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
IMPORT_PREVIEW_SECONDS = env_int("IMPORT_PREVIEW_SECONDS", 3600)

# Two-factor sign-in (TOTP, with one-time recovery codes): required for editors and administrators in
# production; the demo (DEBUG on) leaves it off and its login page says so. Whoever enrolled is always asked.
OTP_REQUIRED_FOR_EDITORS = env_bool("OTP_REQUIRED_FOR_EDITORS", not DEBUG)
OTP_TOTP_ISSUER = "Kontum Posts"
# The admin never shows a user's key or its QR code (an administrator resets a lost phone by deleting the
# device, and has no use for another person's key); django-otp's key pages then answer 403, never a 500.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The access log of personnel data (logins, exports, reports) keeps this many days; older entries go
# with `manage.py purge_access_log` (run it daily, e.g. from a systemd timer or cron).
ACCESS_LOG_KEEP_DAYS = env_int("ACCESS_LOG_KEEP_DAYS", 365)

# Sessions live in the database (Django's default, stated on purpose): any app server can serve any
# request, so several gunicorn instances run behind one nginx.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# The age counts from the last request (expiry on inactivity), refreshed at most every five minutes
# (kontum_posts.middleware.SessionRefreshMiddleware) rather than written on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_EVERY = env_int("SESSION_REFRESH_EVERY", 300)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# ---- response headers ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
# The load balancer probes /healthz over plain HTTP on the private network: never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# ---- production (DEBUG off) ---------------------------------------------------------------------

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    if SESSION_COOKIE_SECURE:
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only, Path=/.
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # HSTS preload is a commitment of the whole domain (hstspreload.org); the domain's owner turns
    # it on with SECURE_HSTS_PRELOAD=1. Until then the check that asks for it is silenced, on purpose.
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    LOGGING["loggers"] = {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    }
