"""No public page sets a cookie in the browser: the answers are only in page addresses.

A whole public visit (start page, every question of a journey, an outcome's carry-on button, the
error summary, a notice, "your answers" and a Change link, the saved result by its code, a 404,
Start again) leaves the browser with no cookie at all, no response on the way says Set-Cookie,
nothing is sent with POST, and no page carries a CSRF token (there is nothing to protect).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .walking import JOURNEYS, TO, answers_of, open_question, path_of, wait_for_node, walk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_whole_public_visit_leaves_no_cookie(new_context, javascript):
    context = new_context(java_script_enabled=javascript)
    page = context.new_page()
    responses, tokens, visited = [], [], []
    page.on("response", lambda response: responses.append(response))

    def look(page, node):
        visited.append(path_of(page))
        if page.locator('input[name="csrf_token"]').count():
            tokens.append(page.url)

    # A journey with an outcome's carry-on button on the way, from the start page.
    answers, end = JOURNEYS["cac_tablet_to_failed_identity_check"]
    walk(page, answers, end, on_page=look)
    code = page.locator(".reference-code-value [aria-hidden=true]").inner_text()

    page.get_by_role("link", name="Change How you are trying to sign in").click()
    wait_for_node(page, "method")
    look(page, "method")
    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url("**/answers?*")
    look(page, "answers")
    page.goto(f"/r/{code.replace('-', '')}")
    look(page, "saved")

    open_question(page, "cac_other_computer")
    page.get_by_role("button", name="Continue").click()  # nothing chosen: the error summary (400)
    expect(page.locator(".error-summary")).to_be_visible()
    look(page, "error-summary")
    page.goto("/q/new_who")  # not reached: the first question with a notice
    wait_for_node(page, "topic")
    look(page, "not-reached")
    assert page.goto("/q/nope").status == 404
    look(page, "404")

    open_question(page, "method")
    page.get_by_role("link", name="Back").click()
    wait_for_node(page, "topic")
    assert answers_of(page) == dict(TO["method"])
    page.get_by_role("link", name="Check or change your answers").click()
    page.wait_for_url("**/answers?*")
    page.get_by_role("link", name="Start again").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    look(page, "start")

    assert {"/", "/q/topic", "/q/remote_failed", "/answers", "/r/" + code.replace("-", ""), "/a/cac_other_computer",
            "/q/nope"} <= set(visited), visited
    assert context.cookies() == [], f"public pages left cookies: {context.cookies()}"
    assert page.evaluate("document.cookie") == ""
    set_cookie = [f"{response.status} {response.url}: {response.header_value('set-cookie')}"
                  for response in responses if response.header_value("set-cookie")]
    assert not set_cookie, "\n".join(set_cookie)
    posts = [response.url for response in responses if response.request.method != "GET"]
    assert not posts, posts
    assert not tokens, f"public pages with a CSRF token: {tokens}"
    assert len(responses) > 30, "the visit should have gone through many pages"
