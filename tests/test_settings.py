"""Secret key handling and production rules."""
from __future__ import annotations

import re

import pytest

from app import create_app
from wizard.settings import ConfigError, local_key


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="needs SECRET_KEY"):
        create_app()


def test_production_uses_secure_host_only_cookies(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "k" * 12)
    monkeypatch.setenv("TRUSTED_HOSTS", "wizard.example")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment-" + "k" * 12
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-triage"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_local_key_is_made_once_and_kept(tmp_path):
    path = tmp_path / "instance" / "secret_key"
    first = local_key(path)
    assert len(first) == 64
    assert local_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_development_without_a_key_uses_the_local_one(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("wizard.settings.Path", lambda _: tmp_path)
    app = create_app()
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text()


def test_collector_pause_restores_the_previous_state():
    import gc

    from wizard.core.startup import collector_paused

    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def configured(tmp_path):
    """A bare Flask app put through the project's configure() (no database, no flow)."""
    from flask import Flask

    from wizard.settings import configure

    app = Flask(__name__, instance_path=str(tmp_path))
    configure(app, {"SECRET_KEY": "x"})
    return app


def test_deployment_settings_come_from_the_environment(monkeypatch, tmp_path):
    import datetime as dt

    monkeypatch.setenv("STAFF_IDLE_MINUTES", "15")
    monkeypatch.setenv("PAGES_KEPT", "64")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    app = configured(tmp_path)
    assert (app.config["STAFF_IDLE_MINUTES"], app.config["PAGES_KEPT"]) == (15, 64)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(minutes=15)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("value", ["30", "thirty", "0"])
def test_reference_code_days_is_gone_codes_never_expire(value, monkeypatch, tmp_path):
    """Codes are a pure function of the content version and the answers: nothing to keep for N days.
    A deployment that still sets the old variable starts, and the setting is read nowhere."""
    monkeypatch.setenv("REFERENCE_CODE_DAYS", value)
    app = configured(tmp_path)
    assert "REFERENCE_CODE_DAYS" not in app.config


@pytest.mark.parametrize("name", ["STAFF_IDLE_MINUTES", "TRUSTED_PROXY_COUNT"])
@pytest.mark.parametrize("value", ["thirty", "0", "-5", "1.5"])
def test_a_number_setting_that_is_not_a_whole_number_refuses_to_start(name, value, monkeypatch, tmp_path):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"^{name} must be a whole number above 0"):
        configured(tmp_path)


def test_pages_kept_may_be_0_to_keep_no_pages(monkeypatch, tmp_path):
    monkeypatch.setenv("PAGES_KEPT", "0")
    assert configured(tmp_path).config["PAGES_KEPT"] == 0


@pytest.mark.parametrize("value", ["many", "-1", "1.5"])
def test_pages_kept_below_0_or_not_a_whole_number_refuses_to_start(value, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGES_KEPT", value)
    with pytest.raises(ConfigError, match="^PAGES_KEPT must be a whole number of at least 0"):
        configured(tmp_path)


def test_the_insights_settings_come_from_the_environment(monkeypatch, tmp_path):
    app = configured(tmp_path)
    assert (app.config["FEEDBACK_FORM"], app.config["VOTE_LIMIT"], app.config["PAGE_COUNT_FLUSH_SECONDS"]) == (
        True, "10 per minute; 300 per day", 60)
    monkeypatch.setenv("FEEDBACK_FORM", "0")
    monkeypatch.setenv("VOTE_LIMIT", "3 per minute")
    monkeypatch.setenv("PAGE_COUNT_FLUSH_SECONDS", "0")
    app = configured(tmp_path)
    assert (app.config["FEEDBACK_FORM"], app.config["VOTE_LIMIT"], app.config["PAGE_COUNT_FLUSH_SECONDS"]) == (
        False, "3 per minute", 0)


@pytest.mark.parametrize("name, value, message", [
    ("FEEDBACK_FORM", "yes", "FEEDBACK_FORM must be 1 (on) or 0 (off)"),
    ("VOTE_LIMIT", "lots", "VOTE_LIMIT must be a rate limit"),
    ("PAGE_COUNT_FLUSH_SECONDS", "-1", "PAGE_COUNT_FLUSH_SECONDS must be a whole number of at least 0"),
])
def test_a_bad_insights_setting_refuses_to_start(name, value, message, monkeypatch, tmp_path):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        configured(tmp_path)


def test_production_refuses_to_start_without_trusted_hosts(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "k" * 12)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert "needs TRUSTED_HOSTS" in str(refused.value) and "\n" not in str(refused.value)
