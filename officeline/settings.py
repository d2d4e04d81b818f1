"""Django settings for Officeline.

Everything a deployment changes comes from the environment (``OFFICELINE_*`` and
``DATABASE_URL``); the defaults are the embedded ones that ``make run`` uses:
SQLite in WAL mode under ``var/``, Huey on SQLite, email to the outbox only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OFFICELINE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, else (outside production) one generated once and kept
    under var/. Production never makes its own: each host would sign with a different key, so
    without one the key is empty and the start is refused (``officeline.E001``)."""
    if key := os.environ.get("OFFICELINE_SECRET_KEY"):
        return key
    if os.environ.get("OFFICELINE_DEPLOYMENT", "demo") == "production":
        return ""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# "demo" (make run), "test" (the test suite) or "production".
DEPLOYMENT = os.environ.get("OFFICELINE_DEPLOYMENT", "demo")
# The movable test clock exists only outside production (see officeline.clock).
TEST_CLOCK_ENABLED = DEPLOYMENT != "production" and _env_bool("OFFICELINE_TEST_CLOCK", True)

SECRET_KEY = _secret_key()
DEBUG = _env_bool("OFFICELINE_DEBUG", DEPLOYMENT != "production")
ALLOWED_HOSTS = os.environ.get("OFFICELINE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("OFFICELINE_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
# The address people reach the web service at; used in emails and printed by make run.
BASE_URL = os.environ.get("OFFICELINE_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Our apps, bottom layer first, as the import contracts in pyproject.toml state them:
    # the platform band, the domains, then the interfaces.
    "officeline.markets",
    "officeline.clock",
    "officeline.events",
    "officeline.notifications",
    "officeline.accounts",
    "officeline.documents",
    "officeline.lines",
    "officeline.telephony",
    "officeline.usage",
    "officeline.billing",
    "officeline.support",
    "officeline.privacy",
    "officeline.portal",
    "officeline.console",
    "officeline.api",
    # Third-party apps come after ours, so that our translations and templates win.
    "rest_framework",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # PRIV-5: only strictly necessary cookies until the visitor accepts performance cookies.
    "officeline.privacy.middleware.CookieConsentMiddleware",
    # Staff must use TOTP: no console page without it.
    "officeline.console.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "officeline.urls"
WSGI_APPLICATION = "officeline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "officeline" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "officeline.context_processors.officeline",
                "officeline.console.context_processors.console",
                "officeline.privacy.context_processors.cookies",
            ],
        },
    },
]

# Databases: DATABASE_URL (PostgreSQL at scale and in the tests), else embedded SQLite.
_default_sqlite = f"sqlite:///{VAR_DIR / 'officeline.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite)),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web, the worker and Kamailio read while one writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("OFFICELINE_TEST_SQLITE_NAME")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("OFFICELINE_CONN_MAX_AGE", "0"))
    if test_name := os.environ.get("OFFICELINE_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": test_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# ACC-6: portal passwords are stored only as salted Argon2 hashes, and must be strong.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # allauth's, by the login email only (not by an address waiting for its confirmation).
    "officeline.accounts.adapter.LoginEmailBackend",
]

