"""axe-core finds no WCAG 2.2 A/AA problem on any kind of page, and none scrolls sideways at 320 px.

Pages: the start page, every question (yes/no ones and ones with hints), the
error summary, every outcome, each notice, "your answers", and the error
pages (404, 405, 413, a form sent with its session gone or a forged token).
Each is saved as test-output/screenshots/<kind>-<name>.png for people to look at.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from wizard.core.flow import CONTENT_DIR, load_flow

from .walking import JOURNEYS, OUTCOMES, TO, choose, jump, path_of, route_to, wait_for_node, walk

pytestmark = pytest.mark.browser


def posted(page):
    """Context manager: the response to the form the page posts next."""
    return page.expect_response(lambda response: response.request.method == "POST")


def test_every_outcome_and_question_has_a_route():
    flow = load_flow(CONTENT_DIR)
    assert set(OUTCOMES) == {node_id for node_id, node in flow.nodes.items() if node.is_outcome}
    assert set(TO) == {node_id for node_id, node in flow.nodes.items() if not node.is_outcome}
    visited = {node for answers, _ in JOURNEYS.values() for node, _ in answers}
    assert visited >= set(TO), "the journeys should visit every question"


def test_start_page(page, check_page):
    response = page.goto("/")
    assert response.status == 200
    check_page(page, "start")


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
    if TO[question]:
        jump(page, TO[question], question)
    for outcome, option in outcomes.items():
        page.goto(f"/q/{question}")
        choose(page, question, option, outcome)
        expect(page.get_by_role("heading", name="What to do")).to_be_visible()
        if found := page_problems(page, f"outcome-{outcome}"):
            problems.append(f"{outcome} ({page.url})\n{found}")
    assert not problems, "\n\n".join(problems)


def test_error_summary(page, check_page):
    page.goto("/q/topic")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # wizard.js moves focus there for screen reader users
    assert page.title().startswith("Error: ")
    check_page(page, "error-summary")
    summary.get_by_role("link").click()
    expect(page.locator("#choice-cannot_sign_in")).to_be_focused()


def test_error_summary_on_a_yes_no_question(page, check_page):
    jump(page, TO["cac_other_computer"], "cac_other_computer")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_page(page, "error-summary-yes-no")


def test_answers_page(page, check_page):
    jump(page, TO["new_proof"], "new_proof")
    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url("**/answers")
    expect(page.locator(".summary-row")).to_have_count(len(TO["new_proof"]))
    check_page(page, "answers")
    page.get_by_role("link", name="Change How you sign in").click()
    wait_for_node(page, "method")
    expect(page.locator("#choice-ds_logon")).to_be_checked()


def test_answers_page_with_no_answers(page, check_page):
    page.goto("/answers")
    expect(page.get_by_text("You have not answered any questions yet.")).to_be_visible()
    check_page(page, "answers-empty")


@pytest.mark.parametrize(("url", "status", "heading"), [
    ("/q/nope", 404, "Page not found"),
    ("/restart", 405, "That did not work"),
])
def test_error_page(page, check_page, url, status, heading):
    response = page.goto(url)
    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, f"error-{status}")


def test_too_large_form_is_a_413_page(page, check_page):
    page.goto("/q/topic")
    page.locator("form").evaluate("""form => {
        const extra = document.createElement("input");
        extra.type = "hidden"; extra.name = "padding"; extra.value = "x".repeat(20000);
        form.append(extra);
    }""")
    with posted(page) as response:
        page.get_by_role("button", name="Continue").click()
    assert response.value.status == 413
    expect(page.get_by_role("heading", level=1)).to_have_text("That was too much")
    check_page(page, "error-413")


def lose_the_cookie(page):
    page.context.clear_cookies()


def forge_the_token(page):
    page.locator('input[name="csrf_token"]').evaluate("input => { input.value = 'forged' }")


@pytest.mark.parametrize(("spoil", "notice", "heading", "shot"), [
    (lose_the_cookie, "Please answer from this question", "What do you need help with?", "notice-expired"),
    (forge_the_token, "for your security we could not accept it", "How are you trying to sign in?",
     "notice-expired-forged-token"),
], ids=["cookie gone", "forged token"])
def test_form_that_cannot_be_accepted(page, check_page, spoil, notice, heading, shot):
    jump(page, TO["method"], "method")
    spoil(page)
    page.locator('label[for="choice-cac"]').click()
    with posted(page) as response:
        page.get_by_role("button", name="Continue").click()
    assert response.value.status == 400
    expect(page.get_by_role("status")).to_contain_text(notice)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, shot)


def test_notice_for_a_question_not_reached(page, check_page):
    page.goto("/q/new_who")
    wait_for_node(page, "topic")
    expect(page.get_by_role("status")).to_contain_text("You have not reached that question yet")
    check_page(page, "notice-not-reached")


def test_notice_for_an_answer_to_a_question_no_longer_on_the_path(new_context, check_page):
    context = new_context()
    first, second = context.new_page(), context.new_page()
    jump(first, TO["cac_other_computer"], "cac_other_computer")
    second.goto("/q/cac_problem")
    choose(second, "cac_problem", "pin_locked", "cac_pin_locked")  # cac_other_computer is now off the path
    first.locator('label[for="choice-yes"]').click()
    with posted(first) as response:
        first.get_by_role("button", name="Continue").click()
    assert response.value.status == 409
    expect(first.get_by_role("status")).to_contain_text("for a question you are not on")
    check_page(first, "notice-not-on-question")


def test_notice_after_starting_again(page, check_page):
    jump(page, route_to("dsl_forgot"), "dsl_forgot")
    page.get_by_role("button", name="Start again").click()
    wait_for_node(page, "topic")
    expect(page.get_by_role("status")).to_contain_text("Your answers have been cleared")
    check_page(page, "notice-restarted")


def test_notice_for_an_unreadable_cookie(page, server, check_page):
    page.context.add_cookies([{"name": "triage", "value": "eyJhIjpbXX0.forged.signature", "url": server}])
    page.goto("/")
    assert path_of(page) == "/"
    expect(page.get_by_role("status")).to_contain_text("We could not read your saved answers")
    check_page(page, "notice-reset")
