"""All settings come from environment variables, with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CLINIC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def misconfigured(name, why):
    """Stop at start with one line naming the setting (no traceback)."""
    raise SystemExit(f"Configuration error: {name} {why}")


DEBUG = env_bool("DJANGO_DEBUG", True)
# For trying the production settings on a laptop: plain http on 127.0.0.1 (check --deploy warns).
ALLOW_PLAIN_HTTP = env_bool("DJANGO_ALLOW_PLAIN_HTTP", False)
DEVELOPMENT_KEY = "development-only-key-not-for-production-use-0123456789"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not DEBUG and not SECRET_KEY:
    misconfigured("DJANGO_SECRET_KEY", "must be set when DJANGO_DEBUG=0")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY == DEVELOPMENT_KEY):
    misconfigured("DJANGO_SECRET_KEY", "must be 50 or more random characters")
SECRET_KEY = SECRET_KEY or DEVELOPMENT_KEY
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not DEBUG and not ALLOWED_HOSTS:
    misconfigured("DJANGO_ALLOWED_HOSTS", "must name the site's host(s) when DJANGO_DEBUG=0")
if ALLOW_PLAIN_HTTP and not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS):
    misconfigured(
        "DJANGO_ALLOW_PLAIN_HTTP", "is only for 127.0.0.1: DJANGO_ALLOWED_HOSTS is public"
    )
ALLOWED_HOSTS = ALLOWED_HOSTS or [*LOOPBACK_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
PORT = int(os.environ.get("PORT", "8000"))
# Prefix of Celery queues and cache keys: lets several test runs share one Redis.
NAMESPACE = os.environ.get("CLINIC_NAMESPACE", "")
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_countries",
    "axes",
    "csp",
    "viewflow",
    "viewflow.workflow",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "clinic",
    "cohorts",
    "mentoring",
    "mentoring.matchmaking",
    "mentoring.events",  # after matchmaking: its demo day presents the seeded listings
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clinic.middleware.NullCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clinic.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.ratelimit.RateLimitMiddleware",
    "clinic.middleware.RefusedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our templates/ must win over viewflow's registration and error templates.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.navigation",
            ],
        },
    }
]

# Serving needs the database and the broker; a build step (collectstatic, compilemessages, check)
# does not. What is missing is named here and refused when a server, a worker or any other command
# starts (clinic/startup.py), so a build runs with the secret key and the hosts alone.
MISSING_SERVICES = []
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DEBUG and not DATABASE_URL:
    MISSING_SERVICES.append(
        "DATABASE_URL must be set when DJANGO_DEBUG=0 (postgres://user:password@host/db)"
    )
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
else:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL or f"sqlite:///{VAR_DIR / 'clinic.sqlite3'}",
                conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
                # A connection the server dropped (restart, failover) is replaced, not a 500.
                conn_health_checks=True,
            )
        }
    except ValueError:
        misconfigured("DATABASE_URL", "is not a database URL (postgres://user:password@host/db)")
TRIGRAM_THRESHOLD = float(os.environ.get("TRIGRAM_THRESHOLD", "0.35"))
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE: a transaction takes the write lock when it begins, so two requests changing the
    # same row run one after the other (SQLite has no select_for_update; see clinic/transitions.py).
    # WAL: readers never hold up a commit, so a write that took the lock at BEGIN commits (in
    # the default journal a reader made the outbox's commit after sending fail, "database is
    # locked", and the sweep sent the mail again). An in-memory database ignores it.
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
elif DATABASE_URL:  # a stopped server fails the request in seconds, with the error page
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # How similar a name must be to a search to match it (clinic/text_search.py): "Grean
    # Compnay" finds "Green Company" (0.41), "Jonh" finds "John" (0.4).
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c pg_trgm.word_similarity_threshold={TRIGRAM_THRESHOLD}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clinic.User"

# The REST API (clinic/api/): personal tokens or the session; limits in RATE_LIMITS above.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clinic.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # our own pages
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["clinic.api.throttles.RateLimitThrottle"],
    "DEFAULT_PAGINATION_CLASS": "clinic.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "clinic.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "clinic.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IP Clinic API",
    "DESCRIPTION": "Programmes, applications, selection and mentoring of an IP Management Clinic. "
    "Authenticate with `Authorization: Bearer <token>` (tokens are made on the API tokens page).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clinic.api.schema.without_backend_bounds",
    ],
    "ENUM_NAME_OVERRIDES": {
        "GreenAreaEnum": "clinic.models.companies.GreenArea",
        "OutcomeEnum": "cohorts.models.selection.Outcome",
        "MaturityEnum": "clinic.dimensions.Maturity",
        "ActionItemStatusEnum": "mentoring.models.plans.ActionItem.Status",
        "CurrencyEnum": "clinic.models.companies.CURRENCIES",
        "DimensionEnum": "clinic.dimensions.Dimension",
        "QuotaDimensionEnum": "cohorts.models.cohorts.QuotaDimension",
    },
}
API_TOKEN_MAX_DAYS = 365
API_ACCESS_LOG_DAYS = 30  # reads through the API are kept this long (clinic.api.jobs)
API_IDEMPOTENCY_HOURS = 24
# Webhooks (clinic/services/webhooks.py): tests allow loopback targets and trust their own CA.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_CA_FILE = os.environ.get("WEBHOOK_CA_FILE", "")
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_RETRY_BACKOFF = int(os.environ.get("WEBHOOK_RETRY_BACKOFF", "60"))
WEBHOOK_DELIVERY_DAYS = int(os.environ.get("WEBHOOK_DELIVERY_DAYS", "90"))  # then purged
AUTHENTICATION_BACKENDS = [
    "clinic.ratelimit.LoginRateLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 9},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
# A guest's event link (mentoring/events/services/links.py) works for at most this many days
# after it was mailed, and never longer than this many days after its event ended.
EVENT_GUEST_LINK_MAX_AGE_DAYS = int(os.environ.get("EVENT_GUEST_LINK_MAX_AGE_DAYS", "180"))
EVENT_GUEST_LINK_DAYS_AFTER_END = int(os.environ.get("EVENT_GUEST_LINK_DAYS_AFTER_END", "14"))

# The client IP: 0 = REMOTE_ADDR; N = the Nth address from the right of X-Forwarded-For (the
# number of our own proxies in front of the application). Axes and the rate limits use it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Rate limits (clinic/ratelimit.py): name -> (count, period in seconds).
RATE_LIMITS = {
    "signup": (5, 3600),  # sign-ups per client IP
    "verification_mail": (3, 3600),  # per address (also "someone tried to register with it")
    "invitation_mail": (3, 3600),  # per invited address
    "reset_mail": (3, 3600),  # password reset requests per address
    "login_failure": (30, 15 * 60),  # failed log-ins per client IP (successes never count)
    "api_token": (1000, 3600),  # API requests per token
    "api_user": (2000, 3600),  # API requests per user (all their tokens and their session)
    "api_anonymous": (300, 3600),  # API requests without credentials, per client IP
}
RATE_LIMIT_CACHE = "default"
RATE_LIMIT_KEY_PREFIX = "ratelimit"

# Per account (any IP); the per-IP limit on failed log-ins is RATE_LIMITS["login_failure"].
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "clinic.ratelimit.client_ip"
# axes.W006 asks for a per-IP lockout in axes: ours is the failures-only limit above, so that a
# room of participants behind one NAT address is never locked out by axes' 5 failures.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploads are private: no URL pattern serves MEDIA_URL; views check permission and stream files.
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "clinic.staticfiles.ManifestStorage"
    },
}
# Media on S3-compatible object storage (a private bucket) when S3_BUCKET is set; downloads still
# stream through the views' permission checks, never a public or signed bucket URL.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    for name in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
        if not os.environ.get(name):
            misconfigured(name, "must be set when S3_BUCKET is set")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "access_key": os.environ["S3_ACCESS_KEY_ID"],
            "secret_key": os.environ["S3_SECRET_ACCESS_KEY"],
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IP Clinic <clinic@localhost>")

# Outbox: how often a message is tried and how long to wait between tries (seconds).
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "5"))
OUTBOX_RETRY_BACKOFF = int(os.environ.get("OUTBOX_RETRY_BACKOFF", "60"))
OUTBOX_SWEEP_AFTER = int(os.environ.get("OUTBOX_SWEEP_AFTER", "120"))
# Action plan PDFs still queued after this many seconds are queued again (their task was lost).
PLAN_SWEEP_AFTER = int(os.environ.get("PLAN_SWEEP_AFTER", "120"))
# A worker rendering a plan stamps its heartbeat this often (seconds); the sweep re-queues a plan
# whose heartbeat is older than PLAN_HEARTBEAT_STALE (its worker died), never a live one.
PLAN_HEARTBEAT_SECONDS = float(os.environ.get("PLAN_HEARTBEAT_SECONDS", "15"))
PLAN_HEARTBEAT_STALE = float(os.environ.get("PLAN_HEARTBEAT_STALE", "60"))
# How often beat runs the sweeps of lost work (seconds).
SWEEP_EVERY = float(os.environ.get("SWEEP_EVERY", "15"))

# Currency rates to EUR used for a company's size class outside a cohort (a cohort has its own).
DEFAULT_EUR_RATES = {"EUR": "1", "CNY": "0.128", "USD": "0.92", "HKD": "0.118", "GBP": "1.17"}

# The TrueType font embedded (as a subset) in PDFs for CJK text.
CJK_FONT_PATH = os.environ.get("CJK_FONT_PATH", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

REDIS_URL = os.environ.get("REDIS_URL", "")
if not DEBUG and not REDIS_URL:
    MISSING_SERVICES.append("REDIS_URL must be set when DJANGO_DEBUG=0 (redis://host:6379/0)")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    misconfigured("REDIS_URL", "must start with redis://, rediss:// or unix://")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Ranking cache and rate limits shared by every process; an outage means no cache.
    CACHES = {
        "default": {
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
            "KEY_PREFIX": f"{NAMESPACE}cache",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif not DEBUG:  # REDIS_URL is missing: refused at start; a build step needs no broker
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
else:
    # Embedded default: a broker in files under var/, so no server needs installing.
    BROKER_DIR = VAR_DIR / "broker"
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # The transport reads one message per poll: poll often so a backlog drains quickly.
        "polling_interval": 0.05,
    }
    CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# The broker may be down for a while (restart, failover): workers reconnect for ever.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A publish that cannot reach the broker fails fast; the row stays queued for the sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# One queue per kind of work, so slow PDFs never hold up mail (make prod starts a worker each).
QUEUE_MAIL, QUEUE_PDF, QUEUE_DEFAULT = (f"{NAMESPACE}{kind}" for kind in ("mail", "pdf", "default"))
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in (QUEUE_DEFAULT, QUEUE_MAIL, QUEUE_PDF)
]
CELERY_TASK_DEFAULT_QUEUE = QUEUE_DEFAULT
CELERY_TASK_ROUTES = {
    "clinic.tasks.send_outbox_message": {"queue": QUEUE_MAIL},
    "mentoring.tasks.render_plan_version": {"queue": QUEUE_PDF},
    "mentoring.tasks.render_impact_report": {"queue": QUEUE_PDF},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "clinic.tasks.sweep_outbox", "schedule": SWEEP_EVERY},
    "sweep-plan-versions": {"task": "mentoring.tasks.sweep_plan_versions", "schedule": SWEEP_EVERY},
    "workflow-timers": {"task": "clinic.tasks.fire_workflow_timers", "schedule": 60.0},
    "periodic-jobs": {"task": "clinic.tasks.run_periodic_jobs", "schedule": crontab(minute="*/15")},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script, style or event handler anywhere: behaviour lives in static/js, looks in
# static/css (htmx's indicator style too: see the htmx-config meta tag in templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Behind a TLS proxy that sets X-Forwarded-Proto (docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG and not ALLOW_PLAIN_HTTP:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
