"""An agent looks up the code a caller reads out: the path, the outcome, the flow version it was made on; and
carries on.

Codes of the running flow open from the codebook in memory; codes of earlier flow versions from the
``reference_code`` table, with the date that version came into use. Codes never expire."""
from __future__ import annotations

import datetime as dt
import html
import itertools
import re
import uuid

import pytest
from helpers import TEST_CONFIG, Wizard, csrf_token, started_sqlite
from sqlalchemy import select

from app import create_app
from wizard.core.reference_codes import code_for as pure_code
from wizard.core.reference_codes import format_code
from wizard.extensions import db
from wizard.models import AuditEvent, Call, ReferenceCode, utcnow

PASSWORD = "a-long-password-123"
FORGOT_PASSWORD = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
LOCKED = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
CODE_LINK = re.compile(r'href="/r/([2-9A-Z]{8})"')
_agents = itertools.count()


def log_in(app, desk: str = "gsc", address: str = "127.0.0.1"):
    """A client logged in through the real login form as a new agent (from ``address``); and the agent's id."""
    from wizard.staff import accounts

    name = f"lookup-agent{next(_agents)}-{id(app)}"
    with app.app_context():
        agent_id = accounts.add(name, desk, PASSWORD).id
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address  # the session is bound to it (session_protection "strong")
    form = client.get("/staff/login")
    response = client.post("/staff/login", data={"name": name, "password": PASSWORD,
                                                 "csrf_token": csrf_token(form.text)})
    assert response.status_code == 303
    return client, agent_id


@pytest.fixture
def agent(app):
    return log_in(app)


def code_for(app, *answers) -> str:
    """The code the public outcome page gives for these answers (read from the page, as a caller would)."""
    page = Wizard(app.test_client()).walk(*answers)
    return CODE_LINK.search(page.html).group(1)


def earlier_code(app, answers, outcome: str, kept_since: dt.datetime) -> tuple[str, str]:
    """A code of an earlier content version, kept in the database as keep_codes keeps one; (code, version).

    Each call makes its own version, so tests sharing the session's database never meet each other's rows.
    """
    version = uuid.uuid4().hex[:12]
    code = pure_code(version, dict(answers))
    with app.app_context():
        db.session.add(ReferenceCode(code=code, flow_version=version, answers=[list(pair) for pair in answers],
                                     outcome=outcome, created_at=kept_since))
        db.session.commit()
    return code, version


