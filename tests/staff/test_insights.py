"""The insights page (/staff/insights) and its CSV: votes, codes that came back and how calls ended, exact.

Each test has its own database, so every figure is known: one test walks it as people would (votes on a
public page, an agent looking up a code and ending a call), one fills the tables with a fixture and reads
back every figure, days outside the period included and left out.
"""
from __future__ import annotations

import datetime as dt
import html
import itertools
import re

import pytest
from helpers import close_app, csrf_token, log_in, start_app, started_sqlite
from sqlalchemy import select

from wizard.core.reference_codes import code_for
from wizard.counts import add, today
from wizard.extensions import db, limiter
from wizard.models import AuditEvent, Call, CallChange, FeedbackCount, ReferenceCode, utcnow
from wizard.staff import accounts

PASSWORD = "a-long-password-for-tests"
LOCKED = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"}  # DMDC's outcome
_agents = itertools.count()


@pytest.fixture
def own_app(tmp_path):
    app = start_app(started_sqlite(tmp_path))
    limiter.reset()
    return app


def agent(app, desk: str):
    name = f"insights-{desk}-{next(_agents)}"
    with app.app_context():
        accounts.add(name, desk, PASSWORD)
    client = app.test_client()
    assert log_in(client, name, PASSWORD).status_code == 303
    return client


def text_of(page) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page.text).split()))


