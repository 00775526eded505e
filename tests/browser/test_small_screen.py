"""At 320 CSS pixels wide (WCAG 1.4.10 reflow) no page scrolls sideways.

This walks one whole path at 320 px and saves a screenshot of each page;
the accessibility tests also check every page they visit at 320 px.
"""
from __future__ import annotations

import pytest

from .walking import JOURNEYS, NARROW, answers_url, open_question, sideways_scroll, walk

pytestmark = pytest.mark.browser


def test_walk_at_320px_never_scrolls_sideways(new_context, shoot):
    page = new_context(viewport=NARROW).new_page()
    problems: list[str] = []
    seen: list[str] = []

    def check(page, node):
        if problem := sideways_scroll(page):
            problems.append(problem)
        shoot(page, f"narrow-{len(seen):02d}-{node}")
        seen.append(node)

    answers, end = JOURNEYS["piv_to_new_account"]
    walk(page, answers, end, on_page=check)

    for name, extra in (("answers", answers_url(answers)), ("q-nope", "/q/nope")):
        page.goto(extra)
        check(page, name)
    open_question(page, "topic")  # no answers in the address: nothing is chosen yet
    page.get_by_role("button", name="Continue").click()  # nothing chosen: the error summary
    page.locator(".error-summary").wait_for()
    check(page, "error-summary")

    assert seen[-4:] == [end, "answers", "q-nope", "error-summary"]
    assert not problems, "\n".join(problems)
