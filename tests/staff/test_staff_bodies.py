"""Staff POST routes accept form bodies only: JSON (object or not), text or XML is a 415, never a 500."""
from __future__ import annotations

import pytest
from helpers import csrf_token

BODIES = [('"x"', "application/json"), ("5", "application/json"), ("[1,2]", "application/json"),
          ('{"name": "a"}', "application/json"), ("name=a", "text/plain")]


@pytest.mark.parametrize(("body", "content_type"), BODIES)
def test_login_takes_only_a_form(app, body, content_type):
    client = app.test_client()
    token = csrf_token(client.get("/staff/login").text)
    response = client.post("/staff/login", data=body, content_type=content_type, headers={"X-CSRFToken": token})
    assert response.status_code == 415


@pytest.mark.parametrize(("body", "content_type"), BODIES)
@pytest.mark.parametrize("path", ["/staff/calls", "/staff/logout"])
def test_staff_posts_take_only_a_form(staff_client, path, body, content_type):
    client = staff_client()
    token = csrf_token(client.get("/staff/").text)
    response = client.post(path, data=body, content_type=content_type, headers={"X-CSRFToken": token})
    assert response.status_code == 415
    assert client.get("/staff/").status_code == 200  # still logged in: the refused POST did nothing
