"""Settings for EMSLIRP.

The environment is read once, here. With nothing set, the project runs on an embedded
SQLite database in ``var/``, runs Celery tasks in-process and prints e-mail to the
console, so ``make run`` works on an empty machine. ``DATABASE_URL`` and ``REDIS_URL``
switch to PostgreSQL and a Redis broker. ``DJANGO_ENV=production`` refuses to start
without its secrets and turns on every protection ``check --deploy`` asks for.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EMSLIRP_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


if PRODUCTION:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 varied characters.")
    ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
    DEBUG = False
else:
    # A development key: never used in production, which refuses to start without its own.
    SECRET_KEY = os.environ.get(
        "DJANGO_SECRET_KEY", "development-only-key-emslirp-not-for-production-use-0123456789"
    )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"

INSTALLED_APPS = [
    "emslirp.apps.EmslirpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "crispy_forms",
    "crispy_forms_gds",
    "auditlog",
    "axes",
    "emslirp.apps.EmslirpConfig",
    "accreditation.apps.AccreditationConfig",
    "reviews.apps.ReviewsConfig",
    "safeguarding.apps.SafeguardingConfig",
    "calendar_planner.apps.CalendarPlannerConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "emslirp.security.NoStoreWhenSignedInMiddleware",
    # A form sent twice is done once (STYLE 13); it needs the user and the messages.
    "emslirp.idempotency.IdempotentPostMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# No inline script or style, nothing from elsewhere, in development as in production:
# every script and stylesheet is a file of the project's own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# A form's text may be long (a self-assessment's answers); each answer has its own limit,
# said at its field. Past this, the request is refused with the product's own page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

ROOT_URLCONF = "emslirp.urls"
WSGI_APPLICATION = "emslirp.wsgi.application"

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
                "emslirp.context_processors.service",
            ],
            # ``{% form_token %}`` in every form that creates or changes something.
            "builtins": ["emslirp.templatetags.form_token"],
        },
    },
]

# Production never falls back to SQLite or in-process tasks: a missing URL is a mistake.
DATABASE_URL = _required("DATABASE_URL") if PRODUCTION else os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "emslirp.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "emslirp.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "emslirp.permissions.CoordinatorBackend",
    "guardian.backends.ObjectPermissionBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# django-guardian: no anonymous user row; anonymous visitors have no object rights at all.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

# django-axes: five wrong passwords for one account from one address locks it for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Addresses are matched whatever their case at sign-in, so failures are counted the same
# way: "Dcs@X" and "dcs@x" are one account, with one count.
AXES_USERNAME_CALLABLE = "emslirp.auth.lockout_username"
# Behind a proxy every request comes from the proxy: counted by that address, anyone could
# lock anyone out. EMSLIRP_PROXY_COUNT says how many trusted proxies stand in front.
EMSLIRP_PROXY_COUNT = int(os.environ.get("EMSLIRP_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "emslirp.auth.client_ip"
AXES_VERBOSE = False

# django-auditlog: who changed what; the actor comes from AuditlogMiddleware.
AUDITLOG_INCLUDE_ALL_MODELS = False

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Built by `make assets` from static/scss and the npm registry's packages.
STATICFILES_DIRS = [VAR_DIR / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

REDIS_URL = _required("REDIS_URL") if PRODUCTION else os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # No broker: tasks run in the request's process, after its transaction commits.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that then vanished (killed, the machine lost) goes back to
# the queue after this many seconds; the tasks are safe to run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("EMSLIRP_BROKER_VISIBILITY_TIMEOUT", "3600")),
    # Workers look for such messages every 10 s (kombu's default is every 100 s).
    "unacked_restore_interval": int(os.environ.get("EMSLIRP_BROKER_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
}

# Reminders (R37) ---------------------------------------------------------------------------
# When each kind of reminder goes: working days from its due date, negative before it, 0 on
# the day, positive after it (overdue). Only the latest step reached is ever sent.
REMINDER_STEPS = {
    "self_assessment": (-20, -5, 0, 10),
    "information_set": (-10, -3, 0, 2),
    "hypotheses_decision": (-5, -2, 0, 2),
    "conference_call": (-2, 0),
    "qa_proofread": (0, 1, 3),
    "letter_due": (-3, 0, 1, 5),
    "incident_response": (0, 1, 2),
    "reflection": (-5, -1, 0),
    "eoi_sponsor": (-3, 0, 5),
    "accreditation_lapsing": (-10, -2, 0),
}
# The annual self-assessment is due on this day (month, day) of each year (R17).
SELF_ASSESSMENT_DUE = (3, 31)
# A reminder handed to the worker and still not sent after this long is handed out again.
REMINDER_REQUEUE_AFTER = datetime.timedelta(
    seconds=int(os.environ.get("EMSLIRP_REMINDER_REQUEUE_SECONDS", "3600"))
)
# A reminder the mail server refuses is tried again at later sweeps, this many times in all.
REMINDER_MAX_ATTEMPTS = 5
# Celery beat sweeps the deadlines every quarter of an hour in working hours, London time,
# so that nobody is e-mailed in the night; EMSLIRP_REMINDER_SWEEP_SECONDS sweeps at a
# fixed interval instead.
if os.environ.get("EMSLIRP_REMINDER_SWEEP_SECONDS"):
    _SWEEP_SCHEDULE = float(os.environ["EMSLIRP_REMINDER_SWEEP_SECONDS"])
else:
    _SWEEP_SCHEDULE = crontab(minute="*/15", hour="7-18", day_of_week="mon-fri")
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {"task": "emslirp.tasks.task_reminders_sweep", "schedule": _SWEEP_SCHEDULE},
    # A reflection missed by its closing day flags the accreditation (R8), early each day.
    "flag-missed-reflections": {
        "task": "reviews.tasks.task_reflections_missed_flag",
        "schedule": crontab(hour=6, minute=30),
    },
    # Used form tokens are kept a week, long past any repeat that could get through.
    "purge-form-tokens": {
        "task": "emslirp.tasks.task_form_tokens_purge",
        "schedule": crontab(hour=3, minute=15),
    },
}

if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _required("EMAIL_HOST")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EMSLIRP <no-reply@emslirp.localhost>")

SERVICE_NAME = "East Midlands Sector-Led Improvement"
# Where links in e-mails point: the first allowed host over HTTPS in production.
BASE_URL = os.environ.get("EMSLIRP_BASE_URL", "").rstrip("/") or (
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day on site
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; lockouts still come through as warnings.
    # WeasyPrint logs each step of every PDF at INFO; its refusals still come through.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
