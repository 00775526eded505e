"""The Spanish pages in a real browser (Chromium): axe (WCAG 2.2 A/AA) and 320 px on every kind of Spanish
page, a keyboard-only walk, a walk with JavaScript off, the language link keeping the answers, and the
start page's suggestion from the browser's language (made by the script: the page itself never varies).
Screenshots: test-output/screenshots/es-*.png."""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from .test_keyboard import Keyboard
from .walking import NARROW, OUTCOMES, TO, answers_of, path_of, sideways_scroll

pytestmark = pytest.mark.browser


def open_spanish(page, node: str, answers=None) -> None:
    """The Spanish page of ``node`` at the answers that lead to it (the app adds ``v`` with a redirect)."""
    answers = dict(TO[node] if answers is None else answers)
    page.goto(f"/es/q/{node}?{urlencode(answers)}")
    assert path_of(page) == f"/es/q/{node}", page.url
    assert page.locator("html").get_attribute("lang") == "es"


def outcome_answers(outcome: str) -> dict[str, str]:
    question, option = OUTCOMES[outcome]
    return {**dict(TO[question]), question: option}


def test_spanish_start_page(page, check_page):
    assert page.goto("/es/").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Ayuda para entrar al portal del paciente MHS GENESIS")
    check_page(page, "es-start")


@pytest.mark.parametrize("node", TO)
def test_every_spanish_question(page, check_page, node):
    open_spanish(page, node)
    check_page(page, f"es-question-{node}")


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_spanish_outcome(page, check_page, outcome):
    open_spanish(page, outcome, outcome_answers(outcome))
    expect(page.get_by_role("heading", name="Qué hacer")).to_be_visible()
    check_page(page, f"es-outcome-{outcome}")


def test_spanish_error_summary_answers_saved_result_and_404(page, check_page):
    open_spanish(page, "topic")
    page.get_by_role("button", name="Continuar").click()
    expect(page.locator(".error-summary")).to_be_focused()
    check_page(page, "es-error-summary")
    page.goto(f"/es/answers?{urlencode(outcome_answers('dsl_locked'))}")
    check_page(page, "es-answers")
    open_spanish(page, "dsl_locked", outcome_answers("dsl_locked"))
    page.get_by_role("link", name="Guarde este enlace para ver este resultado otra vez").click()
    page.wait_for_url(re.compile(r"/es/r/[2-9A-HJ-NP-Z]{8}$"))
    check_page(page, "es-saved")
    assert page.goto("/es/q/nope").status == 404
    check_page(page, "es-404")


def test_keyboard_only_walk_in_spanish(page):
    keyboard = Keyboard(page)
    page.goto("/es/")
    skip = keyboard.tab_to(lambda s: True, "the first focusable element")
    assert skip["text"] == "Ir al contenido principal"
    keyboard.tab_to(lambda s: s["tag"] == "a" and s["text"] == "Empezar", "Empezar")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/es/q/topic\?"))

    def answer(node, option, then):
        radios = page.locator(f'input[type="radio"][name="{node}"]')
        keys = [radios.nth(index).get_attribute("value") for index in range(radios.count())]
        state = keyboard.tab_to(lambda s: s["name"] == node, f"the options of {node}")
        if state["value"] == option:
            keyboard.press("Space")
        while (state := keyboard.focused())["value"] != option:
            assert keys.index(state["value"]) < keys.index(option)
            keyboard.press("ArrowDown")
        keyboard.tab_to(lambda s: s["tag"] == "button" and s["text"] == "Continuar", "Continuar")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/es/q/{then}\?"))

    answer("topic", "cannot_sign_in", "method")
    answer("method", "ds_logon", "dsl_status")
    answer("dsl_status", "locked", "dsl_locked")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pida al DMDC que desbloquee su cuenta DS Logon")
    stops_before = len(keyboard.stops)
    for _ in range(200):
        if keyboard.press("Tab") is None:
            break
    stops = keyboard.stops[stops_before:]
    assert any("Empezar de nuevo" in stop for stop in stops), stops
    assert any("1-800-368-3665" in stop or "tel:" in stop for stop in stops), stops
    assert not keyboard.problems, "\n".join(keyboard.problems)


def test_spanish_walk_at_320px_and_without_javascript(new_context, shoot):
    page = new_context(viewport=NARROW, java_script_enabled=False).new_page()
    problems = []
    page.goto("/es/")
    page.get_by_role("link", name="Empezar").click()
    for node, option in (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader")):
        page.wait_for_url(re.compile(rf"/es/q/{node}\?"))
        problems.append(sideways_scroll(page))
        shoot(page, f"es-narrow-nojs-{node}")
        page.locator(f'label[for="choice-{option}"]').click()
        page.get_by_role("button", name="Continuar").click()
    page.wait_for_url(re.compile(r"/es/q/cac_no_reader\?"))
    problems.append(sideways_scroll(page))
    shoot(page, "es-narrow-nojs-cac_no_reader")
    expect(page.locator(".no-js-print")).to_be_visible()  # no script: the printing tip, in Spanish
    expect(page.locator(".no-js-print")).to_contain_text("Para guardar estos pasos")
    page.get_by_role("button", name="Usar DS Logon").click()  # the carry-on button: a GET form
    page.wait_for_url(re.compile(r"/es/q/dsl_status\?"))
    assert [problem for problem in problems if problem] == []


def test_the_language_link_keeps_the_answers_in_the_browser(page):
    answers = outcome_answers("create_with_email")
    open_spanish(page, "create_with_email", answers)
    page.get_by_role("link", name="Read this page in English").click()
    page.wait_for_url(re.compile(r"/q/create_with_email\?"))
    assert path_of(page) == "/q/create_with_email" and answers_of(page) == answers
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Lea esta página en español").click()
    page.wait_for_url(re.compile(r"/es/q/create_with_email\?"))
    assert answers_of(page) == answers


@pytest.mark.parametrize(("locale", "shown"), [("es-PR", True), ("es", True), ("en-US", False)])
def test_the_start_page_suggests_spanish_from_the_browser_language_only(new_context, locale, shown):
    page = new_context(locale=locale).new_page()
    response = page.goto("/")
    assert urlsplit(page.url).path == "/" and response.status == 200  # never redirected
    suggestion = page.locator(".js-language-suggestion[data-language='es']")
    if shown:
        expect(suggestion).to_be_visible()
        expect(suggestion).to_have_text("Esta ayuda también está en español.")
    else:
        expect(suggestion).to_be_hidden()
