"""In a real browser: "Did this solve your problem?" answered with the keyboard and with JavaScript off, and
the insights pages passing axe (WCAG 2.2 A/AA), 320 px, and walked keyboard-only."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_keyboard import Keyboard
from .test_staff import log_in
from .walking import route_to, walk

pytestmark = pytest.mark.browser
OUTCOME = "dsl_forgot"


def test_voting_no_with_a_reason_keyboard_only(page, check_page):
    walk(page, route_to(OUTCOME), OUTCOME)
    outcome = page.url
    keyboard = Keyboard(page)
    keyboard.tab_to(lambda s: s["tag"] == "summary" and s["text"] == "No", "the No button")
    page.keyboard.press("Enter")  # opens the reasons: no script involved
    state = keyboard.tab_to(lambda s: s["name"] == "reason", "the reasons")
    assert state["value"] == "steps_failed"
    keyboard.press("ArrowDown")
    expect(page.locator("#reason-number_failed")).to_be_checked()
    keyboard.tab_to(lambda s: s["tag"] == "button" and s["text"] == "Send my answer", "Send my answer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    check_page(page, "feedback-thanks")
    keyboard.tab_to(lambda s: s["tag"] == "a" and s["text"] == "Back to your result", "Back to your result")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == outcome
    assert not keyboard.problems, "focus problems:\n" + "\n".join(keyboard.problems)


def test_voting_works_without_javascript_and_sets_no_cookie(new_context):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    walk(page, route_to(OUTCOME), OUTCOME)
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    page.go_back()
    page.locator("summary", has_text="No").click()
    page.get_by_label("This is not my situation").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Sorry this did not solve it.")).to_be_visible()
    assert context.cookies() == []


def test_the_insights_pages_pass_axe_and_work_keyboard_only(new_context, staff_account, check_page):
    public = new_context().new_page()
    walk(public, route_to(OUTCOME), OUTCOME)
    public.get_by_role("button", name="Yes").click()
    page = new_context().new_page()
    log_in(page, staff_account("gsc"))
    page.goto("/staff/insights")
    check_page(page, "staff-insights")
    expect(page.get_by_role("link", name="Insights")).to_be_visible()  # in the staff menu
    keyboard = Keyboard(page)
    keyboard.tab_to(lambda s: s["text"] == "Skip to main content", "the skip link")
    page.keyboard.press("Enter")
    keyboard.tab_to(lambda s: s["tag"] == "select", "the days to show")
    keyboard.tab_to(lambda s: s["tag"] == "summary" and s["text"].startswith("Votes by day"), "a trend's table")
    page.keyboard.press("Enter")
    expect(page.locator(".insights-days[open] table")).to_be_visible()
    check_page(page, "staff-insights-trend-open")
    page.goto("/staff/insights/changes")
    check_page(page, "staff-insights-changes")
    page.goto("/staff/insights/changes?from=nope")
    check_page(page, "staff-insights-changes-error")
    assert not keyboard.problems, "focus problems:\n" + "\n".join(keyboard.problems)
