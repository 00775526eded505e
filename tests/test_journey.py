"""Moving through the wizard: back, change an answer, your answers, start again."""
from __future__ import annotations

import re

from conftest import csrf_token

TO_ELIG_CATEGORY = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"),
                    ("elig_age", "yes"), ("elig_affiliation", "yes"))


def answered_questions(client) -> list[str]:
    return re.findall(r'<dd class="summary-action"><a href="/q/([a-z_0-9]+)"', client.get("/answers").text)


def test_start_page_explains_and_links_to_the_first_question(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "about 1 minute" in page.text
    assert "We will not ask for your name, date of birth or any ID number" in page.text
    assert 'href="/q/topic"' in page.text


def test_back_link_goes_to_the_previous_question_and_keeps_the_answer(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    assert 'class="back-link" href="/q/method"' in wizard.html
    previous = wizard.client.get("/q/method").text
    assert 'value="cac" checked' in previous
    assert 'class="back-link" href="/q/topic"' in previous


def test_changing_an_answer_drops_the_abandoned_branch(wizard):
    wizard.walk(*TO_ELIG_CATEGORY, ("elig_category", "veteran"), ("elig_in_deers", "yes"))
    assert wizard.path == "/q/identity_route"
    wizard.answer("method", "cac")
    assert wizard.path == "/q/cac_problem"
    assert answered_questions(wizard.client) == ["topic", "method"]
    assert "DS Logon problem" not in wizard.client.get("/answers").text


def test_changing_an_answer_keeps_answers_still_on_the_path(wizard):
    wizard.walk(*TO_ELIG_CATEGORY, ("elig_category", "veteran"), ("elig_in_deers", "yes"))
    wizard.answer("elig_category", "contractor")
    assert wizard.path == "/q/identity_route"
    assert answered_questions(wizard.client) == ["topic", "method", "dsl_status", "elig_age",
                                                 "elig_affiliation", "elig_category", "elig_in_deers"]


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
                ("piv_has_dsl", "no"), ("elig_age", "yes"), ("elig_affiliation", "yes"),
                ("elig_category", "civilian"), ("elig_in_deers", "yes"), ("identity_route", "email"))
    assert wizard.path == "/q/create_with_email"
    assert any("PIV" in step for step in wizard.steps)


def test_ds_logon_user_creating_an_account_is_not_told_about_piv(wizard):
    wizard.walk(*TO_ELIG_CATEGORY, ("elig_category", "civilian"), ("elig_in_deers", "yes"),
                ("identity_route", "email"))
    assert not any("PIV" in step for step in wizard.steps)
