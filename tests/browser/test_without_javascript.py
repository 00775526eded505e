"""With JavaScript turned off, a person still gets from the start page to an outcome."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .walking import JOURNEYS, wait_for_node, walk

pytestmark = pytest.mark.browser


def test_walk_without_javascript(new_context, shoot):
    page = new_context(java_script_enabled=False).new_page()

    # The error summary still shows (wizard.js would only move focus to it).
    page.goto("/q/topic")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_be_visible()
    shoot(page, "nojs-error-summary")

    answers, end = JOURNEYS["cac_tablet_to_failed_identity_check"]  # includes an outcome's carry-on button
    walk(page, answers, end)
    expect(page.get_by_role("heading", name="What to do")).to_be_visible()
    expect(page.get_by_role("link", name="1-800-368-3665").first).to_be_visible()
    # Without a script there is no Print button, and the tip about printing shows instead.
    expect(page.locator(".js-print")).to_be_hidden()
    expect(page.locator(".no-js-print")).to_be_visible()
    shoot(page, "nojs-outcome")

    page.get_by_role("link", name="Change How you sign in").click()
    wait_for_node(page, "method")
    expect(page.locator("#choice-cac")).to_be_checked()

    page.goto("/answers")
    page.get_by_role("button", name="Start again").click()
    wait_for_node(page, "topic")
    expect(page.get_by_role("status")).to_contain_text("Your answers have been cleared")
