"""Reference codes in a real browser: the outcome page with its code, /r/<code> and the staff lookup pass axe
(WCAG 2.2 A/AA) and fit 320 px; the code is big on screen and spelled out for screen readers.

A code is made from the content version and the answers alone: anyone (any browser, no cookie) who gives
the same answers sees the same code, and /r/<code> opens that result anywhere."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import STAFF_PASSWORD
from .walking import NARROW, jump, path_of, route_to, walk

pytestmark = pytest.mark.browser
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


def shown_code(page) -> str:
    """The code the page shows (K7PM-4QX2)."""
    shown = page.locator(".reference-code-value [aria-hidden=true]")
    expect(shown).to_be_visible()
    return shown.inner_text()


def outcome_with_code(page, outcome: str = "dsl_forgot") -> str:
    """Walk to ``outcome`` and return the code it shows."""
    jump(page, route_to(outcome), outcome)
    return shown_code(page)


def test_the_outcome_page_with_its_reference_code(page, check_page):
    code = outcome_with_code(page)
    assert CODE.match(code), code
    spelled = page.locator(".reference-code-value .visually-hidden")
    assert spelled.inner_text() == f"{' '.join(code[:4])}, {' '.join(code[5:])}"
    size = page.locator(".reference-code-value").evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
    assert size >= 28, f"the code is {size}px: it should be large enough to read out"
    check_page(page, "outcome-with-reference-code")


def test_the_outcome_page_with_its_code_on_a_320_px_phone(new_context, check_page):
    page = new_context(viewport=NARROW).new_page()
    outcome_with_code(page, "cac_pin_locked")
    box = page.locator(".reference-code-value").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    check_page(page, "outcome-with-reference-code-320")


def test_the_same_answers_give_the_same_code_in_another_browser(new_context):
    code = outcome_with_code(new_context().new_page())
    # Another browser (nothing shared with the first) walks the same answers from the start page.
    elsewhere = new_context(viewport={"width": 360, "height": 640}).new_page()
    walk(elsewhere, route_to("dsl_forgot"), "dsl_forgot")
    assert shown_code(elsewhere) == code
    assert elsewhere.context.cookies() == []
    # Other answers, another code.
    assert outcome_with_code(elsewhere, "dsl_locked") != code


def test_the_saved_result_page(new_context, check_page):
    walked = new_context().new_page()
    code = outcome_with_code(walked)
    # The outcome page links to its own saved result.
    walked.get_by_role("link", name="Keep this link to see this result again").click()
    walked.wait_for_url(f"**/r/{code.replace('-', '')}")
    assert shown_code(walked) == code

    elsewhere = new_context().new_page()  # another browser: nothing from the walk
    response = elsewhere.goto(f"/r/{code.lower()}")
    assert response.status == 200
    expect(elsewhere.get_by_text("This is the result for the answers behind a reference code")).to_be_visible()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Recover your DS Logon username or password")
    assert shown_code(elsewhere) == code
    expect(elsewhere.locator(".summary-row")).to_have_count(len(route_to("dsl_forgot")))
    expect(elsewhere.locator("form")).to_have_count(0)
    check_page(elsewhere, "saved-result")
    elsewhere.set_viewport_size(NARROW)
    check_page(elsewhere, "saved-result-320")


@pytest.mark.parametrize(("url", "status", "heading"), [
    ("/r/K7PM4QX2", 404, "We could not find that code"),
    ("/r/not-a-code", 404, "Page not found"),
])
def test_a_code_that_cannot_be_shown(page, check_page, url, status, heading):
    response = page.goto(url)
    assert response.status == status and path_of(page) == url
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, f"saved-result-{status}-{heading.split()[0].lower()}")


def test_the_staff_lookup_of_a_code_and_carrying_on_as_a_call(new_context, staff_account, check_page):
    code = outcome_with_code(new_context().new_page())
    page = new_context().new_page()
    page.goto("/staff/login")
    page.get_by_label("Name").fill(staff_account("gsc"))
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/")
    page.goto("/staff/lookup")
    check_page(page, "staff-lookup")
    page.get_by_label("Code the caller reads out").fill("not a code")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("alert")).to_contain_text("That is not a reference code")
    check_page(page, "staff-lookup-not-a-code")
    page.get_by_label("Code the caller reads out").fill(code.lower())
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url(f"**/staff/lookup/{code.replace('-', '')}")
    spelled = f"{' '.join(code[:4])}, {' '.join(code[5:])}"
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(f"Code {spelled}")
    facts = page.locator(".lookup-facts")
    expect(facts).to_contain_text("Recover your DS Logon username or password")
    expect(facts).to_contain_text("(the flow running now)")
    expect(facts).not_to_contain_text("expires")  # codes no longer expire
    check_page(page, "staff-lookup-found")
    page.set_viewport_size(NARROW)
    check_page(page, "staff-lookup-found-320")
    page.get_by_role("button", name=re.compile("^Continue as a call from here.*How you are trying to sign in")).click()
    page.wait_for_url("**/staff/calls/**")
    expect(page.get_by_role("heading", level=1)).to_contain_text("How are you trying to sign in?")
