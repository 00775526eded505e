"""Bad input in the address gets the canonical page or a clear message with the question: never a 500.

Anyone can type or edit an address. A page address that is not the canonical one
(junk parameters, another order, answers off the path, an unknown option, no or an
old content version) is a 303 to the canonical address; an answer that cannot be
used is a 400 (or 409) that shows the question again.
"""
from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest
from helpers import TEST_CONFIG

from app import create_app

TYPED = "Robert'); DROP TABLE reference_code;--"


@pytest.fixture(scope="module")
def v(app) -> str:
    return app.extensions["triage_engine"].flow.version


def test_unknown_node_is_a_friendly_404(client):
    response = client.get("/q/no_such_question")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="tel:+18006009332"' in response.text


def test_answer_for_unknown_node_is_404(client, v):
    assert client.get(f"/a/no_such_question?no_such_question=yes&v={v}").status_code == 404


def test_nothing_chosen_shows_the_error_summary(client, v):
    response = client.get(f"/a/topic?v={v}")
    assert response.status_code == 400
    assert "<title>Error: What do you need help with?" in response.text
    assert "There is a problem" in response.text
    assert 'href="#choice-cannot_sign_in">Select what you need help with</a>' in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_nothing_chosen_keeps_the_answers_so_far(client, v):
    response = client.get(f"/a/method?topic=cannot_sign_in&v={v}")
    assert response.status_code == 400
    assert "How are you trying to sign in?" in response.text
    assert '<input type="hidden" name="topic" value="cannot_sign_in">' in response.text


def test_forged_option_is_refused_with_the_question_shown_again(client, v):
    response = client.get(f"/a/topic?topic=drop_table&v={v}")
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "What do you need help with?" in response.text
    assert "drop_table" not in response.text


