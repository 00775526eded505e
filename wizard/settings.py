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

from wizard.core.flow import CONTENT_DIR, ContentError

DEFAULTS = {
    "CONTENT_DIR": CONTENT_DIR,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "RATELIMIT_STORAGE_URI": "memory://",
    # Redis unreachable: count in this process's memory (one warning), back to Redis when it answers.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": False,
    "STAFF_IDLE_MINUTES": 30,
    "STAFF_LOGIN_LIMIT": "5 per minute; 20 per hour",  # tries on one account from one address
    "STAFF_ACCOUNT_LOGIN_LIMIT": "50 per hour",  # tries on one account from anywhere
    "STAFF_ADDRESS_LOGIN_LIMIT": "30 per minute; 100 per hour",  # tries from one address, any account
    "CODE_LOOKUP_LIMIT": "30 per minute",
    # "Did this solve your problem?" under every outcome (FEEDBACK_FORM=0 leaves it out and its route 404s)
    "FEEDBACK_FORM": True,
    # "Did this solve your problem?" answers from one address (a whole base can share one): docs/insights.md
    "VOTE_LIMIT": "10 per minute; 300 per day",
    "LANGUAGE": "en",
    "PAGE_COUNT_FLUSH_SECONDS": 60,  # page views counted in memory are added to the database this often; 0: never
    "PAGES_KEPT": 512,  # public pages each process keeps at hand (wizard/public/page_cache.py); 0: none
    "FRAGMENTS_KEPT": 8192,  # parts of public pages rendered once per process (wizard/public/fragments.py); 0: none
    "MAX_CONTENT_LENGTH": 8 * 1024,  # a form here is a token and one option key
    "MAX_FORM_MEMORY_SIZE": 8 * 1024,
    "SESSION_COOKIE_NAME": "triage",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "WTF_CSRF_TIME_LIMIT": 3600,
}
STAFF_SESSION_KEY = "staff_origin"  # set at staff login (wizard/staff/auth.py): only an agent's session has it
PUBLIC_SESSION_LIFETIME = dt.timedelta(days=31)  # Flask's default, for a session with no login in it
# A stopped or unreachable Redis costs a request at most this long before the memory fallback takes over.
REDIS_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
PRODUCTION = {
    "SESSION_COOKIE_NAME": "__Host-triage",  # Secure, whole host, no Domain
    "SESSION_COOKIE_SECURE": True,
}


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


class ContentProblems(ConfigError, ContentError):
    """The flow content is invalid: the message lists every problem (as `flow check` does)."""

    def __init__(self, problems: list):
        ContentError.__init__(self, problems)


