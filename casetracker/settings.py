"""Casetracker settings, read from environment variables (see README, "Configuration").

With nothing set, the app runs on its embedded default: SQLite and files under
var/, Celery on a filesystem broker, mail written to var/mail/.
"""

from pathlib import Path

from casetracker.env import ConfigurationError, Env, local_secret_key

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", True)

SECRET_KEY = env.str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = local_secret_key(VAR_DIR)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must be set when DEBUG is off (e.g. cases.example.org).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "prisoners",
    "events",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "casetracker.urls"
WSGI_APPLICATION = "casetracker.wsgi.application"

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

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'casetracker.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for a writer instead of failing when the web app and the worker write together.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

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

# Contact lapses: days without lawyer / family contact before a prisoner is overdue,
# unless the prisoner has thresholds of their own.
CONTACT_THRESHOLD_DAYS = {
    "lawyer": env.int("LAWYER_CONTACT_THRESHOLD_DAYS", 30, min_value=1, max_value=3650),
    "family": env.int("FAMILY_CONTACT_THRESHOLD_DAYS", 30, min_value=1, max_value=3650),
}

# History: viewing needs the historical model's view permission, reverting its change permission.
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
}
