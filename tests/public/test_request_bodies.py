"""Public pages take no request bodies: a POST there is a 405 (a non-form body a 415, before anything
reads it), and the address alone answers. Staff forms still take only form bodies (415 otherwise).
Never a 500; one log line per crash."""
from __future__ import annotations

import json
import logging

import pytest
from flask import abort
from helpers import TEST_CONFIG, csrf_token, started_sqlite

from app import create_app

NOT_OBJECTS = ['"x"', "5", "[1,2]"]
PUBLIC_PAGES = ["/", "/q/topic", "/a/topic", "/answers", "/r/K7PM4QX2"]


@pytest.fixture(scope="module")
def v(app) -> str:
    return app.extensions["triage_engine"].flow.version


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_form_posted_to_a_public_page_is_a_405(client, v, path):
    response = client.post(f"{path}?topic=inside_portal&v={v}", data={"topic": "inside_portal", "v": v})
    assert response.status_code == 405
    assert "cannot be used that way" in response.text
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}  # what HTTP asks of a 405
    assert "Location" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_a_multipart_form_posted_to_a_public_page_is_a_405(client, v):
    response = client.post(f"/a/topic?topic=inside_portal&v={v}", data={"topic": "inside_portal"},
                           content_type="multipart/form-data")
    assert response.status_code == 405


@pytest.mark.parametrize("body", NOT_OBJECTS + ['{"topic": "inside_portal"}'])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_json_body_to_a_public_page_is_a_415(client, path, body):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 415
    assert "only accepts answers sent from its own form" in response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/json; charset=utf-8"])
def test_other_body_types_to_a_public_page_are_a_415(client, v, content_type):
    response = client.post("/a/topic", data=f"topic=inside_portal&v={v}", content_type=content_type)
    assert response.status_code == 415


def test_a_get_answers_from_its_address_never_its_body(client, v):
    """A body sent with a GET is not read: the answer must be in the address."""
    response = client.get(f"/a/topic?v={v}", data={"topic": "inside_portal"})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    response = client.get(f"/a/topic?v={v}", data=json.dumps({"topic": "inside_portal"}),
                          content_type="application/json")
    assert response.status_code == 400


def test_the_answer_in_the_address_answers(client, v):
    response = client.get(f"/a/topic?topic=inside_portal&v={v}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/portal_issue?topic=inside_portal&v={v}"


def login_token(client) -> str:
    return csrf_token(client.get("/staff/login").text)


@pytest.mark.parametrize("body", NOT_OBJECTS + ['{"name": "a", "password": "b"}'])
def test_a_json_body_with_a_valid_token_header_on_a_staff_form_is_a_415(client, body):
    response = client.post("/staff/login", data=body, content_type="application/json",
                           headers={"X-CSRFToken": login_token(client)})
    assert response.status_code == 415
    assert "only accepts answers sent from its own form" in response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/json; charset=utf-8"])
def test_other_body_types_on_a_staff_form_are_a_415(client, content_type):
    token = login_token(client)
    response = client.post("/staff/login", data=f"name=a&password=b&csrf_token={token}", content_type=content_type,
                           headers={"X-CSRFToken": token})
    assert response.status_code == 415


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_staff_form_body_is_read_as_a_form(client, content_type):
    """A wrong password (401) shows the form was read; a body it could not read would be a 400 or 415."""
    response = client.post("/staff/login", data={"name": "nobody", "password": "wrong", "csrf_token": login_token(client)},
                           content_type=content_type)
    assert response.status_code == 401


BAD_REQUESTS = {
    "json not an object": dict(method="POST", path="/q/topic", data="[1,2]", content_type="application/json"),
    "text/plain": dict(method="POST", path="/a/topic", data="hello", content_type="text/plain"),
    "form posted to a public page": dict(method="POST", path="/a/topic", data={"topic": "inside_portal"}),
    "unknown page": dict(method="GET", path="/q/nope"),
    "removed page": dict(method="POST", path="/restart", data={"csrf_token": "x"}),
    "no token on a staff form": dict(method="POST", path="/staff/login", data={"name": "x"}),
    "too big": dict(method="POST", path="/staff/login", data={"name": "x" * 20_000}),
    "forged option": dict(method="GET", path="/a/topic", query_string={"topic": "drop_table"}),
    "nothing chosen": dict(method="GET", path="/a/topic"),
    "question not reached": dict(method="GET", path="/a/new_who", query_string={"new_who": "veteran"}),
    "junk and long parameters": dict(method="GET", path="/q/topic",
                                     query_string={"x" * 300: "y" * 5_000, "topic": "\u0000"}),
}


@pytest.mark.parametrize("kind", BAD_REQUESTS)
def test_bad_requests_log_no_traceback(client, caplog, kind):
    caplog.set_level(logging.DEBUG)
    request = dict(BAD_REQUESTS[kind])
    response = client.open(request.pop("path"), **request)
    assert 300 <= response.status_code < 500
    for record in caplog.records:
        assert record.exc_info is None and record.levelno < logging.ERROR, (kind, record.getMessage())
        assert "Traceback" not in record.getMessage()


@pytest.fixture(scope="module")
def crashing_app(tmp_path_factory):
    database = started_sqlite(tmp_path_factory.mktemp("crash"))
    app = create_app({**TEST_CONFIG, "TESTING": False, "SQLALCHEMY_DATABASE_URI": database})

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
