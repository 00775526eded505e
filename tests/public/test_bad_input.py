"""Bad input gets a clear message and keeps the person's place: never a 500."""
from __future__ import annotations

import pytest
from conftest import TEST_CONFIG, csrf_token

from app import create_app

RESET_NOTICE = "We could not read your saved answers"


def post_answer(client, node, choice, page_node=None):
    """POST ``choice`` for ``node`` with a valid token taken from ``page_node``'s page."""
    page = client.get(f"/q/{page_node or node}", follow_redirects=True)
    return client.post(f"/q/{node}", data={"choice": choice, "csrf_token": csrf_token(page.text)})


def test_unknown_node_is_a_friendly_404(client):
    response = client.get("/q/no_such_question")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="tel:+18006009332"' in response.text


def test_answer_for_unknown_node_is_404(client):
    assert post_answer(client, "no_such_question", "yes", page_node="topic").status_code == 404


def test_nothing_chosen_shows_the_error_summary(client):
    response = post_answer(client, "topic", "")
    assert response.status_code == 400
    assert "<title>Error: What do you need help with?" in response.text
    assert "There is a problem" in response.text
    assert 'href="#choice-cannot_sign_in">Select what you need help with</a>' in response.text


def test_forged_option_is_refused_with_the_question_shown_again(client):
    response = post_answer(client, "topic", "drop_table")
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "What do you need help with?" in response.text
    assert "drop_table" not in response.text


def test_forged_option_on_an_outcome_is_refused(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    response = post_answer(wizard.client, "cac_no_reader", "teleport")
    assert response.status_code == 400


def test_answer_for_a_question_not_reached_shows_the_current_question(client):
    response = post_answer(client, "new_who", "veteran", page_node="topic")
    assert response.status_code == 409
    assert "That answer was for a question you are not on" in response.text
    assert "What do you need help with?" in response.text


def test_opening_a_question_not_reached_redirects_to_the_current_one(client):
    response = client.get("/q/new_who")
    assert response.status_code == 302
    assert response.headers["Location"] == "/q/topic?notice=not_reached"
    assert "You have not reached that question yet" in client.get(response.headers["Location"]).text


def test_tampered_cookie_starts_again_with_a_message(app):
    client = app.test_client()
    client.set_cookie("triage", "eyJhIjpbWyJ0b3BpYyIsImluc2lkZV9wb3J0YWwiXV19.forged.signature")
    response = client.get("/q/topic")
    assert response.status_code == 200
    assert RESET_NOTICE in response.text


@pytest.mark.parametrize("stored", [
    "not a list",
    [["topic"]],
    [["topic", "Robert'); DROP TABLE"]],
    [["topic", "cannot_sign_in"]] * 31,
])
def test_malformed_saved_answers_start_again(client, stored):
    with client.session_transaction() as session:
        session.update({"v": 1, "a": stored})
    response = client.get("/q/topic")
    assert response.status_code == 200
    assert RESET_NOTICE in response.text


def test_stale_answers_for_removed_nodes_are_dropped(client):
    with client.session_transaction() as session:
        session.update({"v": 1, "a": [["topic", "cannot_sign_in"], ["retired_question", "yes"],
                                      ["method", "no_longer_an_option"]]})
    response = client.get("/answers")
    assert response.status_code == 200
    assert "I can&#39;t sign in to the patient portal" in response.text
    assert "retired_question" not in response.text
    assert client.get("/q/method").status_code == 200


def test_missing_form_token_keeps_the_place_and_asks_again(wizard):
    wizard.walk(("topic", "cannot_sign_in"))
    response = wizard.client.post("/q/method", data={"choice": "cac"})
    assert response.status_code == 400
    assert "for your security we could not accept it" in response.text
    assert "How are you trying to sign in?" in response.text
    assert wizard.client.get("/answers").text.count('class="summary-row"') == 1


def test_wrong_method_is_a_friendly_405(client):
    response = client.get("/restart")
    assert response.status_code == 405
    assert "cannot be used that way" in response.text


def test_oversized_body_is_refused_with_413(client):
    response = client.post("/q/topic", data={"choice": "x" * 20_000})
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


def test_form_sent_after_the_cookie_is_gone_does_not_claim_answers_were_kept(client):
    response = client.post("/q/method", data={"choice": "cac", "csrf_token": "stale"})
    assert response.status_code == 400
    assert "Your earlier answers are kept" not in response.text
    assert "Please answer from this question" in response.text
    assert "What do you need help with?" in response.text
