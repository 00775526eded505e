"""Host headers and proxy headers: trusted only when configured (TRUSTED_HOSTS, TRUSTED_PROXY_COUNT).

Redirects (Werkzeug's, and the wizard's own to canonical addresses) are relative, and public pages kept
in memory (wizard/public/page_cache.py) never carry a Host header someone sent."""
from __future__ import annotations

import pytest
from flask import request
from helpers import TEST_CONFIG, started_sqlite
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from wizard.settings import ConfigError, from_environment


@pytest.fixture(scope="module")
def make_app(tmp_path_factory):
    def make(**config):
        database = started_sqlite(tmp_path_factory.mktemp("hosts"))
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database, **config})

        @app.get("/test-whoami")
        def whoami():
            return f"{request.remote_addr} {request.scheme}"

        return app

    return make


@pytest.fixture(scope="module")
def v(app) -> str:
    return app.extensions["triage_engine"].flow.version


@pytest.mark.parametrize(("path", "location"), [("/q//topic", "/q/topic"), ("/staff", "/staff/"),
                                                ("/q/topic", "/q/topic?v={v}"),
                                                ("/q/method?x=1", "/q/topic?notice=not_reached&v={v}"),
                                                ("/a/topic?topic=inside_portal", "/q/portal_issue?topic=inside_portal&v={v}"),
                                                ("//evil.example/x", None), ("///evil.example//q/topic", None)])
def test_redirects_never_point_off_site_whatever_the_host_header(client, v, path, location):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.headers.get("Location") == (location and location.format(v=v))
    assert "evil.example" not in (response.headers.get("Location") or "")


def test_a_page_kept_in_memory_never_carries_a_host_header_someone_sent(app, v):
    path = f"/q/method?topic=cannot_sign_in&v={v}"
    first = app.test_client().get(path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert first.status_code == 200 and "evil.example" not in first.text
    again = app.test_client().get(path)
    assert again.text == first.text and "evil.example" not in again.text


def test_trusted_hosts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", " wizard.example, .health.example ,")
    assert from_environment()["TRUSTED_HOSTS"] == ["wizard.example", ".health.example"]


def test_with_trusted_hosts_another_host_is_a_400(make_app):
    app = make_app(TRUSTED_HOSTS=["wizard.example"])
    v = app.extensions["triage_engine"].flow.version
    client = app.test_client()
    for path in ("/q//topic", "//evil.example/x", "/q/topic", f"/q/topic?v={v}", "/"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert response.status_code == 400, path
        assert "Location" not in response.headers
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get(f"/q/topic?v={v}", headers={"Host": "wizard.example"}).status_code == 200
    assert client.get(f"/q/topic?v={v}", headers={"Host": "wizard.example:8443"}).status_code == 200
    assert client.get("/q/topic", headers={"Host": "wizard.example"}).headers["Location"] == f"/q/topic?v={v}"
    assert client.get("/q//topic", headers={"Host": "wizard.example"}).headers["Location"] == "/q/topic"


def test_without_a_proxy_setting_forwarded_headers_are_ignored(make_app):
    app = make_app()
    assert not isinstance(app.wsgi_app, ProxyFix)
    client = app.test_client()
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    assert client.get("/test-whoami", headers=headers).text == "127.0.0.1 http"
    assert "Secure" not in client.get("/staff/login", headers=headers).headers["Set-Cookie"]


def test_behind_a_configured_proxy_its_headers_give_the_address_and_scheme(make_app):
    app = make_app(TRUSTED_PROXY_COUNT=1)
    client = app.test_client()
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9", "X-Forwarded-Proto": "https"}
    assert client.get("/test-whoami", headers=headers).text == "203.0.113.9 https"  # the last hop only
    assert "Secure" in client.get("/staff/login", headers=headers).headers["Set-Cookie"]


@pytest.mark.parametrize("value", ["none", "0", "-1"])
def test_a_proxy_count_that_is_not_a_whole_number_refuses_to_start(monkeypatch, value):
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)
    with pytest.raises(ConfigError, match="^TRUSTED_PROXY_COUNT must be a whole number above 0"):
        from_environment()


MALFORMED_HOSTS = ["a..b", ".", "x" * 64 + ".example", "a..b:8080", "wizard.example:0", "wizard example", ""]


@pytest.mark.parametrize("host", MALFORMED_HOSTS)
def test_a_malformed_host_is_a_plain_400_without_trusted_hosts(client, v, caplog, host):
    """Werkzeug cannot build a URL adapter for these (IDNA refuses them): answered before Flask, one log line."""
    caplog.set_level("INFO")
    path = f"/q/method?topic=cannot_sign_in&v={v}"
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert response.mimetype == "text/plain" and response.text == "Bad request: unknown host.\n"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.head(path, headers={"Host": host}).status_code == 400
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "malformed Host header" in logged
    assert "Traceback" not in caplog.text and "cannot_sign_in" not in caplog.text and "a..b" not in caplog.text


@pytest.mark.parametrize("host", ["wizard.example", "Wizard.Example:8443", "127.0.0.1:5000", "[::1]:5000", "localhost"])
def test_a_well_formed_host_is_served_without_trusted_hosts(client, v, host):
    assert client.get(f"/q/method?topic=cannot_sign_in&v={v}", headers={"Host": host}).status_code == 200


def test_an_error_page_with_no_url_adapter_is_plain_text(app, v):
    """Should a Host Werkzeug refuses ever reach Flask, its 400 is plain text, not a template that builds URLs."""
    from flask import Flask
    from werkzeug.test import Client

    flask_only = Client(lambda environ, start_response: Flask.wsgi_app(app, environ, start_response))
    response = flask_only.get(f"/q/method?topic=cannot_sign_in&v={v}", headers={"Host": "a..b"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain" and "<html" not in response.text
