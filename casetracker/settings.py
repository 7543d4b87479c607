"""Casetracker settings, read from environment variables (see README, "Configuration").

With nothing set, the app runs on its embedded default: SQLite and files under
var/, Celery on a filesystem broker, mail written to var/mail/.
"""

from pathlib import Path

import django
from celery.schedules import crontab

from casetracker.env import ConfigurationError, Env, local_secret_key, next_redis_database

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", True)

SECRET_KEY = env.str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = local_secret_key(VAR_DIR)
# Rotating the key: the new one in SECRET_KEY, the old one here until sessions and reset links signed with it have
# expired (two weeks), so nobody is signed out meanwhile (README, "Operations").
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must be set when DEBUG is off (e.g. cases.example.org).")

# The apps that hold the case record: roles grant rights on them, and any change to them
# retires the cached public pages.
CASE_APPS = ["prisoners", "events"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.forms",  # Django's own widget templates, for the template engines FORM_RENDERER reads (below)
    "django_filters",
    "simple_history",
    "axes",
    *CASE_APPS,
    "alerts",
    "publicsite",
    "registers",
    "review",
]

MIDDLEWARE = [
    "casetracker.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casetracker.languages.LanguageMiddleware",  # after authentication: staff pages follow the staff member's choice
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "casetracker.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "casetracker.urls"
WSGI_APPLICATION = "casetracker.wsgi.application"

# Form widgets are drawn from Django's Jinja2 copies of its widget templates, found first (only those: no other
# template has a name there), and everything else from the Django templates below. The same HTML, about four times
# faster to draw: a case's admin page has six hundred widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(django.__file__).parent / "forms" / "jinja2"],
        "APP_DIRS": False,
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casetracker.languages.language_links",
            ],
        },
    },
]

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'casetracker.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable database is a quick error (a 503 from /healthz), never a worker stuck until gunicorn's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", 5, min_value=1, max_value=120)
    )
if not DEBUG and not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ConfigurationError("DATABASE_URL must point to PostgreSQL (postgres://…) when DEBUG is off.")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for a writer instead of failing when the web app and the worker write together.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # Tests use a file too, so threads (a Celery worker, parallel scans) share it like processes do.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_casetracker.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The app's queries are short: PostgreSQL's JIT would spend longer compiling one than running it (0.4 s of 0.6 s
    # for a name search on the public list at 100,000 prisoners) whenever the planner's estimate passes jit_above_cost.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A process keeps its connection between requests: opening one (with the password handshake) costs more than
    # serving a cached page. It is checked before reuse, so one a database restart broke is replaced, not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", 300, min_value=0, max_value=86400)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A kept connection to a database host that vanished (a crash, a partition) fails as quickly as a new one would:
    # what was sent and never acknowledged ends it after the connect timeout, and idle ones are probed.
    DATABASES["default"]["OPTIONS"].update(
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=5,
        keepalives_count=3,
        tcp_user_timeout=int(DATABASES["default"]["OPTIONS"]["connect_timeout"]) * 1000,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site in the prisoners' languages and English (README, "Languages"). English is the default and keeps the
# addresses it has always had; Belarusian and Russian pages live under /be/ and /ru/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["casetracker.formats"]  # Belarusian number formats, which Django lacks
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language switcher's choice, read only by the bare home page
TIME_ZONE = env.time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(VAR_DIR / "static")))
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; filled by collectstatic
# Uploads (prisoners' photos). Never served from here to the public: a public photo goes
# through the public site's chokepoint; staff see all photos through an admin-only view.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# In production whitenoise serves collected, compressed, fingerprinted files (collectstatic first).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security. HTTPS defaults on with DEBUG off; BEHIND_PROXY trusts X-Forwarded-Proto from
# the reverse proxy that terminates TLS, and PROXY_COUNT tells how many proxies append to
# X-Forwarded-For, so the login throttle finds the client's address (casetracker.client_address).
HTTPS = env.bool("HTTPS", not DEBUG)
BEHIND_PROXY = env.bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PROXY_COUNT = env.int("PROXY_COUNT", 1 if BEHIND_PROXY else 0, min_value=0, max_value=5)
if BEHIND_PROXY and not PROXY_COUNT:
    # Every login would come from the proxy's address: one attacker's failures would lock a username for all.
    raise ConfigurationError("PROXY_COUNT=0 with BEHIND_PROXY=true: set the number of proxies in front (1 for one).")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", 31_536_000 if HTTPS else 0, min_value=0, max_value=63_072_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

