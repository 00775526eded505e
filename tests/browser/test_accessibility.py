"""axe-core finds no WCAG 2.2 A/AA problem on any kind of page, and none scrolls sideways at 320 px.

Pages: the start page (with and without "Continue where you left off"), every question (yes/no
ones and ones with hints), the error summary (nothing chosen, or an option the question does not
offer), every outcome, each notice, "your answers", and the error pages (404; 405 for a form an
old page still posts; 413 for a staff form too big to read, the one place forms still have a body).
Each is saved as test-output/screenshots/<kind>-<name>.png for people to look at.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from wizard.core.flow import CONTENT_DIR, load_flow

from .walking import (JOURNEYS, OUTCOMES, TO, answers_of, choose, jump, open_question, path_of, query_of, wait_for_node,
                      walk)

pytestmark = pytest.mark.browser


def answered(page, node: str):
    """Context manager: the response to the GET form that answers ``node`` (/a/<node>)."""
    return page.expect_response(lambda response: urlsplit(response.url).path == f"/a/{node}")


def test_every_outcome_and_question_has_a_route():
    flow = load_flow(CONTENT_DIR)
    assert set(OUTCOMES) == {node_id for node_id, node in flow.nodes.items() if node.is_outcome}
    assert set(TO) == {node_id for node_id, node in flow.nodes.items() if not node.is_outcome}
    visited = {node for answers, _ in JOURNEYS.values() for node, _ in answers}
    assert visited >= set(TO), "the journeys should visit every question"


def test_start_page(page, check_page):
    response = page.goto("/")
    assert response.status == 200
    expect(page.get_by_role("link", name="Continue where you left off")).to_have_count(0)
    check_page(page, "start")


def test_start_page_with_continue_where_you_left_off(page, check_page):
    open_question(page, "method")
    page.goto("/")
    expect(page.get_by_role("link", name="Continue where you left off")).to_be_visible()
    check_page(page, "start-with-continue")


@pytest.mark.parametrize("journey", JOURNEYS)
def test_every_question_on_the_way_to_an_outcome(page, page_problems, journey):
    """Walk the journey with the mouse, checking every page on the way."""
    answers, end = JOURNEYS[journey]
    problems, checked = [], []

    def check(page, node):
        if node != "start":  # test_start_page has it
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            if found := page_problems(page, f"{'outcome' if node in OUTCOMES else 'question'}-{node}"):
                problems.append(f"{node} ({page.url})\n{found}")
        checked.append(node)

    walk(page, answers, end, on_page=check)
    assert checked == ["start", *(node for node, _ in answers), end]
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("question", sorted({question for question, _ in OUTCOMES.values()}))
def test_every_outcome_of(page, page_problems, question):
    """Each outcome that ``question`` leads to; all are checked before any failure is reported."""
    outcomes = {outcome: option for outcome, (asked, option) in OUTCOMES.items() if asked == question}
    problems = []
    for outcome, option in outcomes.items():
        open_question(page, question)
        choose(page, question, option, outcome)
        expect(page.get_by_role("heading", name="What to do")).to_be_visible()
        if found := page_problems(page, f"outcome-{outcome}"):
            problems.append(f"{outcome} ({page.url})\n{found}")
    assert not problems, "\n\n".join(problems)


def test_error_summary(page, check_page):
    open_question(page, "topic")
    with answered(page, "topic") as response:
        page.get_by_role("button", name="Continue").click()
    assert response.value.status == 400
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # wizard.js moves focus there for screen reader users
    assert path_of(page) == "/a/topic"
    assert page.title().startswith("Error: ")
    check_page(page, "error-summary")
    summary.get_by_role("link").click()
    expect(page.locator("#choice-cannot_sign_in")).to_be_focused()
    # The question can be answered from the error page: its form still carries the answers so far.
    page.locator('label[for="choice-cannot_sign_in"]').click()
    page.get_by_role("button", name="Continue").click()
    wait_for_node(page, "method")
    assert answers_of(page) == {"topic": "cannot_sign_in"}


def test_error_summary_on_a_yes_no_question(page, check_page):
    jump(page, TO["cac_other_computer"], "cac_other_computer")
    with answered(page, "cac_other_computer") as response:
        page.get_by_role("button", name="Continue").click()
    assert response.value.status == 400
    expect(page.locator(".error-summary")).to_be_visible()
    # The hidden fields still carry the answers that led here.
    hidden = dict(page.locator('form input[type="hidden"]').evaluate_all(
        "inputs => inputs.map(input => [input.name, input.value])"))
    assert {name: value for name, value in hidden.items() if name != "v"} == dict(TO["cac_other_computer"])
    check_page(page, "error-summary-yes-no")


def test_an_option_the_question_does_not_offer(page, check_page):
    """An address edited by hand (or an old page) sends an option that is not there: ask again, in place."""
    open_question(page, "method")
    version = query_of(page)["v"]
    response = page.goto(f"/a/method?method=fax&topic=cannot_sign_in&v={version}")
    assert response.status == 400
    expect(page.locator(".error-summary")).to_contain_text("There is a problem")
    expect(page.get_by_role("heading", level=1)).to_have_text("How are you trying to sign in?")
    expect(page.locator('input[name="method"]:checked')).to_have_count(0)
    check_page(page, "error-summary-unknown-option")


def test_answers_page(page, check_page):
    jump(page, TO["new_proof"], "new_proof")
    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url("**/answers?*")
    assert answers_of(page) == dict(TO["new_proof"])
    expect(page.locator(".summary-row")).to_have_count(len(TO["new_proof"]))
    check_page(page, "answers")
    page.get_by_role("link", name="Change How you are trying to sign in").click()
    wait_for_node(page, "method")
    expect(page.locator("#choice-ds_logon")).to_be_checked()
    # Changing one answer keeps the others in the address; the page's form carries them on.
    assert answers_of(page) == dict(TO["new_proof"])


def test_answers_page_with_no_answers(page, check_page):
    page.goto("/answers")
    assert path_of(page) == "/answers" and list(query_of(page)) == ["v"], page.url
    expect(page.get_by_text("You have not answered any questions yet.")).to_be_visible()
    check_page(page, "answers-empty")


def test_page_not_found(page, check_page):
    response = page.goto("/q/nope")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "error-404")


def test_a_form_an_old_page_still_posts_is_a_405_page(page, check_page):
    """A page kept from before the answers moved into the address posts its form: 405, said plainly."""
    open_question(page, "topic")
    page.locator("form").evaluate("form => { form.method = 'post'; form.action = location.pathname; }")
    page.locator('label[for="choice-cannot_sign_in"]').click()
    with page.expect_response(lambda response: response.request.method == "POST") as response:
        page.get_by_role("button", name="Continue").click()
    assert response.value.status == 405
    expect(page.get_by_role("heading", level=1)).to_have_text("That did not work")
    check_page(page, "error-405")


def test_too_large_staff_form_is_a_413_page(page, check_page):
    """Public pages send no bodies any more; a staff form (the login) is where a 413 can still happen."""
    page.goto("/staff/login")
    page.locator("form").evaluate("""form => {
        const extra = document.createElement("input");
        extra.type = "hidden"; extra.name = "padding"; extra.value = "x".repeat(20000);
        form.append(extra);
    }""")
    with page.expect_response(lambda response: response.request.method == "POST") as response:
        page.get_by_role("button", name="Log in").click()
    assert response.value.status == 413
    expect(page.get_by_role("heading", level=1)).to_have_text("That was too much")
    check_page(page, "error-413")


def test_notice_for_a_question_not_reached(page, check_page):
    page.goto("/q/new_who")
    wait_for_node(page, "topic")
    assert query_of(page).get("notice") == "not_reached"
    expect(page.get_by_role("status")).to_contain_text("You have not reached that question yet")
    check_page(page, "notice-not-reached")


def test_notice_for_an_answer_to_a_question_not_on_the_path(page, check_page):
    """The answers sent with a question's form no longer lead to it (an address edited by hand):
    409, the question those answers do lead to, and a notice."""
    open_question(page, "cac_other_computer")
    page.locator('form input[type="hidden"][name="method"]').evaluate("input => { input.value = 'ds_logon' }")
    page.locator('label[for="choice-yes"]').click()
    with answered(page, "cac_other_computer") as response:
        page.get_by_role("button", name="Continue").click()
    assert response.value.status == 409
    expect(page.get_by_role("status")).to_contain_text("for a question you are not on")
    expect(page.locator('input[type="radio"]').first).to_have_attribute("name", "dsl_status")
    check_page(page, "notice-not-on-question")
