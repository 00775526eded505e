"""The small links on their own, "Back" and each answer's "Change", are at least 24 x 24 CSS px
(WCAG 2.2, 2.5.8 Target Size (Minimum)), on a wide screen and at 320 px wide.

axe-core's target-size rule (run with the wcag22aa tag, see conftest.py) lets a small target
pass when nothing else is near it; this checks the size itself, so Back and Change never
depend on the space around them.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .walking import NARROW, OUTCOMES, answers_url, jump, open_question, path_of, route_to

pytestmark = pytest.mark.browser

MINIMUM = 24  # CSS px
TARGETS = ".back-link, .summary-action a"

BOXES = """(selector) => [...document.querySelectorAll(selector)].map((element) => {
  const box = element.getBoundingClientRect();
  return {html: element.outerHTML.split(">")[0] + ">", text: element.innerText.trim(),
          width: box.width, height: box.height};
})"""


def small_targets(page) -> tuple[list[dict], list[str]]:
    """Every Back and Change link on the page, and those smaller than MINIMUM x MINIMUM."""
    boxes = page.evaluate(BOXES, TARGETS)
    small = [f"{path_of(page)} at {page.viewport_size['width']} px: {' '.join(box['text'].split())!r} is "
             f"{box['width']:.1f} x {box['height']:.1f} px: {box['html']}"
             for box in boxes if box["width"] < MINIMUM or box["height"] < MINIMUM]
    return boxes, small


def test_back_and_change_links_are_at_least_24_px(page, shoot):
    # The outcome with the most answers before it (the most Change links), and its last question.
    outcome = max(OUTCOMES, key=lambda name: len(route_to(name)))
    question, _ = OUTCOMES[outcome]
    wide = page.viewport_size
    problems = []

    def measure(name: str, least: int) -> None:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        for viewport in (wide, NARROW):
            page.set_viewport_size(viewport)
            boxes, small = small_targets(page)
            assert len(boxes) >= least, f"{name}: expected at least {least} Back/Change links, found {boxes}"
            problems.extend(small)
        page.set_viewport_size(wide)
        shoot(page, f"target-size-{name}")

    jump(page, route_to(outcome), outcome)
    measure(f"outcome-{outcome}", 1 + len(route_to(outcome)))  # Back, and Change for every answer
    open_question(page, question)
    measure(f"question-{question}", 1)  # Back
    page.goto(answers_url(route_to(outcome)))
    measure("answers", 1 + len(route_to(outcome)))  # Back, and Change for every answer

    assert not problems, (f"Back and Change links smaller than {MINIMUM} x {MINIMUM} CSS px "
                          f"(WCAG 2.5.8):\n" + "\n".join(problems))
