"""On a phone (360 x 640 CSS px), every outcome shows its answer and the number to call
without scrolling.

Right under the outcome's <h1> come a one-line answer (``.answer``) and the main contact
(``.main-contact``), with a tel: link when that desk has a phone. Both must lie wholly within the first
screen. Every outcome is checked before any failure is reported, and each is saved as
test-output/screenshots/phone-<outcome>.png.
"""
from __future__ import annotations

import pytest

from .walking import OUTCOMES, choose, open_question

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
ANSWER = ".answer"
MAIN_CONTACT = ".main-contact"  # a tel: link when the desk that handles it has a phone, else how to reach it

# Where each element is on the page, as if it had not been scrolled (null when missing).
PLACES = """(selectors) => Object.fromEntries(selectors.map((selector) => {
  const element = document.querySelector(selector);
  if (!element) return [selector, null];
  const box = element.getBoundingClientRect();
  return [selector, {top: box.top + scrollY, bottom: box.bottom + scrollY,
                     left: box.left + scrollX, right: box.right + scrollX,
                     width: box.width, height: box.height}];
}))"""


def off_first_screen(places: dict) -> list[str]:
    """Why each element is not wholly within the first PHONE-sized screen ([] when all are)."""
    problems = []
    for selector, box in places.items():
        if box is None:
            problems.append(f"{selector} missing")
        elif not box["width"] or not box["height"]:
            problems.append(f"{selector} not shown ({box['width']:.0f} x {box['height']:.0f} px)")
        elif (box["bottom"] > PHONE["height"] or box["top"] < 0
              or box["left"] < 0 or box["right"] > PHONE["width"]):
            problems.append(f"{selector} bottom {box['bottom']:.0f} px (top {box['top']:.0f}, "
                            f"left {box['left']:.0f}, right {box['right']:.0f})")
    return problems


def test_every_outcome_shows_its_answer_and_number_on_the_first_phone_screen(new_context, shoot):
    page = new_context(viewport=PHONE).new_page()
    by_question: dict[str, dict[str, str]] = {}
    for outcome, (question, option) in OUTCOMES.items():
        by_question.setdefault(question, {})[outcome] = option

    failures, checked = [], []
    for question, outcomes in sorted(by_question.items()):
        for outcome, option in outcomes.items():
            open_question(page, question)  # the answers that lead to it, in its address
            choose(page, question, option, outcome)
            shoot(page, f"phone-{outcome}")
            places = page.evaluate(PLACES, [ANSWER, MAIN_CONTACT])
            if problems := off_first_screen(places):
                failures.append(f"{outcome}: {'; '.join(problems)}")
            checked.append(outcome)

    assert sorted(checked) == sorted(OUTCOMES)
    assert not failures, (
        f"{len(failures)} of {len(checked)} outcomes do not show {ANSWER} and {MAIN_CONTACT} "
        f"wholly within the first {PHONE['width']} x {PHONE['height']} px screen:\n" + "\n".join(failures))
