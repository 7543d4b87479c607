"""Strict reading of settings from environment variables.

A misconfigured deployment must stop at start with a message naming the
variable, never run on a silently substituted default.
"""

import os
import secrets
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
DATABASE_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


class ConfigurationError(ImproperlyConfigured):
    pass


class Env:
    def __init__(self, environ_=None):
        self.environ = os.environ if environ_ is None else environ_

    def _raw(self, name):
        value = self.environ.get(name)
        return None if value is None or value.strip() == "" else value.strip()

    def str(self, name, default=None):
        value = self._raw(name)
        return default if value is None else value

    def bool(self, name, default):
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise ConfigurationError(f"{name}={value!r} is not a boolean: use true or false.")

    def int(self, name, default, *, min_value=None, max_value=None):
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigurationError(f"{name}={value!r} is not a whole number.") from None
        if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
            raise ConfigurationError(f"{name}={number} is out of range ({min_value}–{max_value}).")
        return number

    def list(self, name, default):
        value = self._raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def time_zone(self, name, default):
        value = self.str(name, default)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(f"{name}={value!r} is not a known time zone (e.g. UTC, Europe/Minsk).") from None
        return value

    def database(self, name, default):
        value = self.str(name, default)
        try:
            config = environ.Env.db_url_config(value)
        except Exception as error:  # the parser raises assorted types for garbage
            raise ConfigurationError(f"{name}={value!r} is not a database URL: {error}") from None
        if config.get("ENGINE") not in DATABASE_ENGINES:
            raise ConfigurationError(
                f"{name}={value!r} is not supported: use postgres://user:password@host:port/name or sqlite:///path."
            )
        if not config.get("NAME"):
            raise ConfigurationError(f"{name}={value!r} names no database.")
        return config

    def email(self, name):
        """Django mail settings from `smtp://user:password@host:port` (None when unset)."""
        value = self._raw(name)
        if value is None:
            return None
        try:
            config = environ.Env.email_url_config(value)
        except Exception as error:
            raise ConfigurationError(f"{name}={value!r} is not a mail URL (smtp://host:port): {error}") from None
        if not config.get("EMAIL_HOST") and config.get("EMAIL_BACKEND", "").endswith("smtp.EmailBackend"):
            raise ConfigurationError(f"{name}={value!r} names no mail host.")
        return config

    def site_url(self, name, default):
        """An absolute http(s) address without query or fragment, kept without its trailing slash."""
        value = self.str(name, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ConfigurationError(f"{name}={value!r} is not a site address (https://cases.example.org).")
        try:
            parts.port
        except ValueError:
            raise ConfigurationError(f"{name}={value!r} has no valid port.") from None
        return value.rstrip("/")

    def redis_url(self, name):
        value = self._raw(name)
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigurationError(f"{name}={value!r} is not a Redis URL (redis://host:port/db).")
        return value


def next_redis_database(url):
    """The same Redis server, the logical database after the URL's (redis://h:6379/0 -> redis://h:6379/1)."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ConfigurationError(f"CACHE_REDIS_URL must be set when REDIS_URL={url!r} is not a redis:// URL.")
    number = parts.path.strip("/") or "0"
    if not number.isdigit():
        raise ConfigurationError(f"REDIS_URL={url!r} names no database number (redis://host:port/0).")
    return urlunsplit(parts._replace(path=f"/{int(number) + 1}"))


def local_secret_key(var_dir: Path):
    """A key generated once per checkout and kept under var/, for local use only."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