def text_of(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def change(app, code: str, **values) -> None:
    with app.app_context():
        record = db.session.get(ReferenceCode, code)
        for name, value in values.items():
            setattr(record, name, value(getattr(record, name)) if callable(value) else value)
        db.session.commit()


def continue_from(client, code: str, step: str):
    page = client.get(f"/staff/lookup/{code}")
    return client.post(f"/staff/lookup/{code}/continue", data={"step": step, "csrf_token": csrf_token(page.text)})


def test_the_lookup_page_asks_for_the_code_with_a_label(agent):
    client, _ = agent
    page = client.get("/staff/lookup")
    assert page.status_code == 200
    assert '<label class="label" for="code">Code the caller reads out</label>' in page.text
    assert 'id="code" name="code"' in page.text


def test_looking_up_needs_a_login(app):
    response = app.test_client().get("/staff/lookup/K7PM4QX2")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize("typed", [str, str.lower, format_code, lambda code: f" {format_code(code).lower()} "])
def test_the_code_can_be_typed_in_any_case_with_or_without_the_dash(app, agent, typed):
    client, _ = agent
    code = code_for(app, *FORGOT_PASSWORD)
    response = client.get("/staff/lookup", query_string={"code": typed(code)})
    assert response.status_code == 303 and response.headers["Location"] == f"/staff/lookup/{code}"
    assert client.get(f"/staff/lookup/{typed(code).strip()}").status_code == 200


def test_the_code_on_the_outcome_page_is_the_pure_function_of_version_and_answers(app):
    """Everyone with the same answers sees the same code: nothing random, nothing stored per person."""
    version = app.extensions["triage_engine"].flow.version
    assert code_for(app, *FORGOT_PASSWORD) == pure_code(version, dict(FORGOT_PASSWORD))
    assert code_for(app, *FORGOT_PASSWORD) == code_for(app, *FORGOT_PASSWORD)  # a second person, same code
    assert pure_code(version, dict(LOCKED)) != pure_code(version, dict(FORGOT_PASSWORD))


def test_the_agent_sees_the_path_the_outcome_and_the_flow_version(app, agent):
    client, _ = agent
    code = code_for(app, *FORGOT_PASSWORD)
    response = client.get(f"/staff/lookup/{code}")
    assert response.status_code == 200
    words = text_of(response)
    assert f"Code {format_code(code)}" in words
    rows = app.extensions["triage_presenter"].answer_rows(app.extensions["triage_engine"].walk(dict(FORGOT_PASSWORD)))
    assert [row.node_id for row in rows] == [node for node, _ in FORGOT_PASSWORD]
    for row in rows:
        assert f"{row.question} Answer: {row.answer}" in words
    assert "Outcome Recover your DS Logon username or password" in words
    assert f"Flow version {app.extensions['triage_engine'].flow.version} (the flow running now)" in words
    # A code has no issue date or expiry any more: it stands for answers, not for a moment someone saw it.
    assert "Issued" not in words and "expires" not in words and "in use from" not in words
    assert "differs from the flow running now" not in words


def test_a_code_of_the_running_flow_opens_without_reading_the_table(app, agent, statements):
    """The running version's codes come from the codebook in memory: the database only gets the audit line."""
    client, _ = agent
    code = code_for(app, *FORGOT_PASSWORD)
    statements.clear()
    assert client.get(f"/staff/lookup/{code}").status_code == 200
    assert statements, "the listener saw nothing: the audit line at least goes to the database"
    assert not [sql for sql in statements if "reference_code" in sql]


def test_the_running_flows_meaning_wins_over_a_row_with_the_same_code(app, agent):
    """A stored row (an earlier version's meaning of a clashing code) never hides what the code means today."""
    client, _ = agent
    code = code_for(app, *LOCKED)
    with app.app_context():
        stored = db.session.get(ReferenceCode, code)
        original = (stored.flow_version, stored.answers, stored.outcome)
    change(app, code, flow_version="0123456789ab", answers=[["topic", "inside_portal"]], outcome="portal_help")
    try:
        words = text_of(client.get(f"/staff/lookup/{code}"))
        assert f"Flow version {app.extensions['triage_engine'].flow.version} (the flow running now)" in words
        for row in app.extensions["triage_presenter"].answer_rows(app.extensions["triage_engine"].walk(dict(LOCKED))):
            assert f"{row.question} Answer: {row.answer}" in words
        assert "0123456789ab" not in words and "in use from" not in words
    finally:
        change(app, code, flow_version=original[0], answers=original[1], outcome=original[2])


def test_a_code_from_an_earlier_flow_version_says_so_and_when_that_version_was_in_use(app, agent):
    client, _ = agent
    answers = (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "pin_locked"))
    outcome = app.extensions["triage_engine"].walk(dict(answers)).current
    code, version = earlier_code(app, answers, outcome, dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.timezone.utc))
    assert code != pure_code(app.extensions["triage_engine"].flow.version, dict(answers))  # the version is in it
    response = client.get(f"/staff/lookup/{code}")
    assert response.status_code == 200
    words = text_of(response)
    running = app.extensions["triage_engine"].flow.version
    assert f"Flow version {version}, in use from March 3, 2026: differs from the flow running now ({running})" in words
    assert "The questions or wording have changed since; check the answers with the caller." in words
    assert '<span class="version-differs">' in response.text
    assert "(the flow running now)" not in words
    rows = app.extensions["triage_presenter"].answer_rows(app.extensions["triage_engine"].walk(dict(answers)))
    for row in rows:
        assert f"{row.question} Answer: {row.answer}" in words


