"""JusticeWork settings: one module, read from environment variables.

Every variable is documented in the README. Bad values fail at start with a message naming the
variable (see ``justicework.config``). Test settings (``settings_test``) only change values.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from justicework.config import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent

# --- Where things live -------------------------------------------------------------------------
DATA_DIR = Path(env_str("JUSTICEWORK_DATA_DIR", "./var") or "./var").resolve()
MEDIA_ROOT = DATA_DIR / "files"
# Stored files are the service user's only (Django's default would chmod them 0644 whatever
# the umask the entry points set; encryption.filemodes).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads too large for memory are kept encrypted under a key held in memory, never in clear in
# the temp directory (encryption.uploads).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "justicework.encryption.uploads.SealedTemporaryUploadHandler",
]
MEDIA_URL = "/files/"
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the shared stylesheet (web helper)

DEBUG = env_bool("JUSTICEWORK_DEBUG", False)
PRODUCTION = env_bool("JUSTICEWORK_PRODUCTION", False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("JUSTICEWORK_DEBUG cannot be on when JUSTICEWORK_PRODUCTION is on.")


def _read_key_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


# --- Secrets -----------------------------------------------------------------------------------
SECRET_KEY = env_str("JUSTICEWORK_SECRET_KEY") or _read_key_file(DATA_DIR / "secret.key") or ""
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "JUSTICEWORK_SECRET_KEY is missing or shorter than 50 characters. Set it (or "
        "JUSTICEWORK_SECRET_KEY_FILE), or create local keys with `python -m justicework.keyfiles`."
    )


def _decode_master_key(raw: str, variable: str) -> bytes:
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{variable} must be base64; it could not be decoded.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{variable} must decode to 32 bytes (AES-256); it decodes to {len(key)}."
        )
    return key


_master_raw = env_str("JUSTICEWORK_MASTER_KEY") or _read_key_file(DATA_DIR / "master.key")
if not _master_raw:
    raise ImproperlyConfigured(
        "JUSTICEWORK_MASTER_KEY is not set and no key file exists at "
        f"{DATA_DIR / 'master.key'}. Set it (or JUSTICEWORK_MASTER_KEY_FILE), or create local keys "
        "with `python -m justicework.keyfiles`. Without the master key encrypted data cannot be "
        "read."
    )
#: The master key that wraps every organisation's data keys (AES-256, 32 bytes).
MASTER_KEY = _decode_master_key(_master_raw, "JUSTICEWORK_MASTER_KEY")
#: Earlier master keys, still accepted for unwrapping while `justicework keys rotate` runs.
OLD_MASTER_KEYS = [
    _decode_master_key(item, "JUSTICEWORK_OLD_MASTER_KEYS")
    for item in env_list("JUSTICEWORK_OLD_MASTER_KEYS", [])
]

# --- Hosts, e-mail -----------------------------------------------------------------------------
ALLOWED_HOSTS = env_list("JUSTICEWORK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("JUSTICEWORK_CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlparse(_origin).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"JUSTICEWORK_CSRF_TRUSTED_ORIGINS items must start with https:// or http://; "
            f"got {_origin!r}."
        )

EMAIL_HOST = env_str("JUSTICEWORK_EMAIL_HOST")
EMAIL_PORT = env_int("JUSTICEWORK_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("JUSTICEWORK_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("JUSTICEWORK_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("JUSTICEWORK_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("JUSTICEWORK_EMAIL_FROM", "justicework@localhost") or ""
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Database ----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'justicework.sqlite3'}"
_scheme = urlparse(DATABASE_URL).scheme
if _scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://; got scheme {_scheme!r}."
    )
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60 if _scheme != "sqlite" else 0)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    _db.setdefault("OPTIONS", {})
    # PostgreSQL's JIT compiles every query costed above jit_above_cost: on list pages over a
    # million rows it cost more than it saved (docs/benchmarks.md, docs/violations-ui.md).
    _db["OPTIONS"].setdefault("options", "-c jit=off")
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, lock-outs) ------------------------------------------------------------
REDIS_URL = env_str("JUSTICEWORK_REDIS_URL")
if REDIS_URL:
    if urlparse(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            "JUSTICEWORK_REDIS_URL must start with redis://, rediss:// or unix://; "
            f"got scheme {urlparse(REDIS_URL).scheme!r}."
        )
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# --- Applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "justicework.core",
    "justicework.audit",
    "justicework.encryption",
    "justicework.search",
    "justicework.tasks",
    "justicework.web",
    "justicework.demo",
    "justicework.violations",
    "justicework.dataio",
    "justicework.backup",
    "justicework.evidence",
    "justicework.survivors",
    "justicework.law",
    "justicework.grants",
]

#: Reading person data with no declared use (core.uses) raises instead of being refused
#: quietly: on in tests, so a new endpoint that forgets its use fails loudly.
JUSTICEWORK_STRICT_USES = env_bool("JUSTICEWORK_STRICT_USES", False)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "justicework.core.middleware.UseContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "justicework.core.middleware.SessionTimeoutMiddleware",
    "justicework.core.middleware.ActiveOrganisationMiddleware",
    "justicework.core.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "justicework.urls"
WSGI_APPLICATION = "justicework.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "justicework.web.context_processors.shell",
            ],
        },
    },
]

# --- Accounts, passwords, MFA ------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
# allauth's backend extends ModelBackend; listing both would hash a wrong password twice.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "justicework.core.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Lock-out: failed logins are limited per IP and per account *for a window*, never permanently,
# so an attacker cannot lock a real user out for good by guessing wrong on purpose.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
# Client IP for the per-IP limits (allauth's and the API's): behind N reverse proxies it is the
# Nth-from-last X-Forwarded-For entry. 0 uses REMOTE_ADDR, which behind a proxy is the proxy's
# own address: every user would share one budget, and ten bad passwords would lock out everyone.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("JUSTICEWORK_TRUSTED_PROXY_COUNT", 0, minimum=0)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
# True switches off WebAuthn's origin check altogether (a phishing site could relay a passkey).
# fido2 already accepts https:// and http://localhost, so only DEBUG (http://127.0.0.1) needs it.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "JusticeWork"
# TOTP secrets and recovery-code seeds are sealed with the envelope encryption (encryption.mfa).
MFA_ADAPTER = "justicework.core.adapters.MFAAdapter"

# Sessions: idle timeout 30 minutes, absolute lifetime 12 hours (SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("JUSTICEWORK_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_ABSOLUTE_TIMEOUT = env_int("JUSTICEWORK_SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=300)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Session data sealed at rest: allauth keeps a TOTP secret there during set-up.
SESSION_ENGINE = "justicework.encryption.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("JUSTICEWORK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Maps --------------------------------------------------------------------------------------
# Tile server for the incident map, e.g. https://tiles.example.org/{z}/{x}/{y}.png ("{s}" allowed
# in the host). Empty (the default): no tiles are fetched; markers show on a plain background.
MAP_TILE_URL = env_str("JUSTICEWORK_MAP_TILE_URL", "") or ""
MAP_TILE_ATTRIBUTION = env_str("JUSTICEWORK_MAP_TILE_ATTRIBUTION", "") or ""
if MAP_TILE_URL:
    _tiles = urlparse(MAP_TILE_URL)
    if _tiles.scheme not in {"http", "https"} or not _tiles.netloc:
        raise ImproperlyConfigured(
            f"JUSTICEWORK_MAP_TILE_URL must start with https:// or http://; got {MAP_TILE_URL!r}."
        )
    # The browser fetches tiles as images: allow that origin (and only it) in img-src.
    _tile_origin = f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_tile_origin)

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
FORMAT_MODULE_PATH = ["justicework.formats"]  # one date format per language, on every page
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Background tasks --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Imports -----------------------------------------------------------------------------------
#: Hours an uploaded import file (rows in clear) is kept if it is never imported.
IMPORT_UPLOAD_TTL_HOURS = env_int("JUSTICEWORK_IMPORT_UPLOAD_TTL_HOURS", 24, minimum=1)

# --- Evidence vault ----------------------------------------------------------------------------
#: Where originals and uploads in progress are kept (docs/evidence.md, "Storage").
EVIDENCE_DIR = DATA_DIR / "evidence"
GRANTS_DIR = DATA_DIR / "grants"  # grant applications' attachments, sealed (docs/grants.md)
#: The largest file one upload may bring (bytes; 64 GiB by default, at least 10 GB allowed).
EVIDENCE_MAX_UPLOAD_BYTES = env_int("JUSTICEWORK_EVIDENCE_MAX_UPLOAD_BYTES", 64 << 30, minimum=1)
#: Storage each organisation may fill with originals and uploads in progress (bytes; 0: no limit).
EVIDENCE_QUOTA_BYTES = env_int("JUSTICEWORK_EVIDENCE_QUOTA_BYTES", 1 << 40, minimum=0)
#: Hours an unfinished upload is kept after its creation before it expires.
EVIDENCE_UPLOAD_TTL_HOURS = env_int("JUSTICEWORK_EVIDENCE_UPLOAD_TTL_HOURS", 72, minimum=1)
#: The name of this instance written in every evidence package's manifest.
EVIDENCE_INSTANCE_NAME = (
    env_str("JUSTICEWORK_INSTANCE_NAME") or (ALLOWED_HOSTS or ["justicework"])[0]
)
#: An RFC 3161 timestamp authority's URL; when set, every package's manifest is timestamped.
EVIDENCE_TSA_URL = env_str("JUSTICEWORK_EVIDENCE_TSA_URL") or ""
#: A PEM file of the C2PA signer roots this instance trusts (Content Credentials whose signer
#: chains to one read "trusted"; others "valid" with the finding "untrusted signer"). Empty: none.
EVIDENCE_C2PA_TRUST_LIST = env_str("JUSTICEWORK_EVIDENCE_C2PA_TRUST_LIST") or ""
if EVIDENCE_C2PA_TRUST_LIST and "-----BEGIN CERTIFICATE-----" not in (
    Path(EVIDENCE_C2PA_TRUST_LIST).read_text(encoding="ascii", errors="replace")
    if Path(EVIDENCE_C2PA_TRUST_LIST).is_file()
    else ""
):
    raise ImproperlyConfigured(
        "JUSTICEWORK_EVIDENCE_C2PA_TRUST_LIST must name a readable PEM file of certificates; "
        f"{EVIDENCE_C2PA_TRUST_LIST!r} is not one."
    )
#: Hours a package made on the web stays downloadable; then its ZIP is deleted (the record and
#: its manifest hash stay).
EVIDENCE_PACKAGE_TTL_HOURS = env_int("JUSTICEWORK_EVIDENCE_PACKAGE_TTL_HOURS", 168, minimum=1)
#: Where originals are kept: "local" (EVIDENCE_DIR) or "s3" (the bucket below).
EVIDENCE_STORAGE = env_str("JUSTICEWORK_EVIDENCE_STORAGE", "local") or "local"
if EVIDENCE_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(
        f"JUSTICEWORK_EVIDENCE_STORAGE is local or s3, not {EVIDENCE_STORAGE!r}."
    )
#: Seal new originals under the uploading organisation's data key (docs/evidence.md).
EVIDENCE_ENCRYPT = env_bool("JUSTICEWORK_EVIDENCE_ENCRYPT", False)
EVIDENCE_S3_BUCKET = env_str("JUSTICEWORK_EVIDENCE_S3_BUCKET") or ""
EVIDENCE_S3_ENDPOINT_URL = env_str("JUSTICEWORK_EVIDENCE_S3_ENDPOINT_URL") or ""
EVIDENCE_S3_REGION = env_str("JUSTICEWORK_EVIDENCE_S3_REGION", "us-east-1") or "us-east-1"
EVIDENCE_S3_ACCESS_KEY_ID = env_str("JUSTICEWORK_EVIDENCE_S3_ACCESS_KEY_ID") or ""
EVIDENCE_S3_SECRET_ACCESS_KEY = env_str("JUSTICEWORK_EVIDENCE_S3_SECRET_ACCESS_KEY") or ""
#: Prepended to every key (e.g. "justicework/"), to share a bucket.
EVIDENCE_S3_PREFIX = env_str("JUSTICEWORK_EVIDENCE_S3_PREFIX") or ""
#: auto (when the bucket has object lock), on (required), off.
EVIDENCE_S3_OBJECT_LOCK = env_str("JUSTICEWORK_EVIDENCE_S3_OBJECT_LOCK", "auto") or "auto"
EVIDENCE_S3_LOCK_MODE = env_str("JUSTICEWORK_EVIDENCE_S3_LOCK_MODE", "COMPLIANCE") or "COMPLIANCE"
EVIDENCE_S3_RETENTION_DAYS = env_int("JUSTICEWORK_EVIDENCE_S3_RETENTION_DAYS", 3650, minimum=1)
EVIDENCE_S3_GOVERNANCE_BYPASS = env_bool("JUSTICEWORK_EVIDENCE_S3_GOVERNANCE_BYPASS", False)
#: Files up to this size go in one PutObject; larger ones in parts of this size (at least 5 MiB).
EVIDENCE_S3_PART_BYTES = env_int("JUSTICEWORK_EVIDENCE_S3_PART_BYTES", 16 << 20, minimum=5 << 20)
if EVIDENCE_S3_OBJECT_LOCK not in {"auto", "on", "off"}:
    raise ImproperlyConfigured(
        f"JUSTICEWORK_EVIDENCE_S3_OBJECT_LOCK is auto, on or off, not {EVIDENCE_S3_OBJECT_LOCK!r}."
    )
if EVIDENCE_S3_LOCK_MODE not in {"COMPLIANCE", "GOVERNANCE"}:
    raise ImproperlyConfigured(
        "JUSTICEWORK_EVIDENCE_S3_LOCK_MODE is COMPLIANCE or GOVERNANCE, "
        f"not {EVIDENCE_S3_LOCK_MODE!r}."
    )
if EVIDENCE_STORAGE == "s3" and not EVIDENCE_S3_BUCKET:
    raise ImproperlyConfigured(
        "JUSTICEWORK_EVIDENCE_STORAGE is s3: set JUSTICEWORK_EVIDENCE_S3_BUCKET."
    )
#: Web capture (docs/evidence.md, "Web capture"): hosts that may be fetched (empty: any public
#: host; ``example.org`` that host, ``.example.org`` it and its subdomains) and hosts never fetched.
EVIDENCE_CAPTURE_ALLOWED_HOSTS = env_list("JUSTICEWORK_EVIDENCE_CAPTURE_ALLOWED_HOSTS", [])
EVIDENCE_CAPTURE_DENIED_HOSTS = env_list("JUSTICEWORK_EVIDENCE_CAPTURE_DENIED_HOSTS", [])
#: Allow loopback addresses (127.0.0.0/8, ::1) for tests and development only; never private ones.
EVIDENCE_CAPTURE_ALLOW_LOOPBACK = env_bool("JUSTICEWORK_EVIDENCE_CAPTURE_ALLOW_LOOPBACK", False)
if PRODUCTION and EVIDENCE_CAPTURE_ALLOW_LOOPBACK:
    raise ImproperlyConfigured(
        "JUSTICEWORK_EVIDENCE_CAPTURE_ALLOW_LOOPBACK is for tests and development only."
    )
EVIDENCE_CAPTURE_MAX_BYTES = env_int("JUSTICEWORK_EVIDENCE_CAPTURE_MAX_BYTES", 100 << 20, minimum=1)
EVIDENCE_CAPTURE_TIMEOUT_SECONDS = env_int(
    "JUSTICEWORK_EVIDENCE_CAPTURE_TIMEOUT_SECONDS", 30, minimum=1
)
EVIDENCE_CAPTURE_MAX_REDIRECTS = env_int("JUSTICEWORK_EVIDENCE_CAPTURE_MAX_REDIRECTS", 5, minimum=0)
EVIDENCE_CAPTURE_USER_AGENT = (
    env_str("JUSTICEWORK_EVIDENCE_CAPTURE_USER_AGENT")
    or "JusticeWork-capture/1.0 (+evidence preservation)"
)
#: The headless browser that takes the screenshot of a captured page ("": no screenshots).
EVIDENCE_CAPTURE_BROWSER = (
    env_str("JUSTICEWORK_EVIDENCE_CAPTURE_BROWSER", "/usr/bin/chromium") or ""
)
#: Bulk ingest (``justicework evidence ingest``): a ZIP entry whose bytes pass this many times its
#: compressed size (beyond 1 MiB) is a ZIP bomb; the bytes one run may bring at most.
EVIDENCE_INGEST_MAX_RATIO = env_int("JUSTICEWORK_EVIDENCE_INGEST_MAX_RATIO", 200, minimum=1)
EVIDENCE_INGEST_MAX_TOTAL_BYTES = env_int(
    "JUSTICEWORK_EVIDENCE_INGEST_MAX_TOTAL_BYTES", 256 << 30, minimum=1
)
# --- Survivors, grants: own modules (docs/survivors.md, docs/grants.md) -------------------------
from justicework.settings_applications import *  # noqa: E402, F403  (GRANTS_ of applications)
from justicework.settings_grants import *  # noqa: E402, F403  (every GRANTS_ name; grmoney)
from justicework.settings_grants_publication import *  # noqa: E402, F403  (360Giving, IATI)
from justicework.settings_survivors import *  # noqa: E402, F403  (every SURVIVORS_ name)

# --- API ---------------------------------------------------------------------------------------
API_RATE_LIMIT = env_str("JUSTICEWORK_API_RATE_LIMIT", "600/m") or "600/m"
#: Duplicate checks (an identity look-up) per user, web and API together; separate and tight.
DUPLICATE_CHECK_RATE_LIMIT = env_str("JUSTICEWORK_DUPLICATE_CHECK_RATE_LIMIT", "60/h") or "60/h"
API_TOKEN_MAX_DAYS = env_int("JUSTICEWORK_API_TOKEN_MAX_DAYS", 365, minimum=1)

# --- Need-to-know --------------------------------------------------------------------------------
#: Days the creator of a person keeps the automatic need-to-know grant on its identity.
CREATOR_NEED_TO_KNOW_DAYS = env_int("JUSTICEWORK_CREATOR_NEED_TO_KNOW_DAYS", 30, minimum=1)
#: The expiry proposed when a request is approved or a set of persons is granted (days).
NEED_TO_KNOW_DEFAULT_DAYS = env_int("JUSTICEWORK_NEED_TO_KNOW_DEFAULT_DAYS", 90, minimum=1)

# --- Search ------------------------------------------------------------------------------------
SEARCH_BACKEND = (
    "justicework.search.backends.postgres.PostgresBackend"
    if _db["ENGINE"] == "django.db.backends.postgresql"
    else "justicework.search.backends.sqlite.SqliteBackend"
)

# --- Logging: never identity plaintext; request bodies are not logged ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("JUSTICEWORK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
