"""Secret key handling and production rules."""
from __future__ import annotations

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
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
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