def test_an_earlier_versions_code_continues_as_a_call_with_its_answers(app, agent):
    client, agent_id = agent
    outcome = app.extensions["triage_engine"].walk(dict(FORGOT_PASSWORD)).current
    code, _ = earlier_code(app, FORGOT_PASSWORD, outcome, utcnow() - dt.timedelta(days=90))
    response = continue_from(client, code, "3")
    assert response.status_code == 303
    location = response.headers["Location"]
    with app.app_context():
        call = db.session.get(Call, location.removeprefix("/staff/calls/").split("/")[0])
        assert (call.answers, call.from_code, call.staff_id) == ([list(pair) for pair in FORGOT_PASSWORD], code,
                                                                  agent_id)


def test_answers_of_an_earlier_version_that_no_longer_fit_are_left_out_and_said(app, agent):
    """An earlier flow offered an option today's does not, and led to an outcome that is gone."""
    client, _ = agent
    answers = (("topic", "cannot_sign_in"), ("method", "carrier_pigeon"), ("pigeon_state", "lost"))
    code, _ = earlier_code(app, answers, "pigeon_help", utcnow() - dt.timedelta(days=10))
    response = client.get(f"/staff/lookup/{code}")
    assert response.status_code == 200
    words = text_of(response)
    assert "Outcome pigeon_help (no longer in the flow)" in words
    assert "With today's flow these answers lead to: How are you trying to sign in?" in words
    assert "2 saved answers no longer fit the questions and are not shown." in words
    # Continue from each step; no "sent back by that desk": today these answers reach a question, no desk.
    assert re.findall(r'name="step" value="(\d+)"', response.text) == ["0", "1"]


@pytest.mark.parametrize(("step", "at"), [("0", "/q/topic"), ("1", "/q/method"), ("2", "/q/dsl_status"), ("3", "")])
def test_continuing_from_a_step_starts_a_call_at_that_step_with_every_answer_of_the_code(app, agent, step, at):
    """Every answer comes along, marked from the code; the call opens at the chosen step, where the code's
    answer shows as the current one (the agent reads it back: choosing it again confirms it)."""
    client, agent_id = agent
    code = code_for(app, *FORGOT_PASSWORD)
    response = continue_from(client, code, step)
    assert response.status_code == 303
    location = response.headers["Location"]
    call_id = location.removeprefix("/staff/calls/").split("/")[0]
    assert location == f"/staff/calls/{call_id}{at}"
    with app.app_context():
        call = db.session.get(Call, call_id)
        assert (call.answers, call.from_code, call.staff_id) == ([list(a) for a in FORGOT_PASSWORD], code, agent_id)
    page = client.get(location)
    assert page.status_code == 200
    if at:  # the code's answer to this question is the current one
        node, option = FORGOT_PASSWORD[int(step)]
        assert re.search(rf'class="choice choice--selected" type="submit" name="choice" value="{option}"', page.text), \
            "the code's answer is not shown as the current one"


def test_every_step_of_the_path_offers_to_continue_from_there(app, agent):
    client, _ = agent
    page = client.get(f"/staff/lookup/{code_for(app, *FORGOT_PASSWORD)}")
    assert re.findall(r'name="step" value="(\d+)"', page.text) == ["0", "1", "2", "3", "3"]
    assert page.text.count(">Continue as a call from here<") == 4
    assert "The caller was sent back by DMDC: continue and escalate" in page.text  # names the desk