class DatabaseUnavailable(ConfigError):
    """The database cannot be opened or brought up to date at start."""


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions (staff pages only: public pages keep their answers in the address)
    whose cookie is Secure whenever served over HTTPS.

    Flask checks every session cookie's age against PERMANENT_SESSION_LIFETIME,
    which here is the staff idle limit. Only a logged-in agent's session gets
    the idle limit; a session without a login (the login form's CSRF token)
    keeps Flask's default of 31 days, so a form left open still works.

    A public page (wizard/public/page_cache.py marks it ``public``) is the same
    whatever cookies come with it and may be sent from a cache to anyone, so
    the session is not saved on it: no ``Set-Cookie`` (Flask sends a logged-in
    agent's permanent session again on every request that reads it, and
    Flask-Login reads it after every request) and no ``Vary: Cookie``.
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

    def save_session(self, app: Flask, session, response) -> None:
        if response.cache_control.public and not session.modified:
            # A page anyone may be sent from a cache: never with the session of whoever asked first (a
            # logged-in agent's is sent again on every request that reads it), never "Vary: Cookie".
            response.vary.discard("Cookie")
            return
        super().save_session(app, session, response)


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
    if is_production() and not app.config.get("TRUSTED_HOSTS"):
        raise ConfigError("APP_ENV=production needs TRUSTED_HOSTS (the site's host names, comma-separated, "
                          "e.g. portal-help.example.org); refusing to start.")
    app.session_interface = SessionInterface()


def from_environment() -> dict:
    """Settings a deployment gives as environment variables."""
    settings = {}
    if url := os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = database_uri(url)
    if uri := os.environ.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = uri
    if value := os.environ.get("STAFF_IDLE_MINUTES"):
        settings["STAFF_IDLE_MINUTES"] = whole_number("STAFF_IDLE_MINUTES", value)
    if value := os.environ.get("FEEDBACK_FORM"):
        settings["FEEDBACK_FORM"] = on_or_off("FEEDBACK_FORM", value)
    if value := os.environ.get("PAGE_COUNT_FLUSH_SECONDS"):
        settings["PAGE_COUNT_FLUSH_SECONDS"] = whole_number("PAGE_COUNT_FLUSH_SECONDS", value, least=0)
    if value := os.environ.get("PAGES_KEPT"):
        settings["PAGES_KEPT"] = whole_number("PAGES_KEPT", value, least=0)
    if value := os.environ.get("FRAGMENTS_KEPT"):
        settings["FRAGMENTS_KEPT"] = whole_number("FRAGMENTS_KEPT", value, least=0)
    for name in ("STAFF_LOGIN_LIMIT", "STAFF_ACCOUNT_LOGIN_LIMIT", "STAFF_ADDRESS_LOGIN_LIMIT", "CODE_LOOKUP_LIMIT",
                 "VOTE_LIMIT"):
        if value := os.environ.get(name):
            settings[name] = rate_limit(name, value)
    if hosts := os.environ.get("TRUSTED_HOSTS"):  # Flask's: any other Host header is a 400
        settings["TRUSTED_HOSTS"] = [host.strip() for host in hosts.split(",") if host.strip()]
    if folder := os.environ.get("STATIC_BUILD_DIR"):  # where the hashed static files are written
        settings["STATIC_BUILD_DIR"] = folder
    if count := os.environ.get("TRUSTED_PROXY_COUNT"):  # proxies in front that set X-Forwarded-*
        settings["TRUSTED_PROXY_COUNT"] = whole_number("TRUSTED_PROXY_COUNT", count)
    return settings


def rate_limit(name: str, value: str) -> str:
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit such as '5 per minute; 20 per hour', not {value!r}; "
                          "refusing to start.") from None
    return value


def on_or_off(name: str, value: str) -> bool:
    if value not in ("0", "1"):
        raise ConfigError(f"{name} must be 1 (on) or 0 (off), not {value!r}; refusing to start.")
    return value == "1"


def whole_number(name: str, value: str, least: int = 1) -> int:
    try:
        number = int(value)
    except ValueError:
        number = least - 1
    if number < least:
        wanted = "above 0" if least == 1 else f"of at least {least}"
        raise ConfigError(f"{name} must be a whole number {wanted}, not {value!r}; refusing to start.")
    return number


def database_uri(url: str) -> str:
    """SQLAlchemy's name for a database URL: Heroku-style postgres:// means PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


MIN_KEY_BYTES = 32


def secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment; outside production, a local key made once."""
    key = os.environ.get("SECRET_KEY")
    if key is not None and key.strip():
        if is_production() and len(key.encode()) < MIN_KEY_BYTES:
            raise ConfigError(f"SECRET_KEY is {len(key.encode())} bytes; APP_ENV=production needs at least "
                              f"{MIN_KEY_BYTES} (for example: python3 -c 'import secrets; print(secrets.token_hex(32))'); "
                              "refusing to start.")
        return key
    if key is not None and key != "":
        raise ConfigError("SECRET_KEY is only blanks; set a real key or unset it; refusing to start.")
    if is_production():
        raise ConfigError("APP_ENV=production needs SECRET_KEY set in the environment; refusing to start.")
    return local_key(instance / "secret_key")


def local_key(path: Path) -> str:
    """Read the local key, creating it first: mode 0600 from the first byte, whole or not at all.

    The key is written to a temporary file opened with O_CREAT|O_EXCL and mode 0600 (never
    readable by others, not even for a moment), then linked to its name, which fails if
    another worker made it first; either way every process reads the same key.
    """
    try:
        if not path.exists():
            make_key_file(path)
        key = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError(f"cannot create or read the local secret key {path}: {error.strerror or error}; "
                          "make that folder writable or set SECRET_KEY; refusing to start.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"the local secret key {path} is not UTF-8 text; delete it to have a new one made, "
                          "or set SECRET_KEY; refusing to start.") from None
    if len(key.encode()) < MIN_KEY_BYTES:
        state = "empty" if not key else f"only {len(key.encode())} bytes"
        raise ConfigError(f"the local secret key {path} is {state} (at least {MIN_KEY_BYTES} needed); "
                          "delete it to have a new one made, or set SECRET_KEY; refusing to start.")
    return key


def make_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if another worker made it first
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