# Content Security Policy: the site itself only. No CDN, font, analytics or any third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Failed admin logins: after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; the username stays open to
# other addresses, so an attacker cannot lock an editor out.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5, min_value=1, max_value=100)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", 15, min_value=1, max_value=10_080) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "casetracker.client_address.client_address"

# Mail: EMAIL_URL=smtp://user:password@host:port; unset, mail is written to var/mail/.
_email = env.email("EMAIL_URL")
if _email is None:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
else:
    globals().update({key: value for key, value in _email.items() if value not in (None, "")})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Casetracker <casetracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 30, min_value=1, max_value=600)

REDIS_URL = env.redis_url("REDIS_URL")
if not DEBUG and not REDIS_URL:
    # Without a shared cache each worker would keep pages in its own memory, and the Celery broker
    # would be a local folder that the web and worker containers do not share.
    raise ConfigurationError("REDIS_URL must be set when DEBUG is off (e.g. redis://redis:6379/0).")

# Public pages are cached in Redis, in a logical database of their own (the broker's is REDIS_URL's):
# by default the one after REDIS_URL's. Without Redis, in this process's memory. Cache errors never
# break a page (casetracker.redis_cache).
CACHE_REDIS_URL = env.redis_url("CACHE_REDIS_URL") or (REDIS_URL and next_redis_database(REDIS_URL))
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "casetracker.redis_cache.ResilientRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "casetracker",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a public page or export may be served from the cache (0: never cached). Any change
# to case data retires cached pages at once; this only bounds what nothing could signal.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", 600, min_value=0, max_value=86_400)
# How long browsers and proxies may keep a public page (0: they must ask each time): a withdrawn
# page can linger there this long, whatever the app's own cache does.
PUBLIC_MAX_AGE_SECONDS = env.int("PUBLIC_MAX_AGE_SECONDS", 60, min_value=0, max_value=3_600)
# While the database is unreachable, public pages are served as last rendered (marked so) for up to this long.
PUBLIC_STALE_IF_ERROR_SECONDS = env.int("PUBLIC_STALE_IF_ERROR_SECONDS", 86_400, min_value=0, max_value=604_800)

# Absolute links in alert notices point here; by default the address `make run` serves on (PORT).
SITE_URL = env.site_url("SITE_URL", f"http://127.0.0.1:{env.int('PORT', 8000, min_value=1, max_value=65535)}")

# Contact lapses: days without lawyer / family contact before a prisoner is overdue,
# unless the prisoner has thresholds of their own.
# The range allowed is the lapse rule's own (prisoners.lapse), checked when the app starts.
CONTACT_THRESHOLD_DAYS = {
    "lawyer": env.int("LAWYER_CONTACT_THRESHOLD_DAYS", 30),
    "family": env.int("FAMILY_CONTACT_THRESHOLD_DAYS", 30),
}

# Alerts: how often beat scans, and how often an open (unacknowledged) alert is mailed again.
ALERT_SCAN_MINUTES = env.int("ALERT_SCAN_MINUTES", 60, min_value=1, max_value=1440)
ALERT_REMINDER_DAYS = env.int("ALERT_REMINDER_DAYS", 7, min_value=1, max_value=365)
# An acknowledgement holds reminders off this long; then the alert is due again if still unresolved.
ALERT_ACKNOWLEDGEMENT_DAYS = env.int("ALERT_ACKNOWLEDGEMENT_DAYS", 14, min_value=1, max_value=365)
# An alert nobody has acknowledged or taken on for this long is escalated to Editors.
ALERT_ESCALATION_DAYS = env.int("ALERT_ESCALATION_DAYS", 3, min_value=1, max_value=365)
# First retry of a refused alert mail after this many seconds, doubling up to an hour.
ALERT_MAIL_RETRY_SECONDS = env.int("ALERT_MAIL_RETRY_SECONDS", 60, min_value=1, max_value=3600)
# A failed scan is retried after this many seconds, doubling, before the next scheduled one.
ALERT_SCAN_RETRY_SECONDS = env.int("ALERT_SCAN_RETRY_SECONDS", 30, min_value=1, max_value=3600)
# Mail still failing after this many minutes is logged as an error and turns /healthz red.
ALERT_MAIL_FAILING_MINUTES = env.int("ALERT_MAIL_FAILING_MINUTES", 30, min_value=1, max_value=1440)
# Beat queues a heartbeat this often; /healthz fails when no worker has run one for three times as long.
ALERT_HEARTBEAT_SECONDS = env.int("ALERT_HEARTBEAT_SECONDS", 60, min_value=5, max_value=3600)

