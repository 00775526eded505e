"""No client data in the logs: gunicorn's quoted request lines and URIs, Flask-Limiter's keys (addresses)."""
from __future__ import annotations

import logging

from helpers import TEST_CONFIG, started_sqlite

from app import create_app


def NoRequestData():  # noqa: N802  (imported when called: the refusal test below needs no filter module)
    from wizard.web.log_filters import NoRequestData as Filter

    return Filter()


def NoLimiterKeys():  # noqa: N802
    from wizard.web.log_filters import NoLimiterKeys as Filter

    return Filter()


def record(msg: str, args=()) -> logging.LogRecord:
    return logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, msg, args, None)


def test_gunicorn_invalid_request_lines_keep_the_error_and_lose_what_was_sent():
    line = record("Invalid request from ip=203.0.113.7: Invalid HTTP request line: "
                  "'GET /q/method?topic=cannot_sign_in HTTP/1.1 x'")
    assert NoRequestData().filter(line)
    assert line.getMessage() == "Invalid request from ip=-: Invalid HTTP request line: '...'"
    header = record('Invalid request from ip=::1: Invalid HTTP Header: "X-A: it\'s mine"')
    NoRequestData().filter(header)
    assert header.getMessage() == "Invalid request from ip=-: Invalid HTTP Header: '...'"


def test_gunicorn_error_handling_lines_lose_the_uri():
    both = record("Error handling request %s %s", ("GET", "/q/method?topic=cannot_sign_in"))
    NoRequestData().filter(both)
    assert both.getMessage() == "Error handling request GET (address not logged)"
    only = record("Error handling request %s", ("/q/method?topic=cannot_sign_in",))
    NoRequestData().filter(only)
    assert "topic" not in only.getMessage()


def test_other_gunicorn_lines_are_untouched():
    line = record("Booting worker with pid: %s", (1234,))
    assert NoRequestData().filter(line) and line.getMessage() == "Booting worker with pid: 1234"


def test_a_rate_limit_refusal_is_logged_without_the_address(tmp_path, caplog):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": started_sqlite(tmp_path),
                      "CODE_LOOKUP_LIMIT": "2 per minute"})
    caplog.set_level(logging.INFO)
    client = app.test_client()
    statuses = [client.get("/r/ZZZZZZZZ", environ_base={"REMOTE_ADDR": "198.51.100.77"}).status_code
                for _ in range(3)]
    assert statuses[-1] == 429
    refusals = [r.getMessage() for r in caplog.records if r.name == "flask-limiter"]
    assert refusals and all("exceeded at endpoint: public.saved" in line for line in refusals), refusals
    assert "198.51.100.77" not in caplog.text


def test_the_limiter_filter_leaves_other_lines_alone():
    line = logging.LogRecord("flask-limiter", logging.WARNING, __file__, 1, "Rate limit storage unreachable", (), None)
    assert NoLimiterKeys().filter(line) and line.getMessage() == "Rate limit storage unreachable"
