"""The start page on a shared phone: "Start now" always starts fresh; "Continue where you left off"
only comes back to this tab's own last page; "Start again" goes back to the start page.

The answers are only ever in page addresses. "Start now" is a plain link to the first question
with no answers in its address. "Continue where you left off" is a link that wizard.js shows
(from sessionStorage: this tab only, gone with the tab) once a question or "your answers" page
has been seen in the tab; without JavaScript it is never shown. "Start again" is a link to the
start page.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .walking import FIRST, TO, answers_of, choose, path_of, query_of, route_to, start_now, wait_for_node, walk

pytestmark = pytest.mark.browser

CONTINUE = "Continue where you left off"


def two_answers_in(page) -> tuple[str, tuple[tuple[str, str], ...]]:
    """From the start page, answer the first two questions with the mouse; the question reached and the answers."""
    question = next(name for name, answers in TO.items() if len(answers) == 2)
    (first, first_option), (second, second_option) = TO[question]
    assert first == FIRST
    page.goto("/")
    start_now(page)
    wait_for_node(page, FIRST)
    choose(page, first, first_option, second)
    choose(page, second, second_option, question)
    return question, TO[question]


def test_start_now_is_a_link_to_the_first_question_with_no_answers(page):
    page.goto("/")
    start = page.get_by_role("link", name="Start now")
    href = start.get_attribute("href")
    assert href.startswith(f"/q/{FIRST}?"), href
    start.click()
    wait_for_node(page, FIRST)
    assert answers_of(page) == {} and query_of(page).get("v"), page.url
    expect(page.locator(f'input[name="{FIRST}"]').first).to_be_attached()
    expect(page.locator(f'input[name="{FIRST}"]:checked')).to_have_count(0)


def test_continue_where_you_left_off_returns_to_the_last_page_of_this_tab(page, shoot):
    page.goto("/")
    expect(page.get_by_role("link", name=CONTINUE)).to_have_count(0)  # nothing seen in this tab yet
    expect(page.locator(".js-continue")).to_be_hidden()

    question, answers = two_answers_in(page)
    left_at = page.url
    page.goto("/")
    resume = page.get_by_role("link", name=CONTINUE)
    expect(resume).to_be_visible()
    shoot(page, "start-with-continue")
    resume.click()
    page.wait_for_url(left_at)
    assert path_of(page) == f"/q/{question}" and answers_of(page) == dict(answers)
    # Back to the previous question: its answer is still chosen, because it is in the address.
    (second, second_option) = answers[-1]
    page.get_by_role("link", name="Back").click()
    wait_for_node(page, second)
    expect(page.locator(f"#choice-{second_option}")).to_be_checked()

    # The last page seen counts, "your answers" included.
    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url("**/answers?*")
    answers_page = page.url
    assert answers_of(page) == dict(answers)
    page.goto("/")
    page.get_by_role("link", name=CONTINUE).click()
    page.wait_for_url(answers_page)
    expect(page.locator(".summary-row")).to_have_count(len(answers))

    # "Start now" still starts fresh, whatever this tab saw before.
    page.goto("/")
    start_now(page)
    wait_for_node(page, FIRST)
    assert answers_of(page) == {}
    expect(page.locator(f'input[name="{FIRST}"]:checked')).to_have_count(0)


def test_continue_is_not_offered_in_another_tab_or_browser(new_context):
    context = new_context()
    first_tab = context.new_page()
    two_answers_in(first_tab)

    other_tab = context.new_page()  # same browser, a new tab: its own sessionStorage
    other_tab.goto("/")
    expect(other_tab.get_by_role("link", name="Start now")).to_be_visible()
    expect(other_tab.get_by_role("link", name=CONTINUE)).to_have_count(0)

    other_browser = new_context().new_page()
    other_browser.goto("/")
    expect(other_browser.get_by_role("link", name=CONTINUE)).to_have_count(0)

    first_tab.goto("/")  # the tab that answered still offers it
    expect(first_tab.get_by_role("link", name=CONTINUE)).to_be_visible()


def test_without_javascript_there_is_no_continue_link(new_context, shoot):
    page = new_context(java_script_enabled=False).new_page()
    two_answers_in(page)
    page.goto("/")
    expect(page.get_by_role("link", name="Start now")).to_be_visible()
    expect(page.get_by_role("link", name=CONTINUE)).to_have_count(0)
    expect(page.locator(".js-continue")).to_be_hidden()
    shoot(page, "start-nojs-after-answers")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_start_again_leads_to_the_start_page(new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    outcome = "dsl_forgot"
    walk(page, route_to(outcome), outcome)
    start_again = page.get_by_role("link", name="Start again")
    expect(start_again).to_have_attribute("href", "/")
    start_again.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/" and not urlsplit(url).query)
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help signing in to the MHS GENESIS Patient Portal")
    start_now(page)
    wait_for_node(page, FIRST)
    assert answers_of(page) == {}
    expect(page.locator(f'input[name="{FIRST}"]:checked')).to_have_count(0)
