"""A whole path with the keyboard only (Tab, Space, arrow keys, Enter), with focus always visible."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .walking import FIRST, answers_of, open_question, path_of, wait_for_node

pytestmark = pytest.mark.browser

MAX_TABS = 40

# What the focused element looks like, focused and not, and whether its text stays readable.
# A radio input is invisible: its focus indicator is drawn by its label's ::before.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const radio = element.matches('input[type="radio"]');
  const drawn = radio ? document.querySelector(`label[for="${element.id}"]`) : element;
  const pseudo = radio ? "::before" : null;
  const look = () => {
    const style = getComputedStyle(drawn, pseudo);
    return {outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
            outlineColor: style.outlineColor, boxShadow: style.boxShadow,
            backgroundColor: style.backgroundColor, borderWidth: style.borderTopWidth};
  };
  const rgba = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return parts.length === 3 ? [...parts, 1] : parts;
  };
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color[3] > 0) return color;
    }
    return [255, 255, 255, 1];
  };
  const focused = look();
  const visible = element.matches(":focus-visible");
  let contrast = null;
  if (!radio) {
    const [fg, bg] = [luminance(rgba(getComputedStyle(element).color)), luminance(background(element))];
    contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }
  element.blur();
  const unfocused = look();
  element.focus();
  const box = drawn.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(), id: element.id, name: element.getAttribute("name"),
    value: element.value, checked: element.checked === true,
    text: (element.innerText || element.value || "").trim().slice(0, 60),
    focusVisible: visible, focused, unfocused, contrast,
    inViewport: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    stillFocused: document.activeElement === element,
  };
}"""


def indicator_shown(look: dict) -> bool:
    outline = (look["outlineStyle"] != "none" and look["outlineWidth"] != "0px"
               and "rgba(0, 0, 0, 0)" not in look["outlineColor"])
    return outline or look["boxShadow"] != "none"


def focus_problems(state: dict) -> list[str]:
    problems = []
    if not state["focusVisible"]:
        problems.append("does not match :focus-visible")
    if not indicator_shown(state["focused"]):
        problems.append(f"has no outline or box-shadow when focused: {state['focused']}")
    if state["focused"] == state["unfocused"]:
        problems.append(f"looks the same focused and not: {state['focused']}")
    if state["contrast"] is not None and state["contrast"] < 4.5:
        problems.append(f"text contrast is only {state['contrast']:.2f}:1 when focused")
    if not state["inViewport"]:
        problems.append("is focused but off screen")
    if not state["stillFocused"]:
        problems.append("lost focus while being checked")
    return problems


