"""Each table round-trips through the real database: what is written is what comes back, times in UTC."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wizard.answers.call import answers_of, find_call, set_answers, start_call
from wizard.extensions import db
from wizard.models import AuditEvent, Call, ReferenceCode, StaffUser, utcnow
from wizard.staff import accounts

PASSWORD = "correct horse battery"
UTC = dt.timezone.utc


@pytest.fixture
def ctx(storage_app):
    """An app context on the storage app; the test reads back through a fresh session."""
    with storage_app.app_context():
        yield
        db.session.rollback()


def fresh():
    """Forget everything loaded so far: the next read comes from the database."""
    db.session.commit()
    db.session.expunge_all()


def new_agent(desk: str = "gsc") -> StaffUser:
    return accounts.add(f"agent-{uuid.uuid4().hex[:10]}", desk, PASSWORD)


def test_a_staff_account_comes_back_with_a_hash_not_the_password(ctx):
    before = utcnow()
    agent_id = new_agent("dmdc").id
    fresh()
    agent = db.session.get(StaffUser, agent_id)
    assert (agent.desk, agent.active, agent.session_epoch) == ("dmdc", True, 0)
    assert agent.password_hash.startswith("$argon2id$")
    assert PASSWORD not in agent.password_hash
    assert agent.created_at.tzinfo == UTC
    assert before <= agent.created_at <= utcnow()


def test_a_call_keeps_its_answers_and_its_story(ctx):
    agent_id = new_agent().id
    call_id = start_call(agent_id).id
    call = db.session.get(Call, call_id)
    set_answers(call, {"topic": "cannot_sign_in"})
    db.session.commit()
    set_answers(call, {"topic": "cannot_sign_in", "method": "cac"})
    db.session.commit()
    set_answers(call, {"topic": "cannot_sign_in", "method": "ds_logon"})
    fresh()

    call = find_call(call_id, agent_id)
    assert answers_of(call) == {"topic": "cannot_sign_in", "method": "ds_logon"}
    assert call.answers == [["topic", "cannot_sign_in"], ["method", "ds_logon"]]
    story = [(change.kind, change.node, change.before, change.after) for change in call.changes]
    assert story == [("answer", "topic", None, "cannot_sign_in"),
                     ("answer", "method", None, "cac"),
                     ("change", "method", "cac", "ds_logon")]
    times = [change.at for change in call.changes]
    assert all(moment.tzinfo == UTC for moment in times) and times == sorted(times)
    assert call.updated_at >= call.created_at


def test_a_call_started_with_assumed_answers_says_which_were_assumed(ctx):
    agent_id = new_agent().id
    call_id = start_call(agent_id, {"topic": "cannot_sign_in", "method": "cac"}, assumed=["method"]).id
    fresh()
    call = db.session.get(Call, call_id)
    assert call.assumed == ["method"]
    assert [(change.kind, change.node) for change in call.changes] == [("assumed", "topic"), ("assumed", "method")]


def test_a_call_belongs_to_its_agent_only(ctx):
    owner, other = new_agent().id, new_agent().id
    call_id = start_call(owner).id
    fresh()
    assert find_call(call_id, owner) is not None
    assert find_call(call_id, other) is None
    assert find_call("no-such-call", owner) is None


def test_a_reference_code_comes_back_with_its_version_answers_in_order_and_outcome(ctx):
    code, version = uuid.uuid4().hex[:8].upper(), uuid.uuid4().hex[:12]
    answers = [["topic", "cannot_sign_in"], ["method", "ds_logon"], ["dsl_status", "forgot"]]
    before = utcnow()
    db.session.add(ReferenceCode(code=code, flow_version=version, answers=answers, outcome="dsl_forgot"))
    fresh()
    record = db.session.get(ReferenceCode, code)
    assert (record.code, record.flow_version, record.outcome) == (code, version, "dsl_forgot")
    assert record.answers == answers  # path order kept: a JSON list, not a mapping
    assert record.created_at.tzinfo == UTC and before <= record.created_at <= utcnow()  # when its version first ran


def test_reference_codes_are_found_by_flow_version(ctx):
    """keep_codes asks "has this version any codes yet?": the flow_version column answers it."""
    mine, other = uuid.uuid4().hex[:12], uuid.uuid4().hex[:12]
    codes = {uuid.uuid4().hex[:8].upper(): version for version in (mine, mine, other)}
    for code, version in codes.items():
        db.session.add(ReferenceCode(code=code, flow_version=version, answers=[], outcome="x"))
    fresh()
    found = db.session.scalars(select(ReferenceCode.code).where(ReferenceCode.flow_version == mine)).all()
    assert sorted(found) == sorted(code for code, version in codes.items() if version == mine)


def test_a_code_is_stored_once(ctx):
    code = uuid.uuid4().hex[:8].upper()
    db.session.add(ReferenceCode(code=code, flow_version="one", answers=[], outcome="x"))
    fresh()
    db.session.add(ReferenceCode(code=code, flow_version="two", answers=[], outcome="y"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(ReferenceCode, code).flow_version == "one"


def test_an_audit_event_comes_back_with_who_what_and_when(ctx):
    agent_id = new_agent().id
    accounts.audit("call_opened", agent_id, target="abc123")
    accounts.audit("login_failed")
    fresh()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.staff_id == agent_id)).all()
    assert [(event.action, event.target) for event in events] == [("call_opened", "abc123")]
    assert events[0].at.tzinfo == UTC
    anonymous = db.session.scalars(select(AuditEvent).where(AuditEvent.staff_id.is_(None))).all()
    assert "login_failed" in {event.action for event in anonymous}


def test_a_time_without_a_zone_is_taken_as_utc_and_one_in_another_zone_is_that_instant(ctx):
    naive_code, zoned_code = uuid.uuid4().hex[:8].upper(), uuid.uuid4().hex[:8].upper()
    naive = dt.datetime(2030, 1, 2, 3, 4, 5)
    zoned = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    db.session.add(ReferenceCode(code=naive_code, answers=[], outcome="x", flow_version="test", created_at=naive))
    db.session.add(ReferenceCode(code=zoned_code, answers=[], outcome="x", flow_version="test", created_at=zoned))
    fresh()
    assert db.session.get(ReferenceCode, naive_code).created_at == naive.replace(tzinfo=UTC)
    kept = db.session.get(ReferenceCode, zoned_code).created_at
    assert kept == zoned and kept.tzinfo == UTC and kept.hour == 8
    # comparable with an aware time on SQLite too
    later = select(ReferenceCode.code).where(ReferenceCode.code.in_([naive_code, zoned_code]),
                                             ReferenceCode.created_at > dt.datetime(2030, 1, 2, 5, tzinfo=UTC))
    assert db.session.scalars(later).all() == [zoned_code]
