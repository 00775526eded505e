"""Configuration: defaults, the secret key, and production rules."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from limits import parse_many

from wizard.core.flow import CONTENT_DIR

DEFAULTS = {
    "CONTENT_DIR": CONTENT_DIR,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "RATELIMIT_STORAGE_URI": "memory://",
    # Redis unreachable: count in this process's memory (one warning), back to Redis when it answers.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": False,
    "REFERENCE_CODE_DAYS": 30,
    "STAFF_IDLE_MINUTES": 30,
    "STAFF_LOGIN_LIMIT": "5 per minute; 20 per hour",
    "CODE_LOOKUP_LIMIT": "30 per minute",
    "LANGUAGE": "en",
    "MAX_CONTENT_LENGTH": 8 * 1024,  # a form here is a token and one option key
    "MAX_FORM_MEMORY_SIZE": 8 * 1024,
    "SESSION_COOKIE_NAME": "triage",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "WTF_CSRF_TIME_LIMIT": 3600,
}
STAFF_SESSION_KEY = "_user_id"  # Flask-Login's: only a logged-in agent's session has it
PUBLIC_SESSION_LIFETIME = dt.timedelta(days=31)  # Flask's default, what callers' answers had before staff sessions
# A stopped or unreachable Redis costs a request at most this long before the memory fallback takes over.
REDIS_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
PRODUCTION = {
    "SESSION_COOKIE_NAME": "__Host-triage",  # Secure, whole host, no Domain
    "SESSION_COOKIE_SECURE": True,
}


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure whenever served over HTTPS.

    Flask checks every session cookie's age against PERMANENT_SESSION_LIFETIME,
    which here is the staff idle limit. A caller's answers are not re-signed on
    every page, so that would drop them after STAFF_IDLE_MINUTES (a caller on
    hold for an hour would start again): only a logged-in agent's session gets
    the idle limit, a caller's keeps Flask's default of 31 days.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def open_session(self, app: Flask, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data = serializer.loads(value, max_age=int(PUBLIC_SESSION_LIFETIME.total_seconds()))
            if STAFF_SESSION_KEY in data:  # signed at the agent's last request
                serializer.loads(value, max_age=int(app.config["STAFF_IDLE_MINUTES"] * 60))
        except BadSignature:
            return self.session_class()
        return self.session_class(data)


def is_production() -> bool:
    return os.environ.get("APP_ENV", "development") == "production"


def configure(app: Flask, overrides: dict | None) -> None:
    app.config.update(DEFAULTS)
    if is_production():
        app.config.update(PRODUCTION)
    app.config.update(from_environment())
    app.config.update(overrides or {})
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(app.instance_path) / 'wizard.db'}")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis", "valkey")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(REDIS_OPTIONS))
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(Path(app.instance_path))
    app.session_interface = SessionInterface()


def from_environment() -> dict:
    """Settings a deployment gives as environment variables."""
    settings = {}
    if url := os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(url)
    if uri := os.environ.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = uri
    for name in ("REFERENCE_CODE_DAYS", "STAFF_IDLE_MINUTES"):
        if value := os.environ.get(name):
            settings[name] = whole_number(name, value)
    for name in ("STAFF_LOGIN_LIMIT", "CODE_LOOKUP_LIMIT"):
        if value := os.environ.get(name):
            settings[name] = rate_limit(name, value)
    return settings


def rate_limit(name: str, value: str) -> str:
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit such as '5 per minute; 20 per hour', not {value!r}; "
                          "refusing to start.") from None
    return value


def whole_number(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ConfigError(f"{name} must be a whole number above 0, not {value!r}; refusing to start.")
    return number


def database_uri(url: str) -> str:
    """SQLAlchemy's name for a database URL: Heroku-style postgres:// means PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment; outside production, a local key made once."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if is_production():
        raise ConfigError("APP_ENV=production needs SECRET_KEY set in the environment; refusing to start.")
    return local_key(instance / "secret_key")


def local_key(path: Path) -> str:
    """Read the local key, creating it first (safely, if several workers race)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".secret_key.{os.getpid()}")
        temporary.write_text(secrets.token_hex(32))
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)  # fails if another worker made it first
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()
