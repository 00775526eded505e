"""Votes are counts added with one upsert (wizard/counts.py): two instances voting at once lose nothing.

Two apps (two engines, two connection pools: what two gunicorn instances are to the database) on one
database, several threads each, all sending votes for the same row at the same moment. On SQLite and on
the real PostgreSQL server.
"""
from __future__ import annotations

import threading

import pytest
from helpers import close_app, start_app
from sqlalchemy import select

from wizard.counts import add
from wizard.extensions import db
from wizard.models import FeedbackCount

JOURNEY = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "no_account",
           "new_who": "service_member", "new_proof": "cac"}
THREADS, VOTES = 4, 25  # per instance


@pytest.fixture
def two_instances(database_url):
    apps = [start_app(database_url, VOTE_LIMIT="1000 per minute") for _ in range(2)]
    yield apps
    for app in apps:
        close_app(app)


def totals(app) -> dict[tuple[str, str], int]:
    with app.app_context():
        return {(vote, reason): count for vote, reason, count in db.session.execute(
            select(FeedbackCount.vote, FeedbackCount.reason, FeedbackCount.count))}


def test_two_instances_voting_at_once_lose_nothing(two_instances):
    engine = two_instances[0].extensions["triage_engine"]
    outcome, version = engine.walk(JOURNEY).current, engine.flow.version
    start = threading.Barrier(THREADS * len(two_instances))
    statuses: list[int] = []

    def voter(app, n: int) -> None:
        client = app.test_client()
        start.wait()
        for i in range(VOTES):
            fields = {"vote": "yes"} if i % 5 else {"vote": "no", "reason": "steps_failed"}
            reply = client.post(f"/feedback/{outcome}", data={**JOURNEY, "v": version, **fields},
                                environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
            statuses.append(reply.status_code)

    threads = [threading.Thread(target=voter, args=(app, n)) for n, app in
               enumerate(app for app in two_instances for _ in range(THREADS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) == {200} and len(statuses) == 2 * THREADS * VOTES
    every = 2 * THREADS * VOTES
    assert totals(two_instances[1]) == {("yes", ""): every * 4 // 5, ("no", "steps_failed"): every // 5}


def test_an_add_creates_the_row_then_adds_to_it(storage_app):
    import datetime as dt

    row = dict(day=dt.date(2026, 1, 2), flow_version="feedfeedfeed", outcome="o", vote="yes", reason="")
    with storage_app.app_context():
        add(FeedbackCount, [{**row, "count": 2}])
        add(FeedbackCount, [{**row, "count": 3}, {**row, "reason": "x", "vote": "no", "count": 1}])
        found = {(r.vote, r.reason): r.count for r in db.session.scalars(
            select(FeedbackCount).where(FeedbackCount.flow_version == "feedfeedfeed"))}
    assert found == {("yes", ""): 5, ("no", "x"): 1}
