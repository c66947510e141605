"""Settings for the OIH clinic site, all driven by the environment.

Every variable is listed in `.env.example`. Debug is off unless asked for, and
with debug off the site refuses to start without a secret key and allowed hosts.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name, default):
    """A yes/no variable. Any other word stops the start: a typo in DJANGO_HTTPS must not
    quietly turn off HTTPS, secure cookies and HSTS."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is neither true nor false. "
        f"Use one of {', '.join(TRUE_WORDS)} or {', '.join(FALSE_WORDS)}."
    )


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# Core
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-not-for-production-use"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
elif not SECRET_KEY or not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off."
    )
# The ports a Host header may name (oih_site/host_port.py): the usual ones behind the proxy,
# runserver's in development; "*" for any.
ALLOWED_HOST_PORTS = env_list("DJANGO_ALLOWED_HOST_PORTS") or (
    ["80", "443", "8000"] if DEBUG else ["80", "443"]
)

# Applications
INSTALLED_APPS = [
    "accounts.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "procrastinate.contrib.django",
    "accounts",
    "education",
    "intake",
    # Site-wide operations commands only (backup_database, restore_database); no models.
    "oih_site",
]

MIDDLEWARE = [
    # First: no redirect or page is built for a Host header naming another port.
    "oih_site.host_port.HostPortMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "oih_site.no_store.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English at the plain addresses, Spanish under /es/ (oih_site/language.py).
    "django.middleware.locale.LocaleMiddleware",
    "oih_site.language.OldSpanishAddressMiddleware",
    "oih_site.language.PreferredLanguageRedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.staff_idle.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.known_device.KnownDeviceMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oih_site.urls"
CSRF_FAILURE_VIEW = "oih_site.views.csrf_failure"
# No form here needs more than a few kilobytes; refuse oversized bodies early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
WSGI_APPLICATION = "oih_site.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
# Every page under these shows patient data or staff secrets: browsers must not store them.
NO_STORE_PATH_PREFIXES = ["/" + ADMIN_URL, "/intake/", "/es/formulario/", "/es/intake/"]

# Templates: the cached loader is on by default when debug is off.
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
                "django.template.context_processors.i18n",
                "oih_site.language.language_links",
            ],
        },
    },
]

# Database: DATABASE_URL names the server. Only where asked for (OIH_EMBEDDED_DB=1, which
# the Makefile and the test set-up give when DATABASE_URL is unset) the embedded PostgreSQL
# in .pgdata/, started on the first connection, so a command that needs no database starts
# none. A production start with neither refuses rather than create a database in the checkout.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
elif env_bool("OIH_EMBEDDED_DB", False):
    DATABASES = {
        "default": {
            "ENGINE": "oih_site.embedded_db",
            "NAME": "oih",
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Set it to the PostgreSQL server's URL, such as "
        "postgres://user:password@db.example.org:5432/oih, or set OIH_EMBEDDED_DB=1 for a local "
        "embedded database in .pgdata/ (make run and make test do this for you)."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by the workers of one server (files), or Redis across servers.
CACHE_DIR = os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR,
    }
}
if os.environ.get("DJANGO_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["DJANGO_REDIS_URL"],
        "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", ""),
    }
    # Sessions read from Redis and written through to PostgreSQL, so none is lost.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Each worker also keeps the article pages it served in memory, up to these bounds.
