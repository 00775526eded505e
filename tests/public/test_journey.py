"""Moving through the wizard: start, back, change an answer, your answers, start again.

The answers live only in each page's address (wizard/answers/address.py), so every
link and form carries them, and the start page knows nothing of anyone's last visit.
"""
from __future__ import annotations

import html
import re

import pytest
from helpers import Wizard, link_to

TO_NEW_WHO = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"))


@pytest.fixture(scope="module")
def v(app) -> str:
    return app.extensions["triage_engine"].flow.version


def hrefs(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


def answered_questions(wizard: Wizard) -> list[str]:
    """The questions listed on "Your answers" at the answers in the current page's address, in order."""
    page = wizard.client.get(f"/answers?{wizard.page.request.query_string.decode()}")
    assert page.status_code == 200
    return re.findall(r'<dd class="summary-action"><a href="/q/([a-z_0-9]+)\?', page.text)


def test_start_page_explains_and_links_to_the_first_question(client, v):
    page = client.get("/")
    assert page.status_code == 200
    assert "about 1 minute" in page.text
    assert "We will not ask for your name, date of birth or any ID number" in page.text
    assert f'<a class="button button--start" href="/q/topic?v={v}">Start now</a>' in page.text
    assert "<form" not in page.text  # nothing to post: starting is following a link


def test_start_now_carries_no_answers_even_after_someone_else_used_the_phone(app, wizard, v):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    start_page = wizard.client.get("/")
    assert start_page.text == app.test_client().get("/").text  # the start page knows nothing of the last visit
    assert '<p class="js-continue" hidden>' in start_page.text  # "Continue" is only for the same tab, with JavaScript
    first = wizard.client.get(f"/q/topic?v={v}")
    assert first.status_code == 200
    assert " checked" not in first.text
    assert "Check or change your answers" not in first.text


def test_start_page_names_the_sign_in_ways_of_the_setting(client):
    start = client.get("/").text
    assert "DS Logon, a CAC (Common Access Card) or a PIV card" in start
    assert "DoD is moving its sites from DS Logon to a new sign-in, myAuth" in start
    assert "with DS Logon, myAuth" not in start  # no public page says the portal takes myAuth yet (audit M2)


def test_each_answer_leads_to_the_canonical_address_of_the_next_page(wizard, v):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    assert wizard.page.request.full_path == f"/q/cac_problem?method=cac&topic=cannot_sign_in&v={v}"
    assert 'action="/a/cac_problem"' in wizard.html
    assert (f'<input type="hidden" name="method" value="cac"><input type="hidden" name="topic" '
            f'value="cannot_sign_in"><input type="hidden" name="v" value="{v}">') in wizard.html


def test_back_link_goes_to_the_previous_question_and_keeps_the_answer(wizard, v):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    back = f"/q/method?method=cac&topic=cannot_sign_in&v={v}"
    assert f'class="back-link" href="{html.escape(back)}"' in wizard.html
    previous = wizard.client.get(back)
    assert previous.status_code == 200
    assert 'value="cac" checked' in previous.text
    assert f'class="back-link" href="{html.escape(f"/q/topic?method=cac&topic=cannot_sign_in&v={v}")}"' \
        in previous.text


def test_the_first_question_goes_back_to_the_start_page(client, v):
    assert 'class="back-link" href="/"' in client.get(f"/q/topic?v={v}").text


def test_an_earlier_address_still_shows_that_page_as_it_was(wizard, v):
    """The browser's history is the only memory: going back to an address shows what it showed."""
    wizard.walk(*TO_NEW_WHO, ("new_who", "service_member"))
    earlier = wizard.client.get(f"/q/method?topic=cannot_sign_in&v={v}")
    assert earlier.status_code == 200
    assert "How are you trying to sign in?" in earlier.text
    assert " checked" not in earlier.text


def test_changing_an_answer_drops_the_abandoned_branch(wizard):
    wizard.walk(*TO_NEW_WHO, ("new_who", "service_member"))
    assert wizard.path == "/q/new_proof"
    wizard.answer("method", "cac")
    assert wizard.path == "/q/cac_problem"
    assert set(wizard.page.request.args) == {"topic", "method", "v"}
    assert answered_questions(wizard) == ["topic", "method"]


def test_changing_an_answer_keeps_answers_still_on_the_path(wizard):
    wizard.walk(*TO_NEW_WHO, ("new_who", "service_member"), ("new_proof", "cac"))
    wizard.answer("new_who", "contractor")
    assert wizard.path == "/q/create_with_cac"
    assert answered_questions(wizard) == ["topic", "method", "dsl_status", "new_who", "new_proof"]
    assert wizard.page.request.args["new_proof"] == "cac"


def test_outcome_page_lists_answers_with_change_links(wizard, v):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "old_messages"))
    answers = f"portal_issue=old_messages&topic=inside_portal&v={v}"
    assert f'href="{html.escape(f"/q/topic?{answers}")}">Change' in wizard.html
    assert f'href="{html.escape(f"/q/portal_issue?{answers}")}">Change' in wizard.html
    assert "I&#39;m looking for old TRICARE Online messages" in wizard.html


def test_a_change_link_opens_the_question_with_the_answer_chosen(wizard):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "old_messages"))
    page = wizard.client.get(link_to(wizard.html, "/q/portal_issue"))
    assert page.status_code == 200
    assert 'value="old_messages" checked' in page.text


def test_check_your_answers_lists_them_and_goes_on_from_the_current_question(wizard, v):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"))
    page = wizard.client.get(link_to(wizard.html, "/answers"))
    assert page.status_code == 200
    assert "I can&#39;t sign in to the patient portal" in page.text
    current = html.escape(f"/q/cac_problem?method=cac&topic=cannot_sign_in&v={v}")
    assert f'<a class="button" href="{current}">Continue</a>' in page.text


def test_check_your_answers_with_none_yet_offers_to_start(client, v):
    page = client.get(f"/answers?v={v}")
    assert page.status_code == 200
    assert "You have not answered any questions yet." in page.text
    assert f'<a class="button" href="/q/topic?v={v}">Start now</a>' in page.text


def test_start_again_is_a_link_to_the_start_page_with_no_answers(wizard, app):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "error"))
    assert '<a class="button button--secondary" href="/">Start again</a>' in wizard.html
    start = wizard.client.get("/")
    assert start.status_code == 200
    assert start.text == app.test_client().get("/").text
    assert "Set-Cookie" not in start.headers
    assert wizard.client.get_cookie("triage") is None


def test_the_same_address_shows_the_same_page_to_anyone(app, wizard):
    """A link to a page can be shared with a family helper: it shows them the same advice."""
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    elsewhere = app.test_client().get(wizard.page.request.full_path)
    assert elsewhere.status_code == 200
    assert elsewhere.text == wizard.html


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
