"""Nothing about a person is kept: no cookie, no token, nothing in the database, no answers in any log.

The answers are only in page addresses (the browser's history), which is what the
footer tells people; so the request log names route patterns, never addresses, and
nginx logs paths without their query strings.
"""
from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from helpers import Wizard, form_for, link_to, start_app, started_sqlite
from sqlalchemy import event, func, inspect, select, table

from wizard.core.reference_codes import code_for
from wizard.extensions import db

TYPED_TEXT = "Jane Q Public 1970-01-01 DoD ID 1234567890"
ROOT = Path(__file__).resolve().parents[2]
JOURNEY = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"),
           ("new_who", "service_member"), ("new_proof", "cac"))


@pytest.fixture
def own_app(tmp_path):
    """An app on its own new database, so nothing another test did is counted."""
    return start_app(started_sqlite(tmp_path))


def every_kind_of_public_page(client) -> list:
    """A full walk with every kind of public response on the way: each response, in order."""
    wizard = Wizard(client)
    seen = [client.get("/")]
    wizard.start()
    seen.append(wizard.page)
    for node, option in JOURNEY:
        wizard.answer(node, option)
        seen.append(wizard.page)
    outcome = wizard.page
    v = outcome.request.args["v"]
    seen += [client.get(link_to(outcome.text, "/q/method")),  # a Change link
             client.get(link_to(outcome.text, "/q/new_proof")),  # the Back link
             client.get(f"/answers?{outcome.request.query_string.decode()}"),
             client.get(f"/r/{code_for(v, dict(JOURNEY))}"),  # the saved result
             client.get("/r/K7PM4QX2"),  # an unknown code
             client.get(f"/q/new_who?v={v}"),  # not reached: a redirect
             client.get(f"/q/new_who?v={v}", follow_redirects=True),
             client.get(f"/a/topic?v={v}"),  # nothing chosen
             client.get(f"/a/new_who?new_who=veteran&v={v}"),  # not on that question
             client.get("/q/nope"),
             client.post("/q/topic", data={"topic": "inside_portal"})]
    return seen


def test_no_public_page_sets_a_cookie(client):
    for response in every_kind_of_public_page(client):
        assert "Set-Cookie" not in response.headers, response.request.full_path
    assert list(client._cookies) == []


def test_a_staff_agent_browsing_public_pages_sees_what_everyone_sees(own_app):
    """An agent logged in in the same browser gets the very pages anyone gets: no token, nothing of theirs."""
    from helpers import log_in

    from wizard.staff import accounts

    with own_app.app_context():
        accounts.add("privacy-agent", "gsc", "a-long-password-for-tests")
    agent = own_app.test_client()
    assert log_in(agent, "privacy-agent", "a-long-password-for-tests").status_code == 303
    as_agent, as_anyone = every_kind_of_public_page(agent), every_kind_of_public_page(own_app.test_client())
    for mine, theirs in zip(as_agent, as_anyone, strict=True):
        assert mine.request.full_path == theirs.request.full_path
        assert (mine.status_code, mine.text) == (theirs.status_code, theirs.text), mine.request.full_path
        assert "csrf_token" not in mine.text and "privacy-agent" not in mine.text


def test_an_agents_session_never_reaches_a_public_page_or_the_next_person(own_app):
    from helpers import log_in

    from wizard.staff import accounts

    with own_app.app_context():
        accounts.add("privacy-agent", "gsc", "a-long-password-for-tests")
    agent = own_app.test_client()
    assert log_in(agent, "privacy-agent", "a-long-password-for-tests").status_code == 303
    v = own_app.extensions["triage_engine"].flow.version
    address = f"/q/method?topic=cannot_sign_in&v={v}"
    seen_by_agent = agent.get(address)
    next_person = own_app.test_client()
    seen_next = next_person.get(address)
    assert seen_by_agent.status_code == seen_next.status_code == 200
    assert "Set-Cookie" not in seen_next.headers
    assert next_person.get("/staff/").status_code != 200
    assert "Set-Cookie" not in seen_by_agent.headers
    assert agent.get("/staff/").status_code == 200  # the agent is still logged in


def test_public_pages_carry_no_form_token(client):
    for response in every_kind_of_public_page(client):
        assert "csrf_token" not in response.text, response.request.full_path


def test_forms_carry_only_node_ids_option_keys_and_the_version(app, wizard):
    nodes = app.extensions["triage_engine"].flow.nodes
    wizard.walk(*JOURNEY[:3])
    inside = form_for(wizard.html, "new_who")
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', inside)
    assert [name for name, _ in hidden] == ["dsl_status", "method", "topic", "v"]
    for name, value in hidden:
        assert name == "v" or value in nodes[name].options