# Celery: Redis in production; without REDIS_URL a filesystem broker under var/ (no server).
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A dropped connection (Redis restarted) is noticed within 30 s, not left as a dead socket.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"health_check_interval": 30, "socket_keepalive": True}
else:
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport, but a message appears in the folder whole (casetracker/local_broker.py).
    CELERY_BROKER_TRANSPORT = "casetracker.local_broker.Transport"
    _queue, _control = VAR_DIR / "celery" / "queue", VAR_DIR / "celery" / "control"
    for _folder in (_queue, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        # kombu would otherwise write its control (broadcast) files into the working directory.
        "control_folder": str(_control),
    }
    CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits out a broker outage of any length: Celery's default gives up after 100 tries and exits.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = TIME_ZONE
# How often beat stores the export rows of cases changed since (an out-of-date row is built during each export).
EXPORT_ROWS_MINUTES = env.int("EXPORT_ROWS_MINUTES", 10, min_value=1, max_value=1440)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "scan-contacts": {"task": "alerts.tasks.scan_contacts", "schedule": ALERT_SCAN_MINUTES * 60},
    "heartbeat": {"task": "alerts.tasks.heartbeat", "schedule": ALERT_HEARTBEAT_SECONDS},
    # What fell due between scans (an assignment, an escalation, a lapsed acknowledgement) and notices whose
    # back-off has ended, whatever happened to the run that queued them.
    "send-notices": {"task": "alerts.tasks.send_notices", "schedule": 60},
    # Derived data (stored lapses, which facilities may be named) checked against the records every night.
    "check-derived-data": {"task": "prisoners.tasks.check_derived_data", "schedule": crontab(hour=3, minute=0)},
    # The day's cut-off counts, for the statistics page (a past day's cannot be recounted), after the check.
    "record-cut-off": {"task": "publicsite.tasks.record_cut_off", "schedule": crontab(hour=3, minute=30)},
    # The export rows cases changed since the last run (publicsite.export_rows): exports stay fast after edits.
    "refresh-export-rows": {"task": "publicsite.tasks.refresh_export_rows", "schedule": EXPORT_ROWS_MINUTES * 60},
    "rebuild-export-rows": {
        "task": "publicsite.tasks.refresh_export_rows",
        "schedule": crontab(hour=3, minute=15),
        "kwargs": {"everything": True},
    },
    # The statistics page's counts, again once a public change or midnight has retired them (publicsite.statistics).
    "count-statistics": {"task": "publicsite.tasks.count_statistics", "schedule": 60},
}

# History: viewing needs the historical model's view permission, reverting its change permission.
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

# Logs go to stdout: one JSON object per line in production (LOG_FORMAT=json), plain locally.
LOG_FORMAT = env.str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ConfigurationError(f"LOG_FORMAT={LOG_FORMAT!r} is not plain or json.")
LOG_LEVEL = env.str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ConfigurationError(f"LOG_LEVEL={LOG_LEVEL!r} is not DEBUG, INFO, WARNING, ERROR or CRITICAL.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    # django-axes announces itself at every start, which would put a line before every command's output.
    "loggers": {
        "axes.apps": {"level": "WARNING"},
        # Apprise, and urllib3 under it, may name a channel's address (tokens, phone numbers in the
        # path): Apprise's lines are captured per send, cleaned and kept on the delivery; none of
        # either reaches the log (nothing else here speaks HTTP through urllib3).
        "apprise": {"handlers": [], "propagate": False, "level": "CRITICAL"},
        "urllib3": {"handlers": [], "propagate": False, "level": "CRITICAL"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING too
