"""Moving through the wizard: back, change an answer, your answers, start again."""
from __future__ import annotations

import re

from conftest import csrf_token

TO_NEW_WHO = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"))


def answered_questions(client) -> list[str]:
    return re.findall(r'<dd class="summary-action"><a href="/q/([a-z_0-9]+)"', client.get("/answers").text)


def test_start_page_explains_and_starts_fresh(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "about 1 minute" in page.text
    assert "We will not ask for your name, date of birth or any ID number" in page.text
    assert '<form method="post" action="/start">' in page.text


def test_start_now_on_a_shared_phone_clears_the_last_persons_answers(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    start_page = wizard.client.get("/")
    assert "Continue where you left off" in start_page.text
    response = wizard.client.post("/start", data={"csrf_token": csrf_token(start_page.text)}, follow_redirects=True)
    assert response.request.path == "/q/topic"
    assert "checked" not in response.text
    assert answered_questions(wizard.client) == []


def test_start_page_names_the_sign_in_ways_of_the_setting(client):
    assert "DS Logon, myAuth, a CAC (Common Access Card) or a PIV card" in client.get("/").text


def test_back_link_goes_to_the_previous_question_and_keeps_the_answer(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    assert 'class="back-link" href="/q/method"' in wizard.html
    previous = wizard.client.get("/q/method").text
    assert 'value="cac" checked' in previous
    assert 'class="back-link" href="/q/topic"' in previous


def test_changing_an_answer_drops_the_abandoned_branch(wizard):
    wizard.walk(*TO_NEW_WHO, ("new_who", "veteran"))
    assert wizard.path == "/q/new_proof"
    wizard.answer("method", "cac")
    assert wizard.path == "/q/cac_problem"
    assert answered_questions(wizard.client) == ["topic", "method"]
    assert "DS Logon problem" not in wizard.client.get("/answers").text


def test_changing_an_answer_keeps_answers_still_on_the_path(wizard):
    wizard.walk(*TO_NEW_WHO, ("new_who", "veteran"), ("new_proof", "cac"))
    wizard.answer("new_who", "contractor")
    assert wizard.path == "/q/create_with_cac"
    assert answered_questions(wizard.client) == ["topic", "method", "dsl_status", "new_who", "new_proof"]


def test_outcome_page_lists_answers_with_change_links(wizard):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "old_messages"))
    assert 'href="/q/topic">Change' in wizard.html
    assert 'href="/q/portal_issue">Change' in wizard.html
    assert "I&#39;m looking for old TRICARE Online messages" in wizard.html


def test_start_again_clears_the_answers(wizard):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "error"))
    token = csrf_token(wizard.html)
    response = wizard.client.post("/restart", data={"csrf_token": token}, follow_redirects=True)
    assert response.request.path == "/q/topic"
    assert "Your answers have been cleared" in response.text
    assert answered_questions(wizard.client) == []
    assert wizard.client.get("/q/portal_technical").status_code == 302


def test_outcome_page_is_printable(wizard):
    wizard.walk(("topic", "check_address"))
    assert "Print this page" in wizard.html
    assert "print this page or save it as a PDF" in wizard.html


def test_piv_user_creating_an_account_is_told_to_register_the_card_afterwards(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "piv"), ("piv_problem", "not_registered"),
                ("piv_has_dsl", "no"), ("new_who", "civilian"), ("new_proof", "id_card_email"))
    assert wizard.path == "/q/create_with_email"
    assert any("PIV" in step for step in wizard.steps)


def test_ds_logon_user_creating_an_account_is_not_told_about_piv(wizard):
    wizard.walk(*TO_NEW_WHO, ("new_who", "civilian"), ("new_proof", "id_card_email"))
    assert not any("PIV" in step for step in wizard.steps)
