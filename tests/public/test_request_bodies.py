"""Only form bodies are answers: anything else is a 415, never a 500; one log line per crash."""
from __future__ import annotations

import json
import logging

import pytest
from conftest import TEST_CONFIG, csrf_token
from flask import abort

from app import create_app

NOT_OBJECTS = ['"x"', "5", "[1,2]"]


def token_for(client, node="topic") -> str:
    return csrf_token(client.get(f"/q/{node}", follow_redirects=True).text)


@pytest.mark.parametrize("body", NOT_OBJECTS + ['{"choice": "inside_portal"}'])
@pytest.mark.parametrize("path", ["/q/topic", "/start", "/restart"])
def test_a_json_body_with_a_valid_token_header_is_a_415(client, path, body):
    token = token_for(client)
    response = client.post(path, data=body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 415
    assert "only accepts answers sent from its own form" in response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/json; charset=utf-8"])
def test_other_body_types_are_a_415(client, content_type):
    token = token_for(client)
    response = client.post("/q/topic", data=f"choice=inside_portal&csrf_token={token}", content_type=content_type,
                           headers={"X-CSRFToken": token})
    assert response.status_code == 415


def test_a_multipart_form_is_a_form(client):
    token = token_for(client)
    response = client.post("/q/topic", data={"choice": "inside_portal", "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 303


def test_a_urlencoded_form_still_answers(client):
    response = client.post("/q/topic", data={"choice": "inside_portal", "csrf_token": token_for(client)})
    assert response.status_code == 303


BAD_REQUESTS = {
    "json not an object": dict(method="POST", path="/q/topic", data="[1,2]", content_type="application/json"),
    "text/plain": dict(method="POST", path="/q/topic", data="hello", content_type="text/plain"),
    "no token": dict(method="POST", path="/q/topic", data={"choice": "x"}),
    "unknown page": dict(method="GET", path="/q/nope"),
    "wrong method": dict(method="GET", path="/restart"),
    "too big": dict(method="POST", path="/q/topic", data={"choice": "x" * 20_000}),
    "forged option": dict(method="POST", path="/q/topic", data={"choice": "drop_table"}),
}


@pytest.mark.parametrize("kind", BAD_REQUESTS)
def test_bad_requests_log_no_traceback(client, caplog, kind):
    caplog.set_level(logging.DEBUG)
    request = dict(BAD_REQUESTS[kind])
    if kind == "forged option":
        request["data"] = {**request["data"], "csrf_token": token_for(client)}
    response = client.open(request.pop("path"), **request)
    assert 400 <= response.status_code < 500
    for record in caplog.records:
        assert record.exc_info is None and record.levelno < logging.ERROR, (kind, record.getMessage())
        assert "Traceback" not in record.getMessage()


@pytest.fixture(scope="module")
def crashing_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("crash") / "wizard.db"
    app = create_app({**TEST_CONFIG, "TESTING": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("simulated\nfailure")

    @app.get("/abort-500")
    def abort_500():
        abort(500)

    return app


def test_a_crash_logs_exactly_one_line(crashing_app, caplog):
    caplog.set_level(logging.DEBUG)
    response = crashing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    (record,) = errors
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert "\n" not in line
    assert "/boom" in line and "RuntimeError: simulated failure" in line and "test_request_bodies.py" in line
    assert "Traceback" not in caplog.text


def test_each_crash_adds_one_short_line(crashing_app, caplog):
    caplog.set_level(logging.DEBUG)
    client = crashing_app.test_client()
    for _ in range(20):
        client.get("/boom")
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 20
    assert all(len(line) < 400 for line in errors)


def test_an_explicit_500_logs_one_line(crashing_app, caplog):
    caplog.set_level(logging.DEBUG)
    assert crashing_app.test_client().get("/abort-500").status_code == 500
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None


def test_json_bodies_never_reach_the_form(client):
    """The JSON object that Flask-WTF would have read as a form does not answer either."""
    token = token_for(client)
    client.post("/q/topic", data=json.dumps({"choice": "inside_portal"}), content_type="application/json",
                headers={"X-CSRFToken": token})
    assert client.get("/q/inside_portal").status_code != 200