EDUCATION_PAGE_CACHE_LOCAL_PAGES = int(os.environ.get("DJANGO_PAGE_CACHE_LOCAL_PAGES", "500"))
EDUCATION_PAGE_CACHE_LOCAL_BYTES = int(
    os.environ.get("DJANGO_PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024))
)

# Passwords and sign-in
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes counts failed sign-ins: five in a row lock that username, and that address,
# for 15 minutes (a password check is slow here, but guessing must be slower still).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# Per client: five misses pause that client's address for every account, and never lock an
# account for everyone (a guesser elsewhere cannot keep a clinician out). A device that
# signed in to the account before is exempt (accounts/known_device.py).
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_WHITELIST_CALLABLE = "accounts.known_device.is_known_device"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "oih_site.client_address.client_address"
# Proxies of ours in front of the app (load balancer, reverse proxy): the client's address
# is the one the outermost of them saw. 0 (no proxy) ignores X-Forwarded-For, which a
# client could forge. Used by the sign-in lockout and the resume limit alike.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT") or 0)
# Staff are signed out after 15 minutes without a staff page (a warning comes first), timed
# on their own clock (accounts/staff_idle.py): a patient form in the same browser stretches
# the session, never the staff sign-in.
STAFF_IDLE_SECONDS = 15 * 60
SESSION_COOKIE_AGE = STAFF_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
STAFF_IDLE_WARNING_SECONDS = 2 * 60
OTP_TOTP_ISSUER = "Pain clinic"
# Not even a superuser reads a clinician's authenticator secret back from the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Language and time: patient pages in English (plain URLs) and Spanish (/es/...); the admin
# stays in English. Catalogues in locale/ are compiled by `manage.py compile_catalogues`.
LANGUAGE_CODE = "en"
# Dates and times in each language's own format (US in English): Django's locale formats,
# with the few US ones it spells differently in oih_site/formats/.
FORMAT_MODULE_PATH = ["oih_site.formats"]
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves compressed files with hashed names.
STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded article pictures: this server's disk by default, or a cloud store named by
# DJANGO_MEDIA_STORAGE (e.g. storages.backends.s3.S3Storage, configured by its own variables).
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/learn/media/"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Patient intake: unfinished forms expire, idle pages warn first, resuming is rate-limited.
INTAKE_EXPIRY_DAYS = int(os.environ.get("DJANGO_INTAKE_EXPIRY_DAYS", "14"))
INTAKE_IDLE_MINUTES = int(os.environ.get("DJANGO_INTAKE_IDLE_MINUTES", "30"))
RESUME_WINDOW_MINUTES = 15
RESUME_ATTEMPTS_PER_ADDRESS = 10
RESUME_ATTEMPTS_PER_CODE = 5
# After that many wrong birth dates a code is paused for this long, then may be tried again.
RESUME_LOCK_MINUTES = 15
# Emails a patient's page may send (a resume link, "your form arrived"): per intake and per
# address in a day, per client in an hour. A waiting room on one Wi-Fi shares an address, so
# the client's limit is the loosest.
PATIENT_EMAILS_PER_INTAKE = 3
PATIENT_EMAILS_PER_ADDRESS = 5
PATIENT_EMAILS_PER_CLIENT = 20

# Patient education: publishing an article needs a clinician's sign-off unless turned off.
EDUCATION_PUBLISH_REQUIRES_SIGNOFF = env_bool("DJANGO_PUBLISH_REQUIRES_SIGNOFF", True)

# Site address: absolute links in emails (the request is not there to say it).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
)

# Email: printed to the console in development, sent by SMTP in production. Messages are
# queued as background jobs (oih_site/tasks.py), so a slow or absent server delays a message
# but never a page.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# A server that does not answer fails the attempt, which is retried later.
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Clinicians on duty: told at once, with no patient data, when an urgent alert arrives.
URGENT_ALERT_EMAILS = env_list("DJANGO_URGENT_ALERT_EMAILS")
# An urgent item nobody has reviewed this long after it arrived is sent to them again.
URGENT_ESCALATION_MINUTES = int(os.environ.get("DJANGO_URGENT_ESCALATION_MINUTES", "60"))

# Background jobs: procrastinate keeps its queue in PostgreSQL (`manage.py procrastinate
# worker` runs them). A job deferred inside a transaction commits, or not, with it.
PROCRASTINATE_IMPORT_PATHS = ["oih_site.tasks"]
# A message's text is needed only until it is sent.
PROCRASTINATE_WORKER_DEFAULTS = {"delete_jobs": "successful"}

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Questions added to the intake's answer table (intake.answers.Answer entries): read by the
# document, the import, the FHIR export and the clinician's pages; kept in Intake.more_answers.
OIH_EXTRA_ANSWERS = ()

# Transport security: on whenever debug is off, unless DJANGO_HTTPS=0 (a local
# benchmark or test server on plain http behind no proxy).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# The balancer's health checks may speak plain http to the app server: answer, never redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A strict Content-Security-Policy: our own scripts, styles and images only, never inline.
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

# Logging: patient answers are never logged. Request bodies are not logged at all, and SQL
# (whose parameters are patient answers) stays out of the logs even at DEBUG.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "drop_queries": {"()": "oih_site.log_filters.DropQueryLog"},
        "hide_job_arguments": {"()": "oih_site.log_filters.HideJobArguments"},
        "mask_secret_paths": {"()": "oih_site.log_filters.MaskSecretPaths"},
    },
    # On the handler, so that it sees the records of every procrastinate logger: a job's
    # arguments hold an email's text and recipients, and its task name and id suffice.
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_job_arguments"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO", "filters": ["drop_queries"]},
        # Request paths can hold a resume or check-in link's token.
        "django.request": {"filters": ["mask_secret_paths"]},
        "django.server": {"filters": ["mask_secret_paths"]},
        "pgserver": {"level": "WARNING"},
        # Says at every start that the app's tasks were registered: nothing to act on.
        "procrastinate.blueprints": {"level": "WARNING"},
    },
}
