"""How to reach each page of the wizard in a browser, and helpers to walk there.

Public pages keep the answers in their address (/q/<node>?<node>=<option>&...&v=<content version>):
each question is a GET form to /a/<node> that carries the answers so far as hidden fields and
redirects (303) to the next page's address. Nothing is kept in the browser but that address.

The tables (tests/routes.py) are written out by hand and checked
against flow.yaml by test_every_outcome_has_a_route, so a new outcome cannot
be left out of the browser checks.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

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


# Journeys that between them visit every question (and three outcomes'
# carry-on buttons): a PIV holder who needs a DS Logon account; a CAC holder
# whose tablet can't read the card, who switches to DS Logon and fails the
# online identity check; a retiree with an expired CAC who moves to myAuth;
# a new spouse not yet in DEERS; a VA-only veteran; a carer; and someone
# whose own record looks empty.
JOURNEYS = {
    "piv_to_new_account": (
        (("topic", "cannot_sign_in"), ("method", "not_sure"), ("which_card", "piv"),
         ("piv_problem", "not_registered"), ("piv_has_dsl", "no"), ("new_who", "service_member"), ("new_proof", "cac")),
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
    "new_spouse_to_enrolment": (
        (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"), ("new_who", "family"),
         ("family_status", "new_to_family")),
        "deers_enroll_first",
    ),
    "va_only_veteran": (
        (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"), ("new_who", "veteran"),
         ("new_care_where", "va_only")),
        "va_records",
    ),
    "carer": ((("topic", "helping_someone"), ("helping_whom", "adult_cannot")), "other_adult_record"),
    "empty_record": (
        (("topic", "inside_portal"), ("portal_issue", "no_record"), ("record_whose", "own"),
         ("record_care_where", "military"), ("record_account_level", "premium")),
        "record_empty",
    ),
}


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


def query_of(page: Page) -> dict[str, str]:
    """The parameters of the page's address (the answers, ``v`` and any ``notice``)."""
    return dict(parse_qsl(urlsplit(page.url).query))


def answers_of(page: Page) -> dict[str, str]:
    """The answers in the page's address: every parameter but ``v`` and ``notice``."""
    return {name: value for name, value in query_of(page).items() if name not in ("v", "notice")}


def wait_for_node(page: Page, node: str) -> None:
    page.wait_for_url(re.compile(rf"/q/{re.escape(node)}(\?.*)?$"))


def open_question(page: Page, node: str, answers=None) -> None:
    """Open ``node``'s page with the answers that lead to it (``TO[node]`` unless given) in its address.

    The address is typed without ``v``: the app redirects it to the canonical one (answers sorted,
    the content version added), which is where the page must end up, with no notice.
    """
    answers = dict(TO[node] if answers is None else answers)
    page.goto(f"/q/{node}?{urlencode(answers)}")
    assert path_of(page) == f"/q/{node}", f"{node} with {answers} led to {page.url}"
    assert answers_of(page) == answers and query_of(page).get("v"), f"not the canonical address: {page.url}"
    assert "notice" not in query_of(page), page.url


def answers_url(answers) -> str:
    """The "your answers" page for these answers (the app adds ``v`` with a redirect)."""
    return f"/answers?{urlencode(dict(answers))}"


def choose(page: Page, node: str, option: str, then: str) -> None:
    """On question ``node``: pick ``option`` with the mouse, press Continue, land on ``then``.

    On an outcome page ``option`` is one of its carry-on buttons. Either way the browser sends
    a GET form to /a/<node>, answered with a 303 to ``then``, whose address carries the answer.
    """
    assert path_of(page) == f"/q/{node}", f"expected to be on {node}, but on {page.url}"
    before = answers_of(page)
    radio = page.locator(f"#choice-{option}")
    with page.expect_response(lambda response: urlsplit(response.url).path == f"/a/{node}") as answered:
        if radio.count():
            expect(radio).to_have_attribute("name", node)
            page.locator(f'label[for="choice-{option}"]').click()
            expect(radio).to_be_checked()
            page.get_by_role("button", name="Continue").click()
        else:
            page.locator(f'form:has(input[type="hidden"][name="{node}"][value="{option}"]) button').click()
    wait_for_node(page, then)
    sent = answered.value
    assert sent.request.method == "GET", f"{node}: the answer was sent with {sent.request.method}"
    assert sent.status == 303, f"{node}={option}: /a/{node} answered {sent.status}, not a 303 redirect"
    assert answers_of(page) == {**before, node: option}, f"{node}={option} led to {page.url}"


def start_now(page: Page) -> None:
    """On the start page, follow "Start now": a link to the first question with no answers."""
    page.get_by_role("link", name="Start now").click()


def walk(page: Page, answers, end: str, on_page=None) -> None:
    """From the start page, answer each (node, option) in turn; end on node ``end``.

    ``on_page(page, node)`` is called on every wizard page reached, the start page included.
    """
    page.goto("/")
    if on_page:
        on_page(page, "start")
    start_now(page)
    wait_for_node(page, FIRST)
    assert answers_of(page) == {}, f"Start now led to {page.url}"
    nodes = [node for node, _ in answers[1:]] + [end]
    for (node, option), then in zip(answers, nodes):
        if on_page:
            on_page(page, node)
        choose(page, node, option, then)
    if on_page:
        on_page(page, end)


def jump(page: Page, answers, end: str) -> None:
    """Like walk, but quicker: open the last question's address with the answers before it,
    and give only the last answer on the page itself."""
    *before, (last, option) = answers
    open_question(page, last, before)
    choose(page, last, option, end)