def test_a_call_from_a_code_asks_who_is_calling_first_and_a_sent_back_one_the_callback(app, agent):
    """A code is often read out by someone for the patient (a son for his father): `t` lands on who is
    calling. Sent back, tier 2 needs a callback first."""
    client, _ = agent
    code = code_for(app, *FORGOT_PASSWORD)
    page = client.get(f"/staff/lookup/{code}")
    for sent_back, first in (("", ["caller", "words"]), ("yes", ["callback", "other_desk", "caller"])):
        response = client.post(f"/staff/lookup/{code}/continue",
                               data={"step": "3", "sent_back": sent_back, "csrf_token": csrf_token(page.text)})
        call = client.get(response.headers["Location"])
        assert re.findall(r'data-prompt="(\w+)"', call.text)[:len(first)] == first


def test_a_caller_sent_back_with_a_code_continues_as_an_escalated_call(app, agent):
    client, _ = agent
    code = code_for(app, *FORGOT_PASSWORD)
    page = client.get(f"/staff/lookup/{code}")
    response = client.post(f"/staff/lookup/{code}/continue",
                           data={"step": "3", "sent_back": "yes", "csrf_token": csrf_token(page.text)})
    call = client.get(response.headers["Location"])
    assert "Do not send them round again" in text_of(call)
    summary = client.get(response.headers["Location"] + "/summary.txt").text
    assert "caller says they were sent back by DMDC" in summary


def test_a_code_for_the_agents_own_desk_cannot_continue_as_sent_back(app):
    """DMDC handles a forgotten DS Logon password: a DMDC agent is not offered "sent back by that desk", and
    a form sent anyway starts an ordinary call (tier 1 at this desk, escalate with e if it needs it)."""
    client, _ = log_in(app, "dmdc")
    code = code_for(app, *FORGOT_PASSWORD)
    page = client.get(f"/staff/lookup/{code}")
    assert "The caller was sent back by" not in page.text
    response = client.post(f"/staff/lookup/{code}/continue",
                           data={"step": "3", "sent_back": "yes", "csrf_token": csrf_token(page.text)})
    call = text_of(client.get(response.headers["Location"]))
    assert "Do not send them round again" not in call and "DMDC handles this: tier 1" in call


@pytest.mark.parametrize("step", ["", "4", "-1", "one", "²", "9999"])
def test_a_step_that_is_not_on_the_path_is_refused(app, agent, step):
    client, _ = agent
    response = continue_from(client, code_for(app, *FORGOT_PASSWORD), step)
    assert response.status_code == 400
    assert "Choose a step of the path to continue from." in text_of(response)


def test_an_unknown_code_says_so_on_the_lookup_page(agent):
    client, _ = agent
    response = client.get("/staff/lookup/K7PM4QX2")
    assert response.status_code == 404
    assert "There is no code K7PM-4QX2. Check it with the caller" in text_of(response)
    assert 'id="code" name="code"' in response.text


def test_a_code_misheard_in_one_place_offers_the_one_code_it_could_be(app, agent):
    """5,442 codes in 32**8: a code one symbol from the caller's is theirs (no other is that close)."""
    client, _ = agent
    code = code_for(app, *FORGOT_PASSWORD)
    misheard = code[:7] + ("2" if code[7] != "2" else "3")
    with_an_o = "O" + code[1:]
    unknown = client.get(f"/staff/lookup/{misheard}")
    assert unknown.status_code == 404 and f"There is no code {format_code(misheard)}" in text_of(unknown)
    assert f"did the caller mean {format_code(code)}?" in text_of(unknown)
    malformed = client.get("/staff/lookup", query_string={"code": with_an_o})
    assert malformed.status_code == 400 and "never an O or a 0 (zero)" in text_of(malformed)
    assert f"did the caller mean {format_code(code)}?" in text_of(malformed)
    swapped = code[:6] + code[7] + code[6]  # two symbols off (when they differ): no guess
    far = client.get("/staff/lookup/" + (swapped if swapped != code else code[:6] + "ZZ".replace(code[6], "Y")))
    assert far.status_code == 404 and "did the caller mean" not in text_of(far)


