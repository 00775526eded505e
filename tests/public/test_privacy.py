"""Nothing personal is stored or logged: only node ids and option keys."""
from __future__ import annotations

import logging
import re

from conftest import csrf_token
from flask.sessions import SecureCookieSessionInterface

TYPED_TEXT = "Jane Q Public 1970-01-01 DoD ID 1234567890"


def session_of(app, client) -> dict:
    cookie = client.get_cookie("triage")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return serializer.loads(cookie.value)


def test_cookie_holds_only_node_ids_and_option_keys(app, wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    stored = session_of(app, wizard.client)
    assert set(stored) == {"v", "a", "csrf_token"}
    assert stored["a"] == [["topic", "cannot_sign_in"], ["method", "ds_logon"], ["dsl_status", "forgot"]]


def test_typed_text_never_reaches_cookie_or_logs(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    page = client.get("/q/topic")
    client.post("/q/topic", data={"choice": TYPED_TEXT, "csrf_token": csrf_token(page.text),
                                  "name": TYPED_TEXT})
    client.post(f"/q/{TYPED_TEXT}", data={"choice": TYPED_TEXT})
    client.get(f"/q/{TYPED_TEXT}?notice={TYPED_TEXT}")
    assert TYPED_TEXT not in str(session_of(app, client))
    for record in caplog.records:
        assert "Jane" not in record.getMessage() and "1234567890" not in record.getMessage()


def test_question_pages_ask_no_free_text(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "piv"), ("piv_problem", "not_registered"))
    inputs = re.findall(r"<input[^>]*>", wizard.html)
    assert all('type="radio"' in tag or 'type="hidden"' in tag for tag in inputs)


def test_the_footer_says_where_the_chosen_options_are_kept(client):
    footer = client.get("/").text
    assert "in a cookie that is deleted when you close your browser" in footer
    assert "with the reference code on your result page, for 30 days" in footer
