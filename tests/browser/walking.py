"""How to reach each page of the wizard in a browser, and helpers to walk there.

The tables (tests/routes.py) are written out by hand and checked
against flow.yaml by test_every_outcome_has_a_route, so a new outcome cannot
be left out of the browser checks.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from routes import OUTCOMES
from routes import TO as ANSWERS_TO

# The answers that lead to each question, as (question, option) pairs.
TO = {question: tuple(answers.items()) for question, answers in ANSWERS_TO.items()}


# The first question: the one no answer leads to.
FIRST = next(question for question, answers in TO.items() if not answers)


def route_to(outcome: str) -> tuple[tuple[str, str], ...]:
    question, option = OUTCOMES[outcome]
    return (*TO[question], (question, option))


# Four journeys that between them visit every question (and three outcomes'
# carry-on buttons): a PIV holder who needs a DS Logon account; a CAC holder
# whose tablet can't read the card, who switches to DS Logon and fails the
# online identity check; a retiree with an expired CAC who moves to myAuth;
# and someone whose own record looks empty.
JOURNEYS = {
    "piv_to_new_account": (
        (("topic", "cannot_sign_in"), ("method", "not_sure"), ("which_card", "piv"),
         ("piv_problem", "not_registered"), ("piv_has_dsl", "no"), ("new_who", "veteran"), ("new_proof", "cac")),
        "create_with_cac",
    ),
    "cac_tablet_to_failed_identity_check": (
        (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "not_read"), ("cac_other_computer", "yes"),
         ("cac_computer_type", "other"), ("cac_no_reader", "use_ds_logon"), ("dsl_status", "stuck_creating"),
         ("create_stuck", "identity_check_failed")),
        "remote_failed",
    ),
    "retiree_cac_to_myauth": (
        (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "expired"), ("cac_expired_who", "left"),
         ("cac_expired_left", "use_myauth"), ("myauth_status", "security_method"), ("myauth_security", "okta")),
        "myauth_okta",
    ),
    "empty_record": (
        (("topic", "inside_portal"), ("portal_issue", "no_record"), ("record_whose", "own"),
         ("record_care_where", "military"), ("record_account_level", "premium")),
        "record_empty",
    ),
}


CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: 320 CSS pixels wide

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map((element) => element.outerHTML.split(">")[0] + ">");
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 5)};
}"""


def sideways_scroll(page: Page) -> str | None:
    """Why the page scrolls sideways at its current width, or None when it does not."""
    width = page.evaluate(OVERFLOW)
    if width["scrollWidth"] <= width["clientWidth"]:
        return None
    return (f"{path_of(page)}: scrollWidth {width['scrollWidth']} > clientWidth {width['clientWidth']}; "
            f"too wide: {width['wide']}")


def sideways_scroll_when_narrow(page: Page) -> str | None:
    """sideways_scroll at 320 px wide; the page gets its own size back afterwards."""
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        return sideways_scroll(page)
    finally:
        page.set_viewport_size(size)


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def wait_for_node(page: Page, node: str) -> None:
    page.wait_for_url(re.compile(rf"/q/{re.escape(node)}(\?.*)?$"))


def choose(page: Page, node: str, option: str, then: str) -> None:
    """On question ``node``: pick ``option`` with the mouse, press Continue, land on ``then``.

    On an outcome page ``option`` is one of its carry-on buttons.
    """
    assert path_of(page) == f"/q/{node}", f"expected to be on {node}, but on {page.url}"
    radio = page.locator(f"#choice-{option}")
    if radio.count():
        page.locator(f'label[for="choice-{option}"]').click()
        expect(radio).to_be_checked()
        page.get_by_role("button", name="Continue").click()
    else:
        page.locator(f'form:has(input[name="choice"][value="{option}"]) button').click()
    wait_for_node(page, then)


def start_now(page: Page) -> None:
    """On the start page, press "Start now": a button that posts to /start, which clears any
    saved answers (a shared phone starts fresh) and redirects to the first question."""
    page.get_by_role("button", name="Start now").click()


def walk(page: Page, answers, end: str, on_page=None) -> None:
    """From the start page, answer each (node, option) in turn; end on node ``end``.

    ``on_page(page, node)`` is called on every wizard page reached, the start page included.
    """
    page.goto("/")
    if on_page:
        on_page(page, "start")
    start_now(page)
    wait_for_node(page, FIRST)
    nodes = [node for node, _ in answers[1:]] + [end]
    for (node, option), then in zip(answers, nodes):
        if on_page:
            on_page(page, node)
        choose(page, node, option, then)
    if on_page:
        on_page(page, end)


def jump(page: Page, answers, end: str) -> None:
    """Like walk, but quicker: every answer but the last is sent over HTTP in the page's
    browser context (same cookies), and only the last one is given on the page itself."""
    *before, (last, option) = answers
    nodes = [node for node, _ in before[1:]] + [last]
    for (node, chosen), then in zip(before, nodes):
        question = page.context.request.get(f"/q/{node}")
        assert question.ok, f"{node}: {question.status}"
        token = CSRF_TOKEN.search(question.text())
        assert token, f"no CSRF token on {node}"
        answered = page.context.request.post(f"/q/{node}", form={"choice": chosen, "csrf_token": token.group(1)})
        assert answered.url.endswith(f"/q/{then}"), f"{node}={chosen} led to {answered.url}, not {then}"
    page.goto(f"/q/{last}")
    choose(page, last, option, end)