def test_codes_never_expire_a_code_kept_a_year_ago_still_opens(app, agent):
    """There is no "expired" any more (no 410): a code kept since long ago opens and carries on like any other."""
    client, _ = agent
    outcome = app.extensions["triage_engine"].walk(dict(LOCKED)).current
    code, _ = earlier_code(app, LOCKED, outcome, utcnow() - dt.timedelta(days=400))
    response = client.get(f"/staff/lookup/{code}")
    assert response.status_code == 200
    assert "expired" not in text_of(response)
    assert continue_from(client, code, "0").status_code == 303


@pytest.mark.parametrize("typed", ["K7PM4QX", "K7PM-4QX0", "Jane Public", "<script>"])
def test_something_that_is_not_a_code_is_a_400_with_the_form(agent, typed):
    client, _ = agent
    for response in (client.get("/staff/lookup", query_string={"code": typed}), client.get(f"/staff/lookup/{typed}")):
        assert response.status_code == 400
        assert "That is not a reference code. A code has 8 letters and numbers" in text_of(response)
        assert f'value="{html.escape(typed, quote=False)}"' in response.text  # there to correct, escaped


def test_an_empty_code_asks_for_one(agent):
    client, _ = agent
    response = client.get("/staff/lookup", query_string={"code": "  "})
    assert response.status_code == 400
    assert "Enter the reference code the caller reads out." in text_of(response)


def test_each_lookup_is_audited_as_the_agent_and_the_code_only(app, agent):
    client, agent_id = agent
    code = code_for(app, *FORGOT_PASSWORD)
    client.get(f"/staff/lookup/{code}")
    client.get("/staff/lookup/K7PM4QX2")
    client.get("/staff/lookup", query_string={"code": "Jane Public 1970"})
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.staff_id == agent_id,
                                                             AuditEvent.action == "lookup")
                                    .order_by(AuditEvent.id)).all()
        assert [event.target for event in events] == [code, "unknown", "unknown"]  # never what was typed


def test_looking_up_codes_is_rate_limited_per_address(tmp_path):
    limited = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": started_sqlite(tmp_path),
                          "CODE_LOOKUP_LIMIT": "3 per minute"})
    client, _ = log_in(limited, address="192.0.2.41")
    assert [client.get("/staff/lookup/K7PM4QX2").status_code for _ in range(4)] == [404, 404, 404, 429]
    assert "Too many tries" in text_of(client.get("/staff/lookup/K7PM4QX2"))
    elsewhere, _ = log_in(limited, address="192.0.2.42")
    assert elsewhere.get("/staff/lookup/K7PM4QX2").status_code == 404


def test_typed_text_that_is_not_a_code_is_rate_limited_too(tmp_path):
    """/staff/lookup?code= writes an audit line for each try: it counts against the lookup limit (a well-formed
    code costs nothing there: its own page counts it)."""
    limited = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": started_sqlite(tmp_path),
                          "CODE_LOOKUP_LIMIT": "3 per minute"})
    client, agent_id = log_in(limited, address="192.0.2.51")
    assert client.get("/staff/lookup").status_code == 200  # the form: free
    assert client.get("/staff/lookup", query_string={"code": "k7pm-4qx2"}).status_code == 303  # free here
    statuses = [client.get("/staff/lookup", query_string={"code": f"junk {n}"}).status_code for n in range(5)]
    assert statuses == [400, 400, 400, 429, 429]
    assert client.get("/staff/lookup/K7PM4QX2").status_code == 429  # one budget for both
    assert client.get("/staff/lookup").status_code == 200  # the empty form is still there
    with limited.app_context():
        targets = db.session.scalars(select(AuditEvent.target).where(AuditEvent.staff_id == agent_id,
                                                                     AuditEvent.action == "lookup")).all()
    assert targets == ["unknown"] * 3