# allauth: email is the login; see the block "Logins and sessions" at the end for the rest.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if DEPLOYMENT == "production" else "http"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Officeline"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "officeline" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "officeline" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Email goes through the notifications outbox; this backend delivers what leaves it.
# A demo deployment writes each email to a file under var/mail/ (a local sink).
EMAIL_BACKEND = os.environ.get(
    "OFFICELINE_EMAIL_BACKEND",
    {
        "demo": "django.core.mail.backends.filebased.EmailBackend",
        "production": "django.core.mail.backends.smtp.EmailBackend",
    }.get(DEPLOYMENT, "django.core.mail.backends.locmem.EmailBackend"),
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# Production names its mail server: no default, so that a forgotten one refuses the start.
EMAIL_HOST = os.environ.get(
    "OFFICELINE_EMAIL_HOST", "" if DEPLOYMENT == "production" else "localhost"
)
EMAIL_HOST_USER = os.environ.get("OFFICELINE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OFFICELINE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("OFFICELINE_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _env_bool("OFFICELINE_EMAIL_USE_SSL", False)
EMAIL_PORT = int(os.environ.get("OFFICELINE_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "OFFICELINE_FROM_EMAIL", "Officeline <no-reply@officeline.test>"
)
# The mailbox of the mailto: in marketing emails' List-Unsubscribe header (PRIV-4).
UNSUBSCRIBE_EMAIL = os.environ.get("OFFICELINE_UNSUBSCRIBE_EMAIL", "unsubscribe@officeline.test")
# The mail provider's adapter for that mailbox's inbound webhook, and the secret it signs each
# request with (demo and tests sign with a fixed one; production sets its own).
UNSUBSCRIBE_MAILBOX = os.environ.get("OFFICELINE_UNSUBSCRIBE_MAILBOX", "sandbox")
UNSUBSCRIBE_WEBHOOK_SECRET = os.environ.get(
    "OFFICELINE_UNSUBSCRIBE_WEBHOOK_SECRET",
    "" if DEPLOYMENT == "production" else "sandbox-mailbox-secret",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "officeline.accounts.api.authentication.ApiTokenAuthentication",
        # Staff sessions count only once they passed TOTP (officeline/accounts/staff_sessions.py).
        "officeline.accounts.api.authentication.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "officeline.accounts.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "officeline.accounts.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "30/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Officeline API",
    "DESCRIPTION": "Lines, numbers, tickets, invoices and account data for Office Managers and staff.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LineStatusEnum": "officeline.lines.choices.LineStatus",
        "TheftOrFraudEnum": "officeline.lines.choices.TheftOrFraud",
        "DeviceKindEnum": "officeline.lines.choices.DeviceKind",
        "SupportChannelEnum": "officeline.support.choices.Channel",
        "InvoiceKindEnum": "officeline.billing.choices.InvoiceKind",
        "InvoiceStatusEnum": "officeline.billing.choices.InvoiceStatus",
        "PrivacyRequestKindEnum": "officeline.privacy.choices.RequestKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "officeline.api.schema.add_error_responses",
    ],
}

# The worker: Huey on SQLite by default, on Redis when OFFICELINE_REDIS_URL is set.
_redis_url = os.environ.get("OFFICELINE_REDIS_URL")
HUEY = {
    "name": "officeline",
    "immediate": DEPLOYMENT == "test",
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# API tokens and password lockout.
# The cache holds what every web process must see alike: allauth's rate limits (one lockout
# per account for every endpoint that checks a password: the login form and
# /api/v1/tokens/), the TOTP codes already used, DRF's throttles. Redis when there is one,
# else a table of the database (``officeline_cache``, created by the accounts migrations).
CACHES: dict[str, dict[str, Any]]
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "officeline",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "officeline_cache",
            # Past this many entries Django deletes some before their time: high, so that a
            # flood of attempts on many accounts does not wipe the lockouts.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# How long an API token lives: customers' tokens, and staff's (a staff token also needs a
# current TOTP code to be issued).
API_TOKEN_DAYS = int(os.environ.get("OFFICELINE_API_TOKEN_DAYS", "90"))
STAFF_API_TOKEN_DAYS = int(os.environ.get("OFFICELINE_STAFF_API_TOKEN_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OFFICELINE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The Huey consumer installs its own handler.
        "huey": {"propagate": False},
    },
}

# Telephony: where Kamailio and rtpengine listen; rendered into their configuration.
SIP_DOMAIN = os.environ.get("OFFICELINE_SIP_DOMAIN", "officeline.test")
SIP_LISTEN_HOST = os.environ.get("OFFICELINE_SIP_HOST", "127.0.0.1")
SIP_LISTEN_PORT = int(os.environ.get("OFFICELINE_SIP_PORT", "5060"))
# Where emergency calls (EMG-3) and external calls go: SIP URIs of the carrier's gateways.
EMERGENCY_GATEWAY = os.environ.get("OFFICELINE_EMERGENCY_GATEWAY", "")
CARRIER_TRUNK = os.environ.get("OFFICELINE_CARRIER_TRUNK", "")
# Where the carrier's incoming calls come from ("ip" or "ip:port", comma-separated);
# the trunk's own address when empty.
CARRIER_TRUNK_SOURCES = os.environ.get("OFFICELINE_TRUNK_SOURCES", "")
# How the trunk's incoming calls are trusted: "digest" (challenged, checked against the
# username and password below, which the carrier is given) or "ip" (by their source address
# alone, which can be spoofed over UDP: a system check warns of it).
TRUNK_AUTH = os.environ.get("OFFICELINE_TRUNK_AUTH", "digest").strip().lower()
TRUNK_USERNAME = os.environ.get("OFFICELINE_TRUNK_USERNAME", "")
TRUNK_PASSWORD = os.environ.get("OFFICELINE_TRUNK_PASSWORD", "")
# Signs the Record-Route of calls, which a call's later requests must come back along; the
# same on every Kamailio node. Derived from SECRET_KEY unless set.
SIP_ROUTE_SECRET = os.environ.get("OFFICELINE_SIP_ROUTE_SECRET", "")
# The echo test: a number per market that answers and sends back what it hears, so that a new
# user can test a phone ("uk=+442079460999,fr=+33199009999"), and the SIP URI of the endpoint
# that answers it (``officeline sip_endpoint echo``); no echo test where that is empty.
ECHO_TEST_NUMBERS = {
    market.strip(): number.strip()
    for market, _, number in (
        pair.partition("=")
        for pair in os.environ.get(
            "OFFICELINE_ECHO_TEST_NUMBERS", "uk=+442079460999,fr=+33199009999"
        ).split(",")
    )
    if number.strip()
}
ECHO_TEST = os.environ.get("OFFICELINE_ECHO_TEST", "")
# Voicemail: the SIP URI of the endpoint that takes messages for a line that does not answer
# (``officeline sip_endpoint voicemail``; no voicemail where it is empty), how long a line
# rings before the call goes there, and the longest message it records.
VOICEMAIL = os.environ.get("OFFICELINE_VOICEMAIL", "")
VOICEMAIL_RING_SECONDS = int(os.environ.get("OFFICELINE_VOICEMAIL_RING_SECONDS", "25"))
VOICEMAIL_MAX_SECONDS = int(os.environ.get("OFFICELINE_VOICEMAIL_MAX_SECONDS", "120"))
# Flood protection: requests from one address within 2 s past which it is dropped (pike),
# and new INVITEs and REGISTERs a second, from all, past which they get 503 (ratelimit);
# 0 turns each off. Emergency calls pass both (EMG-3).
SIP_FLOOD_REQUESTS = int(os.environ.get("OFFICELINE_SIP_FLOOD_REQUESTS", "60"))
SIP_INVITE_LIMIT = int(os.environ.get("OFFICELINE_SIP_INVITE_LIMIT", "200"))
SIP_REGISTER_LIMIT = int(os.environ.get("OFFICELINE_SIP_REGISTER_LIMIT", "500"))
# rtpengine, the media relay: media on this address, controlled over UDP on 127.0.0.1.
RTPENGINE_INTERFACE = os.environ.get("OFFICELINE_RTPENGINE_INTERFACE", "127.0.0.1")
RTPENGINE_NG_PORT = int(os.environ.get("OFFICELINE_RTPENGINE_PORT", "2223"))
RTPENGINE_PORT_MIN = int(os.environ.get("OFFICELINE_RTPENGINE_PORT_MIN", "30000"))
RTPENGINE_PORT_MAX = int(os.environ.get("OFFICELINE_RTPENGINE_PORT_MAX", "30999"))
# Where Kamailio writes call events when the database does not answer; the worker's tick
# replays them into the database (usage.record_calls), so that no call record is lost.
SIP_CDR_SPOOL_DIR = Path(
    os.environ.get("OFFICELINE_CDR_SPOOL_DIR", VAR_DIR / "kamailio" / "cdr-spool")
)
# Kamailio's JSON-RPC socket (Unix datagram): Django has Kamailio send its own requests
# through it, such as the NOTIFY that lights a phone's message-waiting lamp.
SIP_RPC_SOCKET = Path(
    os.environ.get("OFFICELINE_SIP_RPC_SOCKET", VAR_DIR / "kamailio" / "kamailio_rpc.sock")
)
PAYMENT_PROVIDER = os.environ.get("OFFICELINE_PAYMENT_PROVIDER", "sandbox")
# Stripe, when PAYMENT_PROVIDER is "stripe": the secret API key, the webhook endpoint's
# signing secret, and the API's address (tests point it at recorded responses).
STRIPE_SECRET_KEY = os.environ.get("OFFICELINE_STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("OFFICELINE_STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("OFFICELINE_STRIPE_API_BASE", "https://api.stripe.com")
# BILL-7 webhooks older than this are refused (replay protection), checked against clock.now().
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
# PRIV-4 replies to marketing texts: the carrier's adapter for its inbound-SMS webhook, and the
# secret it signs each request with (demo and tests sign with a fixed one; production sets its own).
SMS_CARRIER = os.environ.get("OFFICELINE_SMS_CARRIER", "sandbox")
SMS_WEBHOOK_SECRET = os.environ.get(
    "OFFICELINE_SMS_WEBHOOK_SECRET", "" if DEPLOYMENT == "production" else "sandbox-sms-secret"
)

# Security of the web service. In production: HTTPS only (a redirect, HSTS, secure cookies), a
# Content-Security-Policy everywhere, and a start refused without a secret key, a real mail
# server and a real payment provider (the ``officeline.E0xx`` checks, officeline/deployment.py).
_production = DEPLOYMENT == "production"
SESSION_COOKIE_SECURE = _env_bool("OFFICELINE_SECURE_COOKIES", _production)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("OFFICELINE_SSL_REDIRECT", _production)
SECURE_HSTS_SECONDS = int(
    os.environ.get("OFFICELINE_HSTS_SECONDS", str(365 * 24 * 3600) if _production else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("OFFICELINE_HSTS_INCLUDE_SUBDOMAINS", _production)
SECURE_HSTS_PRELOAD = _env_bool("OFFICELINE_HSTS_PRELOAD", _production)
# Set only when a proxy in front terminates TLS and always sets X-Forwarded-Proto itself:
# otherwise a client could claim HTTPS with that header.
if _env_bool("OFFICELINE_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The pages load their scripts and styles from our own static files only: no inline script or
# style. Images may be data: URIs (the TOTP QR code). Stripe's card page is a redirect away.
CONTENT_SECURITY_POLICY = os.environ.get(
    "OFFICELINE_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'",
)
MIDDLEWARE.insert(1, "officeline.deployment.ContentSecurityPolicyMiddleware")
# How long a connection to the mail server may stay silent before the send is given up (and
# retried by a later tick): the worker is never held by a mail server that does not answer.
EMAIL_TIMEOUT = int(os.environ.get("OFFICELINE_EMAIL_TIMEOUT", "10"))
# How long the payment provider (Stripe) may take to answer one request before it is given up.
PAYMENT_PROVIDER_TIMEOUT = int(os.environ.get("OFFICELINE_PAYMENT_PROVIDER_TIMEOUT", "20"))
# An email left "sending" this long (its worker died mid-send) is sent again.
EMAIL_CLAIM_EXPIRY_SECONDS = int(os.environ.get("OFFICELINE_EMAIL_CLAIM_EXPIRY", "300"))

# Logins and sessions. Every login goes through allauth (the Django admin's login page sends
# there), and staff pages and the staff API need TOTP in the session itself
# (officeline/accounts/staff_sessions.py). A staff session ends after this many minutes
# without a request; customers keep Django's 14 days (SESSION_COOKIE_AGE).
OFFICELINE_STAFF_SESSION_IDLE_MINUTES = int(
    os.environ.get("OFFICELINE_STAFF_SESSION_IDLE_MINUTES", "30")
)
# allauth's own sign-up is closed: only the portal's business sign-up creates logins.
ACCOUNT_ADAPTER = "officeline.accounts.adapter.AccountAdapter"
# An email address becomes a login only once confirmed from its mailbox: at sign-up, and when
# an Office Manager (or staff for them) changes the account email, the new address waits
# unverified and replaces the login, and the account email, once its link is followed.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("OFFICELINE_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
# allauth answers the same whether an address has an account or not (its password reset
# and email pages); the portal's sign-up does the same (portal/signup.py sign_up).
ACCOUNT_PREVENT_ENUMERATION = True