def test_forged_option_on_an_outcome_is_refused(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    assert wizard.path == "/q/cac_no_reader"
    response = wizard.client.get("/a/cac_no_reader", query_string={**dict(wizard.page.request.args),
                                                                    "cac_no_reader": "teleport"})
    assert response.status_code == 400
    assert "teleport" not in response.text


def test_answer_for_a_question_not_reached_shows_the_current_question(client, v):
    response = client.get(f"/a/new_who?new_who=veteran&v={v}")
    assert response.status_code == 409
    assert "That answer was for a question you are not on" in response.text
    assert "What do you need help with?" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_opening_a_question_not_reached_redirects_to_the_current_one(client, v):
    response = client.get(f"/q/new_who?topic=cannot_sign_in&v={v}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/method?notice=not_reached&topic=cannot_sign_in&v={v}"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "You have not reached that question yet" in page.text
    assert "How are you trying to sign in?" in page.text


@pytest.mark.parametrize(("query", "canonical"), [
    ("topic=cannot_sign_in&utm_source=newsletter&v={v}", "topic=cannot_sign_in&v={v}"),  # junk parameter
    ("v={v}&topic=cannot_sign_in", "topic=cannot_sign_in&v={v}"),  # another order
    ("topic=cannot_sign_in&topic=inside_portal&v={v}", "topic=cannot_sign_in&v={v}"),  # repeated: the first
    ("topic=cannot_sign_in", "topic=cannot_sign_in&v={v}"),  # no content version
    ("topic=cannot_sign_in&v=0123456789ab", "topic=cannot_sign_in&v={v}"),  # an old content version
    ("topic=cannot_sign_in&v={v}&v=0123456789ab", "topic=cannot_sign_in&v={v}"),
    ("topic=cannot_sign_in&portal_issue=error&v={v}", "topic=cannot_sign_in&v={v}"),  # an answer off the path
    ("topic=cannot_sign_in&notice=gone&v={v}", "topic=cannot_sign_in&v={v}"),  # an unknown notice
    ("choice=cac&csrf_token=x&topic=cannot_sign_in&v={v}", "topic=cannot_sign_in&v={v}"),  # the old form's fields
])
def test_a_non_canonical_address_goes_to_the_canonical_one(client, v, query, canonical):
    response = client.get(f"/q/method?{query.format(v=v)}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/method?{canonical.format(v=v)}"
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("value", [
    "no_longer_an_option",  # an option key the question does not have
    TYPED,  # not an identifier
    "x" * 10_000,  # very long
    "%00", "\u202eevil", "caf\u00e9",
])
def test_an_unusable_answer_in_the_address_is_dropped(client, v, value):
    query = urlencode({"method": value, "topic": "cannot_sign_in", "v": v})
    response = client.get(f"/q/method?{query}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/method?topic=cannot_sign_in&v={v}"


@pytest.mark.parametrize("value", ["no_longer_an_option", TYPED, "x" * 10_000, "\u202eevil"])
def test_an_unusable_answer_sent_is_a_400_with_the_question(client, v, value):
    response = client.get("/a/method", query_string={"method": value, "topic": "cannot_sign_in", "v": v})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "How are you trying to sign in?" in response.text
    assert value not in response.text and html.escape(value) not in response.text


def test_stale_answers_for_removed_nodes_are_dropped(client, v):
    response = client.get(f"/answers?method=no_longer_an_option&retired_question=yes&topic=cannot_sign_in&v={v}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/answers?topic=cannot_sign_in&v={v}"
    page = client.get(response.headers["Location"])
    assert "I can&#39;t sign in to the patient portal" in page.text
    assert "retired_question" not in page.text


def test_too_many_parameters_are_dropped_not_a_failure(client, v):
    junk = [(f"p{number}", "x") for number in range(5_000)]
    response = client.get(f"/q/method?{urlencode([*junk, ('topic', 'cannot_sign_in'), ('v', v)])}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/method?topic=cannot_sign_in&v={v}"
    answer = client.get(f"/a/method?{urlencode([*junk, ('topic', 'cannot_sign_in'), ('method', 'cac'), ('v', v)])}")
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/q/cac_problem?method=cac&topic=cannot_sign_in&v={v}"


def test_a_very_long_node_name_is_a_404(client):
    assert client.get("/q/" + "a" * 5_000).status_code == 404
    assert client.get("/a/" + "a" * 5_000).status_code == 404


def test_bytes_that_are_not_utf8_are_not_a_failure(client, v):
    response = client.get(f"/q/topic?topic=%ff%fe&v={v}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/topic?v={v}"
    assert client.get(f"/a/topic?topic=%ff&v={v}").status_code == 400


def test_a_form_from_another_browser_or_hours_ago_still_answers(app, v):
    """No token and no cookie: a question page's form works in any browser, however long it was left open."""
    response = app.test_client().get(f"/a/method?method=cac&topic=cannot_sign_in&v={v}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/cac_problem?method=cac&topic=cannot_sign_in&v={v}"


def test_a_form_of_an_older_content_version_goes_on_with_todays(client, v):
    response = client.get("/a/method?method=cac&topic=cannot_sign_in&v=0123456789ab")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/q/cac_problem?method=cac&topic=cannot_sign_in&v={v}"


def test_wrong_method_is_a_friendly_405(client, v):
    response = client.post(f"/a/method?method=cac&topic=cannot_sign_in&v={v}")
    assert response.status_code == 405
    assert "cannot be used that way" in response.text


def test_the_removed_start_and_restart_addresses_are_not_found(client):
    for path in ("/start", "/restart"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404


def test_oversized_body_is_refused_with_413(client):
    response = client.post("/staff/login", data={"name": "x" * 20_000})
    assert response.status_code == 413
    assert "more than this service accepts" in response.text


def test_unexpected_error_is_a_friendly_500():
    app = create_app({**TEST_CONFIG, "TESTING": False})

    @app.get("/boom")
    def boom():
        raise RuntimeError("simulated failure")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