def test_public_pages_write_nothing_to_the_database(own_app):
    """Row counts of every table are the same after a full walk (reference_code and node_words were filled at
    start-up; page views are counted in memory and added later, never on the request: test_page_counts.py).
    The pages send the database no statement but one: the unknown code, looked for among earlier
    content versions' codes. The questions, outcomes and today's codes work with no database."""
    statements: list[str] = []

    def counts() -> dict[str, int]:
        with own_app.app_context():
            names = inspect(db.engine).get_table_names()
            return {name: db.session.scalar(select(func.count()).select_from(table(name))) for name in names}

    before = counts()
    assert {"staff_user", "call", "call_change", "reference_code", "audit_event"} <= set(before)
    assert before["reference_code"] > 0
    assert before["node_words"] > 0
    assert all(rows == 0 for name, rows in before.items()
               if name not in ("reference_code", "node_words", "alembic_version"))
    with own_app.app_context():
        engine = db.engine
    record = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        every_kind_of_public_page(own_app.test_client())
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1, statements
    assert statements[0].startswith("SELECT ") and "FROM reference_code" in statements[0]
    assert counts() == before


def test_typed_text_never_reaches_a_page_or_the_logs(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    v = app.extensions["triage_engine"].flow.version
    responses = [client.get("/a/topic", query_string={"topic": TYPED_TEXT, "name": TYPED_TEXT, "v": v}),
                 client.get("/q/topic", query_string={"topic": TYPED_TEXT, TYPED_TEXT: TYPED_TEXT, "v": v}),
                 client.get(f"/q/{TYPED_TEXT}", query_string={"notice": TYPED_TEXT}),
                 client.get(f"/a/{TYPED_TEXT}", query_string={TYPED_TEXT: "x"}),
                 client.get("/answers", query_string={"topic": TYPED_TEXT}),
                 client.get(f"/r/{TYPED_TEXT}")]
    assert [response.status_code for response in responses] == [400, 303, 404, 404, 303, 404]
    for response in responses:
        assert "Jane" not in response.text and "Jane" not in response.headers.get("Location", "")
    assert caplog.records
    for record in caplog.records:
        assert "Jane" not in record.getMessage() and "1234567890" not in record.getMessage()


def test_request_log_lines_name_the_route_never_the_address(app, caplog):
    caplog.set_level(logging.INFO)
    every_kind_of_public_page(app.test_client())
    lines = [record.getMessage() for record in caplog.records if record.name == "wizard.requests"]
    assert len(lines) > 10
    rules = {rule.rule for rule in app.url_map.iter_rules()} | {"-"}
    for line in lines:
        method, rule, status = line.split(" ")
        assert method in ("GET", "POST") and status.isdigit(), line
        assert rule in rules, line
    assert "GET /q/<node_id> 200" in lines and "GET /a/<node_id> 303" in lines
    for record in caplog.records:
        assert "?" not in record.getMessage() and "v=" not in record.getMessage(), record.getMessage()


def test_nginx_logs_paths_without_their_query_strings():
    config = (ROOT / "deploy/nginx/wizard.conf").read_text()
    (log_format,) = re.findall(r"^log_format wizard (.*?);$", config, re.S | re.M)
    assert "$uri" in log_format
    for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string", "$is_args",
                     "$http_referer", "$arg_"):
        assert variable not in log_format, variable
    assert re.findall(r"^\s*access_log\s+(\S+)", config, re.M) == ["/var/log/nginx/wizard.access.log"]
    assert "access_log /var/log/nginx/wizard.access.log wizard;" in config


@pytest.mark.parametrize("name", ["gunicorn.conf.py", "deploy/gunicorn.conf.py"])
def test_gunicorn_keeps_no_access_log(name):
    assert re.findall(r"^accesslog\s*=\s*(.+?)(?:\s*#.*)?$", (ROOT / name).read_text(), re.M) == ["None"]


def test_question_pages_ask_no_free_text(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "piv"), ("piv_problem", "not_registered"))
    inputs = re.findall(r"<input[^>]*>", wizard.html)
    assert all('type="radio"' in tag or 'type="hidden"' in tag for tag in inputs)


def test_the_footer_says_the_answers_are_only_in_the_address(client):
    footer = " ".join(html.unescape(client.get("/").text).split())
    assert "keeps nothing about you: no cookie, no account" in footer
    assert "The options you choose are only in the address of each page, so they stay in your browser's " \
           "history" in footer
    assert "On a shared device, close the browser or clear its history when you finish" in footer
    assert "cookie that is deleted" not in footer and "for 30 days" not in footer


def test_answers_in_an_address_reach_no_other_site(client):
    """Addresses hold answers: the Referrer-Policy keeps them from the sites the pages link to."""
    query = urlencode({"portal_issue": "old_messages", "topic": "inside_portal", "v": "x"})
    page = client.get(f"/q/old_messages?{query}", follow_redirects=True)
    assert page.status_code == 200 and 'href="https://' in page.text
    assert page.headers["Referrer-Policy"] == "same-origin"