def row_for(page, title: str) -> str:
    """The words of the table row whose heading is ``title``."""
    match = re.search(rf'<tr>\s*<th scope="row">{re.escape(title)}.*?</tr>', page.text, re.S)
    assert match, f"no row for {title}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_votes_a_looked_up_code_and_ended_calls_show_on_the_page(own_app):
    engine = own_app.extensions["triage_engine"]
    version, outcome = engine.flow.version, engine.walk(LOCKED).current
    public = own_app.test_client()
    for fields in ({"vote": "yes"}, {"vote": "no", "reason": "number_failed"}, {"vote": "no"}):
        assert public.post(f"/feedback/{outcome}", data={**LOCKED, "v": version, **fields}).status_code == 200

    dmdc = agent(own_app, "dmdc")
    code = code_for(version, LOCKED)
    lookup = dmdc.get(f"/staff/lookup/{code}")  # the caller reads the code out: it came back
    call = dmdc.post(f"/staff/lookup/{code}/continue", data={"step": "3", "csrf_token": csrf_token(lookup.text)})
    call_url = call.headers["Location"]  # "continue" looks the code up again: still one coming back
    page = dmdc.get(call_url)
    assert dmdc.post(f"{call_url}/resolved", data={"csrf_token": csrf_token(page.text)}).status_code == 303

    gsc = agent(own_app, "gsc")  # another desk's outcome: the GSC agent transfers the caller
    home = gsc.get("/staff/")
    started = gsc.post("/staff/calls", data={"csrf_token": csrf_token(home.text)}).headers["Location"]
    for node, option in LOCKED.items():
        page = gsc.get(started)
        gsc.post(f"{started}/q/{node}", data={"choice": option, "csrf_token": csrf_token(page.text)})

    page = dmdc.get("/staff/insights")
    assert page.status_code == 200
    title = engine.flow.nodes[outcome] and own_app.extensions["triage_presenter"].words(outcome)["title"]
    assert row_for(page, title).startswith(
        f"{title} {version} (running today) 3 (Yes 1, No 2) 33% (6%–79%) "
        "no reason given: 1 The phone number did not answer: 1 1 ")
    calls = re.findall(rf'<tr><th scope="row">{re.escape(title)}</th>(.*?)</tr>', page.text)
    assert [re.findall(r"<td>(\d+)</td>", row) for row in calls] == [["1", "1", "0", "0", "0", "2"]]
    csv = dmdc.get("/staff/insights.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert f"\n{outcome},{version},1,2,0.3333,0.0615,0.7923,1,0,0,1,0,0,1\n" in csv.text


def fill(app, until: dt.date) -> None:
    """The fixture: two content versions' votes over three days (one of them 40 days back), codes of an
    earlier version looked up, and four calls that ended four ways."""
    engine = app.extensions["triage_engine"]
    running = engine.flow.version
    old = "0ld0ld0ld0ld"
    day, before, long_ago = until, until - dt.timedelta(days=1), until - dt.timedelta(days=40)
    rows = [
        (day, running, "dsl_locked", "yes", "", 8), (day, running, "dsl_locked", "no", "steps_failed", 2),
        (before, running, "dsl_locked", "yes", "", 1), (before, running, "dsl_locked", "no", "", 1),
        (before, old, "dsl_locked", "yes", "", 2),
        (long_ago, running, "dsl_locked", "no", "hard_to_follow", 50),  # outside 30 days
        (day, running, "dsl_forgot", "no", "not_my_situation", 1),
    ]
    with app.app_context():
        add(FeedbackCount, [dict(day=d, flow_version=v, outcome=o, vote=vote, reason=r, count=n)
                            for d, v, o, vote, r, n in rows])
        staff = [accounts.add(f"fixture-{desk}-{next(_agents)}", desk, PASSWORD) for desk in ("dmdc", "gsc")]
        db.session.add(ReferenceCode(code="AAAABBBB", flow_version=old, answers=[list(p) for p in LOCKED.items()],
                                     outcome="dsl_locked"))
        at = dt.datetime.combine(day, dt.time(9, 30), dt.timezone.utc)
        db.session.add_all([
            AuditEvent(action="lookup", staff_id=staff[0].id, target="AAAABBBB", at=at),
            AuditEvent(action="lookup", staff_id=staff[0].id, target="AAAABBBB", at=at),  # same agent, day: once
            AuditEvent(action="lookup", staff_id=staff[1].id, target="AAAABBBB", at=at),
            AuditEvent(action="lookup", staff_id=staff[1].id, target="unknown", at=at),  # found nothing
            AuditEvent(action="lookup", staff_id=staff[1].id, target="AAAABBBB",
                       at=at - dt.timedelta(days=40)),  # outside the period
            AuditEvent(action="lookup", staff_id=staff[1].id, target=code_for(running, LOCKED),
                       at=at),  # a code of the running version: it is in the table too (keep_codes)
        ])
        answers = [list(p) for p in LOCKED.items()]
        calls = [Call(id=f"call{n}", staff_id=staff[desk].id, answers=answers, assumed=[], sent_back=sent_back,
                      created_at=at) for n, (desk, sent_back) in enumerate([(0, False), (0, False), (1, False),
                                                                              (0, True), (0, False)])]
        calls.append(Call(id="old", staff_id=staff[0].id, answers=answers, assumed=[], sent_back=False,
                          created_at=at - dt.timedelta(days=40)))
        calls.append(Call(id="midway", staff_id=staff[0].id, answers=answers[:1], assumed=[], sent_back=False,
                          created_at=at))
        db.session.add_all(calls)
        db.session.flush()
        db.session.add_all([CallChange(call_id="call0", kind="escalate", after="steps_failed", at=utcnow()),
                            CallChange(call_id="call0", kind="resolved", at=utcnow()),  # the latest counts
                            CallChange(call_id="call1", kind="resolved", at=utcnow()),
                            CallChange(call_id="call1", kind="escalate", after="steps_failed", at=utcnow()),
                            CallChange(call_id="old", kind="resolved", at=utcnow())])
        db.session.commit()


def test_the_figures_for_a_fixture_database_are_exact(own_app):
    until = today()
    fill(own_app, until)
    client = agent(own_app, "gsc")
    csv = client.get("/staff/insights.csv")
    version = own_app.extensions["triage_engine"].flow.version
    first, last = until - dt.timedelta(days=29), until
    assert csv.headers["Content-Disposition"] == f"attachment; filename=insights-{first}-to-{last}.csv"
    assert csv.text == (
        "outcome,flow_version,yes,no,helpful_rate,helpful_low_95,helpful_high_95,came_back,views,no_steps_failed,"
        "no_number_failed,no_not_my_situation,no_hard_to_follow,no_without_reason\n"
        # fix first: the lowest top of the 95% range first
        "dsl_forgot," + version + ",0,1,0.0000,0.0000,0.7935,0,0,0,0,1,0,0\n"
        "dsl_locked," + version + ",9,3,0.7500,0.4677,0.9111,1,0,2,0,0,0,1\n"
        "dsl_locked,0ld0ld0ld0ld,2,0,1.0000,0.3424,1.0000,2,0,0,0,0,0,0\n")
    page = client.get("/staff/insights")
    title = own_app.extensions["triage_presenter"].words("dsl_locked")["title"]
    rows = re.findall(rf'<tr>\s*<th scope="row">{re.escape(title)}</th>.*?</tr>', page.text, re.S)
    words = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert words[1].startswith(f"{title} 0ld0ld0ld0ld 2 (Yes 2, No 0) 100% (34%–100%) – 2 ")
    assert words[0].startswith(f"{title} {version} (running today) 12 (Yes 9, No 3) 75% (47%–91%) "
                               "no reason given: 1 The steps did not work: 2 1 ")
    by_day = page.text.split(rows[0], 1)[1].split('<th scope="row">', 1)[0]  # the row's own table by day
    assert re.findall(r"<tr><td>([\d-]+)</td><td>(\d+)</td><td>(\d+)</td></tr>", by_day) == [
        ((until - dt.timedelta(days=1)).isoformat(), "1", "1"), (until.isoformat(), "8", "2")]
    # calls: resolved (call0: latest), escalated (call1: latest), transferred (GSC at DMDC's outcome), sent back
    calls = re.findall(rf'<tr><th scope="row">{re.escape(title)}</th>(.*?)</tr>', page.text)
    assert re.findall(r"<td>(\d+)</td>", calls[0]) == ["1", "1", "1", "1", "1", "5"]
    long = client.get("/staff/insights?days=90").text
    assert "50" in long and "I could not follow it: 50" in long


@pytest.mark.parametrize("days", ["", "0", "-1", "31", "abc", "9" * 40, "30.0"])
def test_any_other_period_shows_the_last_30_days(own_app, days):
    page = agent(own_app, "gsc").get("/staff/insights", query_string={"days": days})
    assert page.status_code == 200 and "Counts from the last 30 days" in text_of(page)


def test_an_empty_database_says_so(own_app):
    text = text_of(agent(own_app, "gsc").get("/staff/insights"))
    assert "No votes in these days." in text and "No calls reached an outcome in these days." in text


def test_the_page_needs_a_login_and_never_names_an_agent(own_app):
    assert own_app.test_client().get("/staff/insights").status_code == 302
    assert own_app.test_client().get("/staff/insights.csv").status_code == 302
    fill(own_app, today())
    client = agent(own_app, "gsc")
    page = client.get("/staff/insights").text
    csv = client.get("/staff/insights.csv").text
    assert "fixture-" not in page.split("</header>", 1)[1] and "fixture-" not in csv


def test_where_people_stop_per_question(own_app):
    from helpers import Wizard

    for answers in ([("topic", "cannot_sign_in"), ("method", "ds_logon")], [("topic", "cannot_sign_in")],
                    [("topic", "inside_portal")], []):
        wizard = Wizard(own_app.test_client())
        wizard.start()
        for node, option in answers:
            wizard.answer(node, option)
    page = agent(own_app, "gsc").get("/staff/insights")  # adds this process's counts first
    present = own_app.extensions["triage_presenter"]
    rows = {title: re.findall(r"<td>(\d+)", row) for title, row in re.findall(
        r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', page.text.split('id="questions"')[1].split('id="calls"')[0],
        re.S)}
    # reached, went on, stopped, views
    assert rows[present.words("topic")["title"]] == ["4", "3", "1", "4"]  # the first question: its views
    assert rows[present.words("method")["title"]] == ["2", "1", "1", "2"]
    assert rows[present.words("dsl_status")["title"]] == ["1", "0", "1", "1"]
    assert rows[present.words("portal_issue")["title"]] == ["1", "0", "1", "1"]
    assert rows[present.words("new_who")["title"]] == ["0", "0", "0", "0"]


@pytest.fixture
def next_content(tmp_path):
    """The content after a change: one outcome reworded, and the FAQ last checked long ago."""
    import shutil

    from wizard.core.flow import CONTENT_DIR

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    text = content / "text" / "en.yaml"
    text.write_text(text.read_text().replace('title: "Recover your DS Logon username or password"',
                                             'title: "Recover your DS Logon username or password now"', 1))
    sources = content / "sources.yaml"
    sources.write_text(sources.read_text().replace("  reviewed: 2026-11-26\n", "  reviewed: 2025-01-02\n", 1))
    return content


def test_what_changed_between_two_versions_and_the_sources_past_review(tmp_path, next_content):
    url = f"sqlite:///{tmp_path / 'wizard.db'}"
    first = start_app(url)
    before = first.extensions["triage_engine"].flow.version
    second = start_app(url, CONTENT_DIR=next_content)  # the next release, on the same database
    after = second.extensions["triage_engine"].flow.version
    limiter.reset()
    client = agent(second, "gsc")
    page = client.get("/staff/insights/changes")  # by default: the version before, and the running one
    assert page.status_code == 200
    assert f'<option value="{before}" selected>' in page.text and f'<option value="{after}" selected>' in page.text
    text = text_of(page)
    assert "No outcome's answer sets moved." in text
    assert text.split("Pages whose wording changed", 1)[1].startswith(" Recover your DS Logon username or password now ")
    assert "No page's wording changed" not in text

    # An older version whose codes sent one answer set elsewhere, from before wording was kept.
    with second.app_context():
        kept = select(ReferenceCode).where(ReferenceCode.flow_version == after)
        rows = [(row.code, row.answers, row.outcome) for row in db.session.scalars(kept)]
        moved = next(code for code, _, outcome in rows if outcome == "dsl_forgot")
        db.session.add_all([ReferenceCode(code="0" + code[1:], flow_version="01d01d01d01d", answers=answers,
                                          outcome="dsl_locked" if code == moved else outcome,
                                          created_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
                            for code, answers, outcome in rows])
        db.session.commit()
    page = client.get("/staff/insights/changes", query_string={"from": "01d01d01d01d", "to": after})
    rows_moved = re.findall(r'<tr><th scope="row">([^<]+)</th>' + r"<td>(\d+)</td>" * 4, page.text)
    forgot, locked = (second.extensions["triage_presenter"].words(node)["title"] for node in ("dsl_forgot", "dsl_locked"))
    n_forgot = sum(1 for _, _, outcome in rows if outcome == "dsl_forgot")
    n_locked = sum(1 for _, _, outcome in rows if outcome == "dsl_locked")
    assert rows_moved == [(forgot, str(n_forgot - 1), str(n_forgot), "1", "0"),
                          (locked, str(n_locked + 1), str(n_locked), "0", "1")]
    assert "Wording was not recorded for 01d01d01d01d" in text_of(page)

    for query in ({"from": "nope"}, {"to": "<script>"}, {"from": before, "to": "0" * 16}):
        refused = client.get("/staff/insights/changes", query_string=query)
        assert refused.status_code == 400 and "Choose two content versions this service has run." in refused.text
        assert "<script>" not in refused.text
    assert "Choose two different versions" in client.get("/staff/insights/changes",
                                                         query_string={"from": after, "to": after}).text

    insights = client.get("/staff/insights").text
    sources = insights.split('id="sources"', 1)[1]
    assert "<code>faq</code>" in sources and "2025-01-02" in sources and "2025-07-01" in sources
    assert "Recover your DS Logon username or password now" in sources  # a page that relies on it
    for app in (first, second):
        close_app(app)

