"""On a shared phone, "Start now" starts fresh; "Continue where you left off" keeps the answers.

"Start now" is a button in a form that posts to /start: the server clears the saved answers
and redirects (303) to the first question, so the next person does not see the last
person's choices. "Continue where you left off" stays a link. Both work without JavaScript.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .walking import FIRST, TO, choose, path_of, start_now, wait_for_node

pytestmark = pytest.mark.browser

CONTINUE = "Continue where you left off"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_start_now_clears_saved_answers_and_continue_keeps_them(new_context, shoot, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    shot = f"start-again-{'js' if javascript else 'nojs'}"
    # A question two answers in: answer the first two questions with the mouse.
    question = next(name for name, answers in TO.items() if len(answers) == 2)
    (first, first_option), (second, second_option) = TO[question]
    assert first == FIRST

    page.goto("/")
    expect(page.get_by_role("link", name=CONTINUE)).to_have_count(0)  # nothing saved yet
    start_now(page)
    wait_for_node(page, FIRST)
    choose(page, first, first_option, second)
    choose(page, second, second_option, question)

    # Back on the start page, "Continue where you left off" leads to the saved answers.
    page.goto("/")
    page.get_by_role("link", name=CONTINUE).click()
    page.wait_for_url(re.compile(rf"/answers$|/q/{re.escape(question)}$"))
    if path_of(page) == "/answers":
        expect(page.locator(".summary-row")).to_have_count(2)
        expect(page.locator(".summary-action a")).to_have_count(2)
    shoot(page, f"{shot}-continue")
    page.goto(f"/q/{first}")
    expect(page.locator(f"#choice-{first_option}")).to_be_checked()  # still saved

    # "Start now" posts, the answers are cleared, and the first question has nothing chosen.
    page.goto("/")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        start_now(page)
    wait_for_node(page, FIRST)
    assert urlsplit(posted.value.url).path == "/start", posted.value.url
    assert posted.value.status == 303, f"POST /start answered {posted.value.status}, not a 303 redirect"
    expect(page.locator('input[name="choice"]').first).to_be_attached()
    expect(page.locator('input[name="choice"]:checked')).to_have_count(0)
    shoot(page, f"{shot}-fresh")

    # Nothing is left to continue.
    page.goto("/")
    expect(page.get_by_role("link", name=CONTINUE)).to_have_count(0)
    page.goto("/answers")
    expect(page.locator(".summary-row")).to_have_count(0)
