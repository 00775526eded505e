"""With JavaScript turned off, a person still gets from the start page to an outcome: every page is
a plain link or a GET form, so nothing needs a script."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .walking import JOURNEYS, answers_of, open_question, path_of, wait_for_node, walk

pytestmark = pytest.mark.browser


def test_walk_without_javascript(new_context, shoot):
    page = new_context(java_script_enabled=False).new_page()

    # The error summary still shows (wizard.js would only move focus to it).
    open_question(page, "topic")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert path_of(page) == "/a/topic"
    shoot(page, "nojs-error-summary")

    answers, end = JOURNEYS["cac_tablet_to_failed_identity_check"]  # includes an outcome's carry-on button
    walk(page, answers, end)
    expect(page.get_by_role("heading", name="What to do")).to_be_visible()
    expect(page.get_by_role("link", name="1-800-368-3665").first).to_be_visible()
    # Without a script there is no Print button, and the tip about printing shows instead.
    expect(page.locator(".js-print")).to_be_hidden()
    expect(page.locator(".no-js-print")).to_be_visible()
    shoot(page, "nojs-outcome")

    page.get_by_role("link", name="Change How you are trying to sign in").click()
    wait_for_node(page, "method")
    expect(page.locator("#choice-cac")).to_be_checked()
    assert answers_of(page) == dict(answers)  # every answer stays in the address while one is changed

    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url("**/answers?*")
    expect(page.locator(".summary-row")).to_have_count(len(answers))
    page.get_by_role("link", name="Start again").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="Start now").click()
    wait_for_node(page, "topic")
    assert answers_of(page) == {}
    expect(page.locator('input[name="topic"]:checked')).to_have_count(0)
