"""Staff login, logout, sessions, rate limits, access control and the audit trail, over HTTP."""
from __future__ import annotations

import logging
import re
import time
import uuid
from unittest import mock

import pytest
from helpers import Wizard, csrf_token, hidden_fields, log_in
from itsdangerous import TimestampSigner
from sqlalchemy import func, select, text

from wizard.extensions import db
from wizard.models import AuditEvent
from wizard.staff import accounts

LOGIN_FAILED = "That name and password do not match an active account."  # as text/en.yaml words it
FORM_EXPIRED = "The login page was open too long. Log in again."

HOME = "/staff/"
LOGIN = "/staff/login"
WRONG = "not-the-right-password"


def logged_in(client) -> bool:
    """Whether the client's session opens the staff home (a 302 means: go and log in)."""
    response = client.get(HOME)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def cookie_value(app, client) -> str | None:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def resign_as_of(app, client, minutes_ago: float) -> None:
    """Re-sign the client's session cookie, same contents, as the app would have signed it ``minutes_ago``.

    Flask checks a session cookie's age from the timestamp itsdangerous signs into it; a
    staff session is re-signed on every request, so this is the cookie of an agent whose
    last request was that long ago.
    """
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(cookie_value(app, client))
    then = int(time.time() - minutes_ago * 60)
    with mock.patch.object(TimestampSigner, "get_timestamp", return_value=then):
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], serializer.dumps(contents))


def without_tokens(page: str, *typed: str) -> str:
    """The page with its CSRF token and what was typed taken out, to compare two answers."""
    page = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)
    for value in typed:
        page = page.replace(value, "")
    return page


def last_audit_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def audit_after(app, last_id: int) -> list[AuditEvent]:
    """The audit events written after ``last_id``, by id: never by time, which other tests share."""
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return events


# ---------------------------------------------------------------- logging in

def test_the_login_page_asks_for_a_name_and_a_password(client):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'autocomplete="username"' in page.text and 'autocomplete="current-password"' in page.text
    assert csrf_token(page.text)


