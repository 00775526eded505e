"""Two app instances under gunicorn, on two ports, sharing one PostgreSQL and one Redis, over real HTTP.

What a person or an agent starts on one instance carries on on the other (a
person's answers are in the page address, an agent's session cookie is signed
with the shared SECRET_KEY and the calls are in the shared database), and the
login rate limit is counted in Redis for both.
"""
from __future__ import annotations

from service_setup import LOGIN_LIMIT
from instances import Browser, answer_call, start_staff_call


def test_a_triage_begun_on_one_instance_continues_on_the_other(shared):
    a, b = shared.a.url, shared.b.url
    person = Browser()
    assert person.answer(a, "topic", "cannot_sign_in").path == "/q/method"
    page = person.answer(b, "method", "ds_logon")  # the answers from A's page, sent to B
    assert page.status == 200 and page.url.startswith(f"{b}/q/dsl_status?")
    page = person.answer(a, "dsl_status", "locked")
    assert page.status == 200 and page.url.startswith(f"{a}/q/dsl_locked?")
    answers = person.get(page.url.replace(f"{a}/q/dsl_locked", f"{b}/answers"))
    assert answers.status == 200 and "no-store" not in answers.headers["cache-control"]
    for said in ("DS Logon", "locked"):
        assert said.lower() in answers.words.lower()


def test_a_code_issued_by_one_instance_is_found_by_the_other(shared):
    a, b = shared.a.url, shared.b.url
    person = Browser()
    person.answer(a, "topic", "cannot_sign_in")
    outcome = person.answer(a, "method", "ds_logon")
    outcome = person.answer(a, "dsl_status", "forgot")
    code = outcome.code
    assert outcome.path == "/q/dsl_forgot" and code, outcome.words[:500]
    assert person.get(outcome.url.replace(a, b)).code == code  # the same answers on B: the same code

    saved = Browser().get(f"{b}/r/{code}", follow=True)  # any browser, the other instance (303 to /r/<code>)
    assert saved.status == 200 and code in saved.words

    agent = Browser()
    assert agent.log_in(b, shared.agent, shared.password).status == 303
    lookup = agent.get(f"{b}/staff/lookup/{code.replace('-', '')}")
    assert lookup.status == 200 and code in lookup.words


def test_a_staff_call_moves_between_instances(shared, fresh_limits):
    a, b = shared.a.url, shared.b.url
    agent = Browser()
    assert agent.log_in(a, shared.agent, shared.password).status == 303
    call = start_staff_call(agent, a)
    page = answer_call(agent, a, call, "topic", "cannot_sign_in")
    assert page.status == 200 and page.url == f"{a}/staff/calls/{call}"
    page = answer_call(agent, b, call, "method", "cac")  # the same cookie, the other instance
    assert page.status == 200 and page.url == f"{b}/staff/calls/{call}"
    summary = agent.get(f"{a}/staff/calls/{call}/summary.txt")
    assert summary.status == 200 and call in summary.text
    history = agent.get(f"{a}/staff/calls/{call}/answers")
    assert history.status == 200 and "CAC" in history.words
    home = agent.get(f"{b}/staff/")
    assert home.status == 200 and f"/staff/calls/{call}" in home.text


def test_the_login_rate_limit_counts_across_both_instances(shared, fresh_limits):
    statuses = []
    for attempt in range(LOGIN_LIMIT + 2):
        instance = shared.both[attempt % 2]  # A, B, A, B, ...
        statuses.append(Browser().log_in(instance.url, "nobody-here", "not-the-password-at-all").status)
    assert statuses == [401] * LOGIN_LIMIT + [429, 429], statuses
    # Counted in Redis, not per instance: keys are there.
    assert int(shared.redis.command("DBSIZE").lstrip(b":")) >= 1


def test_wrong_passwords_sent_at_once_to_both_instances_are_counted_before_any_is_checked(shared, fresh_limits):
    """Tries on one account at the same moment, half to each instance: each is counted in Redis (one atomic
    increment) before its password is checked, so no more than the limit are checked (401) and the rest are
    refused (429), across both instances."""
    import concurrent.futures
    import threading

    tries = 16
    forms = []
    for n in range(tries):
        browser = Browser()
        instance = shared.both[n % 2]
        forms.append((browser, instance.url, browser.get(f"{instance.url}/staff/login").csrf_token))
    ready = threading.Barrier(tries)

    def one_try(form) -> int:
        browser, base, token = form
        ready.wait(timeout=30)
        return browser.post(f"{base}/staff/login", {"name": shared.agent, "password": "not-the-password-at-all",
                                                    "csrf_token": token}).status

    with concurrent.futures.ThreadPoolExecutor(tries) as pool:
        statuses = sorted(pool.map(one_try, forms))
    assert statuses == [401] * LOGIN_LIMIT + [429] * (tries - LOGIN_LIMIT), statuses