class Keyboard:
    """Moves through a page with the keyboard, checking every element that gets focus."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        self.stops: list[str] = []

    def focused(self) -> dict | None:
        state = self.page.evaluate(FOCUS_STATE)
        if state:
            where = f"{path_of(self.page)} <{state['tag']}{' #' + state['id'] if state['id'] else ''}> {state['text']!r}"
            self.stops.append(where)
            self.problems += [f"{where} {problem}" for problem in focus_problems(state)]
        return state

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        return self.focused()

    def tab_to(self, wanted, what: str) -> dict:
        """Press Tab until ``wanted(state)`` holds for the focused element."""
        for _ in range(MAX_TABS):
            state = self.press("Tab")
            if state and wanted(state):
                return state
        raise AssertionError(f"Tab never reached {what} on {self.page.url}; stops: {self.stops[-MAX_TABS:]}")

    def answer(self, node: str, option: str, then: str) -> None:
        """Tab into the radios, move to ``option`` (Space or arrow keys), Tab to Continue, Enter."""
        radios = self.page.locator(f'input[type="radio"][name="{node}"]')  # named after their question
        keys = [radios.nth(index).get_attribute("value") for index in range(radios.count())]
        assert option in keys, f"{node} offers {keys}, not {option}"
        state = self.focused()
        if not (state and state["name"] == node):
            state = self.tab_to(lambda s: s["name"] == node, f"the options of {node}")
        if state["checked"]:
            assert state["value"] == option, f"{node} already has {state['value']} chosen"
        elif state["value"] == option:
            self.press("Space")
        while (state := self.focused())["value"] != option:
            assert keys.index(state["value"]) < keys.index(option), f"passed {option} on {node}"
            self.press("ArrowDown")
        expect(self.page.locator(f"#choice-{option}")).to_be_checked()
        self.tab_to(lambda s: s["tag"] == "button" and s["text"] == "Continue", "Continue")
        self.page.keyboard.press("Enter")
        wait_for_node(self.page, then)


def test_keyboard_only_walk_to_an_outcome(page):
    keyboard = Keyboard(page)
    page.goto("/")

    skip = keyboard.tab_to(lambda s: True, "the first focusable element")
    assert skip["text"] == "Skip to main content", f"the skip link should come first, not {skip['text']!r}"
    # "Start now" is a link to the first question, followed with Enter. Without a page visited in
    # this tab, "Continue where you left off" is hidden, so Tab never stops on it.
    keyboard.tab_to(lambda s: s["tag"] == "a" and s["text"] == "Start now", "the Start now link")
    page.keyboard.press("Enter")
    wait_for_node(page, FIRST)
    assert not any("Continue where you left off" in stop for stop in keyboard.stops), keyboard.stops

    # Nothing chosen: the error summary takes focus, and its link takes focus to the options.
    keyboard.tab_to(lambda s: s["text"] == "Continue", "Continue")
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    keyboard.tab_to(lambda s: s["tag"] == "a" and s["text"] == "Select what you need help with", "the error link")
    page.keyboard.press("Enter")
    expect(page.locator("#choice-cannot_sign_in")).to_be_focused()
    expect(page.locator("legend")).to_be_in_viewport()

    keyboard.answer("topic", "cannot_sign_in", "method")  # first option: Space
    keyboard.answer("method", "cac", "cac_problem")  # arrow keys
    keyboard.answer("cac_problem", "no_reader", "cac_no_reader")

    # An outcome that offers a way on: its button, pressed with Space.
    keyboard.tab_to(lambda s: s["text"] == "Use DS Logon instead", "the carry-on button")
    page.keyboard.press("Space")
    wait_for_node(page, "dsl_status")

    keyboard.answer("dsl_status", "no_account", "new_who")
    keyboard.answer("new_who", "under_18", "inelig_under_18")

    # Every focusable element of the outcome page, until focus leaves the page.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    before = len(keyboard.stops)
    for _ in range(MAX_TABS):
        if keyboard.press("Tab") is None:
            break
    outcome_stops = keyboard.stops[before:]
    assert any("Start again" in stop for stop in outcome_stops), outcome_stops
    assert any("tel:" in stop or "1-800" in stop for stop in outcome_stops), outcome_stops
    assert answers_of(page) == {"topic": "cannot_sign_in", "method": "cac", "cac_problem": "no_reader",
                                "cac_no_reader": "use_ds_logon", "dsl_status": "no_account", "new_who": "under_18"}

    # Back on the start page (same tab), "Continue where you left off" is reached with Tab and
    # leads back to the outcome.
    outcome = page.url
    page.goto("/")
    keyboard.tab_to(lambda s: s["tag"] == "a" and s["text"] == "Continue where you left off", "Continue")
    page.keyboard.press("Enter")
    page.wait_for_url(outcome)

    assert not keyboard.problems, "focus problems:\n" + "\n".join(keyboard.problems)


def test_skip_link_moves_to_the_main_content(page):
    keyboard = Keyboard(page)
    open_question(page, "topic")
    keyboard.tab_to(lambda s: s["text"] == "Skip to main content", "the skip link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    state = keyboard.press("Tab")
    assert state and state["name"] == "topic", f"after the skip link, Tab should reach the options, not {state}"
    assert not keyboard.problems, "focus problems:\n" + "\n".join(keyboard.problems)