def test_logging_in_goes_to_the_staff_home_in_a_new_session(app, client, make_staff):
    agent = make_staff()
    with client.session_transaction() as planted:
        planted["planted"] = "set before login"
    form = client.get(LOGIN)
    before = cookie_value(app, client)
    response = client.post(LOGIN, data={"name": agent.name, "password": agent.password,
                                        "csrf_token": csrf_token(form.text)})
    assert response.status_code == 303
    assert response.headers["Location"] == HOME
    assert cookie_value(app, client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{agent.id}:0"
        assert session.permanent
    assert logged_in(client)


def test_the_name_is_not_case_or_space_sensitive(client, make_staff):
    agent = make_staff()
    assert log_in(client, f"  {agent.name.upper()} ", agent.password).status_code == 303


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(app, make_staff):
    agent = make_staff()
    removed = make_staff()
    with app.app_context():
        accounts.remove(removed.name)
    answers = {
        "wrong password": (log_in(app.test_client(), agent.name, WRONG), agent.name),
        "unknown name": (log_in(app.test_client(), "nobody-at-all", agent.password), "nobody-at-all"),
        "removed account": (log_in(app.test_client(), removed.name, removed.password), removed.name),
    }
    assert {kind: response.status_code for kind, (response, _) in answers.items()} == dict.fromkeys(answers, 401)
    assert all(LOGIN_FAILED in response.text for response, _ in answers.values())
    pages = {without_tokens(response.text, name) for response, name in answers.values()}
    assert len(pages) == 1


@pytest.mark.parametrize("form", [
    {},
    {"name": "", "password": ""},
    {"name": "someone", "password": ""},
    {"name": "x" * 41, "password": "p" * 12},
    {"name": "someone", "password": "p" * 201},
])
def test_an_incomplete_or_oversized_form_is_a_400_never_a_500(client, form):
    page = client.get(LOGIN)
    response = client.post(LOGIN, data={**form, "csrf_token": csrf_token(page.text)})
    assert response.status_code == 400
    assert "There is a problem" in response.text


def test_a_login_form_without_its_token_or_open_too_long_is_asked_again(client, make_staff):
    agent = make_staff()
    response = client.post(LOGIN, data={"name": agent.name, "password": agent.password})
    assert response.status_code == 400
    assert FORM_EXPIRED in response.text and csrf_token(response.text)
    assert not logged_in(client)


def test_another_staff_form_without_its_token_is_a_400_never_a_500(staff_client):
    client = staff_client()
    response = client.post("/staff/logout")
    assert response.status_code == 400
    assert logged_in(client)


# ---------------------------------------------------------------- rate limits

def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_many_failed_tries_on_one_account_from_one_address_are_stopped(app, make_staff):
    agent = make_staff()
    address = from_address("10.0.1.1")
    statuses = [log_in(app.test_client(), agent.name, WRONG, **address).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    stopped = log_in(app.test_client(), agent.name, agent.password, **address)
    assert stopped.status_code == 429  # from that address, even the right password waits for the minute
    assert "Too many tries" in stopped.text


def test_an_attackers_failures_never_lock_the_agent_out_from_their_own_address(app, make_staff):
    agent = make_staff()
    attacker = from_address("10.0.1.66")
    assert [log_in(app.test_client(), agent.name, WRONG, **attacker).status_code
            for _ in range(6)] == [401] * 5 + [429]
    assert log_in(app.test_client(), agent.name, agent.password, **from_address("10.0.1.99")).status_code == 303


def test_guessing_one_account_from_many_addresses_is_stopped_by_the_per_account_limit(app, make_staff, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_ACCOUNT_LOGIN_LIMIT", "8 per hour")
    agent = make_staff()
    checked = count_password_checks(monkeypatch)
    statuses = [log_in(app.test_client(), agent.name, WRONG, **from_address(f"10.0.5.{n}")).status_code
                for n in range(1, 11)]
    assert statuses == [401] * 8 + [429] * 2
    assert len(checked) == 8  # the refused tries never reached the password check


def test_many_names_tried_from_one_address_are_stopped(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_ADDRESS_LOGIN_LIMIT", "5 per minute")
    statuses = [log_in(app.test_client(), f"guess-{n}", WRONG, **from_address("10.0.2.1")).status_code
                for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert log_in(app.test_client(), "guess-x", WRONG, **from_address("10.0.2.2")).status_code == 401


def test_a_right_password_forgets_that_addresses_failures_on_the_account(app, make_staff):
    agent = make_staff()
    address = from_address("10.0.3.1")
    assert [log_in(app.test_client(), agent.name, WRONG, **address).status_code for _ in range(4)] == [401] * 4
    assert log_in(app.test_client(), agent.name, agent.password, **address).status_code == 303
    assert [log_in(app.test_client(), agent.name, WRONG, **address).status_code
            for _ in range(6)] == [401] * 5 + [429]


def count_password_checks(monkeypatch, seconds: float = 0.0) -> list[str]:
    """Record each password check (the argon2 verify in accounts.authenticate), optionally made slower."""
    checked: list[str] = []
    real = accounts.authenticate

    def counted(name, password):
        checked.append(name)
        time.sleep(seconds)
        return real(name, password)

    monkeypatch.setattr(accounts, "authenticate", counted)
    return checked


def test_wrong_passwords_sent_at_once_are_counted_before_any_is_checked(app, make_staff, monkeypatch):
    """15 tries at the same moment on one account from one address: at most the limit (5) reach the
    password check; the agent's right password from another address still gets in."""
    import concurrent.futures
    import threading

    agent = make_staff()
    checked = count_password_checks(monkeypatch, seconds=0.3)  # a slow check: every try is in flight at once
    attacker = from_address("10.0.6.66")
    ready = threading.Barrier(15)

    def one_try(_):
        client = app.test_client()
        form = client.get(LOGIN, **attacker)
        ready.wait(timeout=30)
        return client.post(LOGIN, data={"name": agent.name, "password": WRONG, "csrf_token": csrf_token(form.text)},
                           **attacker).status_code

    with concurrent.futures.ThreadPoolExecutor(15) as pool:
        statuses = list(pool.map(one_try, range(15)))
    assert len(checked) <= 5, f"{len(checked)} password checks for 15 tries at once"
    assert sorted(statuses) == [401] * len(checked) + [429] * (15 - len(checked))
    assert log_in(app.test_client(), agent.name, agent.password, **from_address("10.0.6.1")).status_code == 303


def test_the_rate_limit_log_never_carries_what_was_typed_as_a_name(app, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_ACCOUNT_LOGIN_LIMIT", "5 per hour")
    caplog.set_level(logging.INFO)
    typed = "Maybe-A-Password-Typed-Here"
    statuses = [log_in(app.test_client(), typed, WRONG, **from_address(f"10.0.4.{n}")).status_code
                for n in range(1, 7)]
    assert statuses[-1] == 429
    assert any(record.name == "flask-limiter" for record in caplog.records)
    assert typed.lower() not in caplog.text.lower()


# ---------------------------------------------------------------- where login leads

@pytest.fixture(scope="module")
def traveller(app):
    """One account for the many next= cases (each login is a slow argon2 check; a new account is two)."""
    password = "a-long-password-for-next"
    with app.app_context():
        return accounts.add(f"next-traveller-{uuid.uuid4().hex[:8]}", "gsc", password).name, password


@pytest.mark.parametrize("next_page", [
    "https://evil.example/x",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/staff/..//evil.example",
    "javascript:alert(1)",
    "/q/topic",
    "",
])
def test_login_never_leads_off_the_staff_console(client, traveller, next_page):
    response = log_in(client, *traveller, next_page=next_page)
    assert response.status_code == 303
    assert response.headers["Location"] == HOME


def test_login_leads_to_the_staff_page_asked_for(client, traveller):
    response = log_in(client, *traveller, next_page="/staff/lookup")
    assert response.headers["Location"] == "/staff/lookup"


def test_a_page_opened_before_login_is_where_login_leads(client, make_staff):
    agent = make_staff()
    sent = client.get("/staff/map")
    assert sent.status_code == 302
    form = client.get(sent.headers["Location"])
    response = client.post(sent.headers["Location"], data={
        "name": agent.name, "password": agent.password, "csrf_token": csrf_token(form.text)})
    assert response.headers["Location"] == "/staff/map"


# ---------------------------------------------------------------- how sessions end

def test_logging_out_ends_the_session_and_any_copy_of_its_cookie(app, staff_client):
    client = staff_client()
    copy = cookie_value(app, client)
    response = client.post("/staff/logout", data={"csrf_token": csrf_token(client.get(HOME).text)})
    assert response.status_code == 303
    assert response.headers["Location"] == LOGIN
    assert not logged_in(client)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], copy)
    assert not logged_in(client)


def test_logging_out_takes_a_post(staff_client):
    client = staff_client()
    assert client.get("/staff/logout").status_code == 405
    assert logged_in(client)


def test_an_agent_idle_longer_than_the_limit_is_logged_out(app, staff_client):
    client = staff_client()
    resign_as_of(app, client, app.config["STAFF_IDLE_MINUTES"] + 1)
    assert not logged_in(client)


def test_each_request_restarts_the_idle_clock(app, staff_client):
    client = staff_client()
    almost = app.config["STAFF_IDLE_MINUTES"] - 1
    resign_as_of(app, client, almost)
    assert logged_in(client)  # ...and this request signs the cookie afresh
    resign_as_of(app, client, almost)
    assert logged_in(client)


def test_the_idle_limit_is_for_agents_only_a_caller_on_hold_for_an_hour_keeps_their_answers(app, client, staff_client):
    """A caller's answers are in the page address, not in a session: there is nothing to time out."""
    caller = Wizard(client).walk(("topic", "cannot_sign_in"))
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    address = caller.page.request.full_path
    # An hour later, opened in a browser whose agent session has idled out meanwhile.
    browser = staff_client()
    resign_as_of(app, browser, 61)
    page = browser.get(address)
    assert page.status_code == 200
    assert "How are you trying to sign in?" in page.text
    assert hidden_fields(page.text, "method")["topic"] == "cannot_sign_in"
    assert not logged_in(browser)


def test_a_session_cookie_sent_from_another_address_or_browser_is_logged_out(app, staff_client):
    moved = staff_client()
    assert moved.get(HOME, environ_base={"REMOTE_ADDR": "10.0.5.1"}).status_code == 302
    assert not logged_in(moved)
    other_browser = staff_client()
    assert other_browser.get(HOME, headers={"User-Agent": "Another/1.0"}).status_code == 302
    assert not logged_in(other_browser)


# ---------------------------------------------------------------- every staff page needs login

def staff_requests(app) -> list[tuple[str, str]]:
    """(method, URL) for every GET and POST the staff rules accept, parameters filled with dummy values."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or rule.endpoint in {"staff.login", "static"}:
            continue
        values = {name: 1 if type(rule._converters[name]).__name__ in {"IntegerConverter", "NumberConverter"}
                  else "x1" for name in rule.arguments}
        url = rule.build(values, append_unknown=False)[1]
        found += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return found


def test_every_staff_page_sends_an_anonymous_visitor_to_log_in(app, client):
    requests = staff_requests(app)
    assert ("GET", HOME) in requests and ("POST", "/staff/logout") in requests
    token = csrf_token(client.get(LOGIN).text)  # a real token, so the login check is what answers
    wrong = {}
    for method, url in requests:
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        if response.status_code != 302 or not response.headers["Location"].startswith(LOGIN):
            wrong[f"{method} {url}"] = response.status_code
    assert wrong == {}


# ---------------------------------------------------------------- the audit trail

def test_the_audit_log_records_logins_failures_and_logouts_by_id_never_what_was_typed(app, make_staff, caplog):
    caplog.set_level(logging.INFO)
    agent = make_staff()
    start = last_audit_id(app)
    typed_password, typed_name = "Typed-Wrong-Password-1", "typed-unknown-name"
    client = app.test_client()
    assert log_in(client, agent.name, typed_password).status_code == 401
    assert log_in(client, typed_name, typed_password).status_code == 401
    assert log_in(client, agent.name, agent.password).status_code == 303
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get(HOME).text)})

    events = [(event.action, event.staff_id, event.target) for event in audit_after(app, start)
              if event.staff_id in (agent.id, None)]
    assert events == [("login_failed", agent.id, None), ("login_failed", None, None),
                      ("login", agent.id, None), ("logout", agent.id, None)]
    assert all(event.at.tzinfo is not None for event in audit_after(app, start))
    with app.app_context(), db.engine.connect() as connection:
        stored = " ".join(str(row) for table in db.metadata.sorted_tables
                          for row in connection.execute(text(f'SELECT * FROM "{table.name}"')))
    for typed in (typed_password, typed_name, agent.password):
        assert typed.lower() not in stored.lower()
        assert typed.lower() not in caplog.text.lower()
