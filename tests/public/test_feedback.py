""""Did this solve your problem?": a vote adds 1 to one count and nothing else (wizard/public/feedback.py).

Counted once, in its (day, content version, outcome, vote, reason) row; junk, floods and bodies that are
not forms are refused with a clear page, never a 500; no cookie, no token, no address in any log; the
outcome page with the form is still a page kept for everyone (the proxy's side: tests/proxy/test_page_cache.py).
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import re
from urllib.parse import urlencode

import pytest
from helpers import start_app, started_sqlite
from sqlalchemy import select

from wizard.extensions import db
from wizard.models import FeedbackCount
from wizard.public.page_cache import PUBLIC_CACHE

JOURNEY = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "no_account",
           "new_who": "service_member", "new_proof": "cac"}
ADDRESS = "203.0.113.77"  # a documentation address (RFC 5737): what must never reach a log


@pytest.fixture
def own_app(tmp_path):
    return start_app(started_sqlite(tmp_path), VOTE_LIMIT="5 per minute")


def version(app) -> str:
    return app.extensions["triage_engine"].flow.version


def outcome_of(app) -> str:
    return app.extensions["triage_engine"].walk(JOURNEY).current


def counts(app) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(
            FeedbackCount.day, FeedbackCount.flow_version, FeedbackCount.outcome, FeedbackCount.vote,
            FeedbackCount.reason, FeedbackCount.count).order_by(FeedbackCount.outcome, FeedbackCount.vote))]


def vote(client, app, outcome=None, **fields):
    data = {**JOURNEY, "v": version(app), **fields}
    return client.post(f"/feedback/{outcome or outcome_of(app)}", data=data,
                       environ_base={"REMOTE_ADDR": ADDRESS})


def outcome_page(client, app):
    query = urlencode(sorted({**JOURNEY, "v": version(app)}.items()))
    return client.get(f"/q/{outcome_of(app)}?{query}")


def test_the_outcome_page_carries_the_two_small_forms_and_nothing_personal(own_app):
    page = outcome_page(own_app.test_client(), own_app)
    assert page.status_code == 200
    forms = re.findall(r'<form[^>]*method="post" action="([^"]+)"[^>]*>(.*?)</form>', page.text, re.S)
    assert [action for action, _ in forms] == [f"/feedback/{outcome_of(own_app)}"] * 2
    for _, inside in forms:
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', inside))
        assert hidden == {**JOURNEY, "v": version(own_app)}  # exactly the address's answers
        assert "<textarea" not in inside and 'type="text"' not in inside  # no free text
    reasons = re.findall(r'name="reason" value="([a-z_]+)"', page.text)
    assert reasons == ["steps_failed", "number_failed", "not_my_situation", "hard_to_follow"]
    assert "csrf_token" not in page.text and "Set-Cookie" not in page.headers


def test_a_vote_counts_once_in_its_day_version_and_outcome(own_app):
    client = own_app.test_client()
    reply = vote(client, own_app, vote="yes")
    assert reply.status_code == 200 and "Thank you" in reply.text
    today = dt.datetime.now(dt.timezone.utc).date()
    assert counts(own_app) == [(today, version(own_app), outcome_of(own_app), "yes", "", 1)]
    vote(client, own_app, vote="no", reason="number_failed")
    vote(client, own_app, vote="yes")
    assert counts(own_app) == [(today, version(own_app), outcome_of(own_app), "no", "number_failed", 1),
                               (today, version(own_app), outcome_of(own_app), "yes", "", 2)]


def test_no_without_a_reason_counts_with_an_empty_reason(own_app):
    vote(own_app.test_client(), own_app, vote="no")
    assert [row[3:] for row in counts(own_app)] == [("no", "", 1)]


def test_the_thank_you_keeps_the_persons_place(own_app):
    client = own_app.test_client()
    outcome = outcome_page(client, own_app)
    reply = vote(client, own_app, vote="no", reason="steps_failed")
    back = html.unescape(re.search(r'<a class="button" href="([^"]+)">Back to your result</a>', reply.text).group(1))
    assert back == outcome.request.full_path
    assert client.get(back).text == outcome.text
    assert "Sorry this did not solve it" in reply.text
    assert "Sorry" not in vote(client, own_app, vote="yes").text


@pytest.mark.parametrize("outcome, fields", [
    ("topic", {"vote": "yes"}),  # a question, not an outcome
    ("no_such_node", {"vote": "yes"}),
    (None, {"vote": "maybe"}),
    (None, {"vote": ""}),
    (None, {}),  # no vote at all
    (None, {"vote": "yes", "reason": "steps_failed"}),  # a reason is only for No
    (None, {"vote": "no", "reason": "my name is Jane"}),
    (None, {"vote": "no", "reason": "Steps_Failed"}),
    (None, {"vote": "yes", "v": "0000aaaa0000"}),  # another content version
    (None, {"vote": "yes", "v": ""}),
    (None, {"vote": "yes", "new_proof": "nope"}),  # an option the question does not have
    (None, {"vote": "yes", "topic": "inside_portal"}),  # answers that lead elsewhere
    (None, {"vote": "yes", "portal_issue": "records"}),  # an answer off the path
], ids=lambda value: repr(value))
def test_junk_is_refused_with_a_clear_page_and_counts_nothing(own_app, outcome, fields):
    reply = vote(own_app.test_client(), own_app, outcome, **fields)
    assert reply.status_code == 400
    assert "We could not count that answer" in reply.text and "Did this solve your problem?" in reply.text
    assert counts(own_app) == []


def test_missing_answers_are_refused(own_app):
    reply = own_app.test_client().post(f"/feedback/{outcome_of(own_app)}", data={"vote": "yes", "v": version(own_app)})
    assert reply.status_code == 400 and counts(own_app) == []


@pytest.mark.parametrize("body, content_type", [
    ('{"vote": "yes"}', "application/json"), ('"yes"', "application/json"), ("[1, 2]", "application/json"),
    ("vote=yes", "text/plain"), ("<vote>yes</vote>", "application/xml"), ("\x00\xff", "application/octet-stream"),
])
def test_a_body_that_is_not_a_form_is_refused(own_app, body, content_type):
    reply = own_app.test_client().post(f"/feedback/{outcome_of(own_app)}", data=body, content_type=content_type)
    assert reply.status_code == 415 and "only accepts answers sent from its own form" in reply.text
    assert counts(own_app) == []


def test_a_get_is_a_405_and_a_huge_form_a_413(own_app):
    client = own_app.test_client()
    assert client.get(f"/feedback/{outcome_of(own_app)}").status_code == 405
    huge = vote(client, own_app, vote="yes", pad="x" * 20_000)
    assert huge.status_code == 413 and counts(own_app) == []


def test_a_flood_from_one_address_is_limited_and_others_still_vote(own_app):
    client = own_app.test_client()
    statuses = [vote(client, own_app, vote="yes").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2  # VOTE_LIMIT: 5 per minute here
    assert "Too many tries" in vote(client, own_app, vote="yes").text
    other = client.post(f"/feedback/{outcome_of(own_app)}", data={**JOURNEY, "v": version(own_app), "vote": "yes"},
                        environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 200
    assert counts(own_app)[0][-1] == 6


def test_junk_counts_against_the_limit_too(own_app):
    client = own_app.test_client()
    assert [vote(client, own_app, vote="maybe").status_code for _ in range(6)] == [400] * 5 + [429]


def test_voting_sets_no_cookie_and_is_never_kept(own_app):
    client = own_app.test_client()
    for fields in ({"vote": "yes"}, {"vote": "no", "reason": "hard_to_follow"}, {"vote": "maybe"}):
        reply = vote(client, own_app, **fields)
        assert "Set-Cookie" not in reply.headers
        assert reply.headers["Cache-Control"] == "no-store"
    assert client.get_cookie("triage") is None


def test_the_outcome_page_with_the_form_is_still_kept_for_everyone(own_app):
    """Marked public, the same bytes for everyone, and sent again by KeptPages without running the app."""
    first, second = own_app.test_client(), own_app.test_client()
    page = outcome_page(first, own_app)
    assert page.headers["Cache-Control"] == PUBLIC_CACHE and "Set-Cookie" not in page.headers
    vote(first, own_app, vote="yes")  # someone voting changes nobody's page
    again = outcome_page(second, own_app)
    assert again.data == page.data and again.headers["Cache-Control"] == PUBLIC_CACHE


def test_no_address_reaches_the_log_even_when_refused(own_app, caplog):
    caplog.set_level(logging.DEBUG)
    client = own_app.test_client()
    for _ in range(7):  # past the limit: Flask-Limiter logs the refusal
        vote(client, own_app, vote="no", reason="steps_failed")
    vote(client, own_app, vote="maybe")
    messages = [record.getMessage() for record in caplog.records]
    assert any("feedback outcome=" in message for message in messages)
    for message in messages:
        assert ADDRESS not in message and "203.0.113" not in message, message


def test_the_database_down_is_a_clear_503_not_a_500(own_app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from wizard.public import feedback

    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(feedback, "add_vote", down)
    reply = vote(own_app.test_client(), own_app, vote="yes")
    assert reply.status_code == 503 and "We cannot count answers right now" in reply.text


def test_feedback_form_off_leaves_the_form_out_and_the_route_404s(tmp_path):
    app = start_app(started_sqlite(tmp_path), FEEDBACK_FORM=False)
    client = app.test_client()
    page = outcome_page(client, app)
    assert page.status_code == 200 and "Did this solve your problem?" not in page.text and "/feedback/" not in page.text
    assert vote(client, app, vote="yes").status_code == 404 and counts(app) == []
