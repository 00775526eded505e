"""Where people stop (wizard/page_counts.py): views, answers and arrivals counted in memory, never a
database write while a page is served, and added to ``page_count`` in batches."""
from __future__ import annotations

import time

import pytest
from helpers import Wizard, start_app, started_sqlite
from sqlalchemy import event, select

from wizard.counts import today
from wizard.extensions import db
from wizard.models import PageCount

JOURNEY = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))


@pytest.fixture
def own_app(tmp_path):
    return start_app(started_sqlite(tmp_path))


def stored(app) -> dict[tuple[str, str], int]:
    with app.app_context():
        return {(node, kind): count for node, kind, count in db.session.execute(
            select(PageCount.node, PageCount.kind, PageCount.count).where(PageCount.day == today()))}


def test_a_walk_is_counted_in_memory_then_added_in_one_batch(own_app):
    with own_app.app_context():
        engine = db.engine
    sent: list[str] = []
    record = lambda conn, cursor, statement, *rest: sent.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        Wizard(own_app.test_client()).walk(*JOURNEY)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert sent == []  # nothing written (or read) while the pages were served
    assert stored(own_app) == {}
    own_app.extensions["triage_page_counts"].flush()
    assert stored(own_app) == {
        ("topic", "view"): 1, ("topic", "answer"): 1,
        ("method", "arrive"): 1, ("method", "view"): 1, ("method", "answer"): 1,
        ("dsl_status", "arrive"): 1, ("dsl_status", "view"): 1, ("dsl_status", "answer"): 1,
        ("dsl_forgot", "arrive"): 1, ("dsl_forgot", "view"): 1,
    }
    own_app.extensions["triage_page_counts"].flush()  # nothing new: nothing added twice
    assert stored(own_app)[("topic", "view")] == 1


def test_a_page_kept_pages_sends_again_counts_as_seen(own_app):
    client = own_app.test_client()
    page = Wizard(client).walk(*JOURNEY).page
    again = client.get(page.request.full_path)  # from KeptPages: Flask does not run
    assert again.data == page.data
    own_app.extensions["triage_page_counts"].flush()
    assert stored(own_app)[("dsl_forgot", "view")] == 2


def test_refused_answers_and_redirects_are_not_views(own_app):
    client = own_app.test_client()
    version = own_app.extensions["triage_engine"].flow.version
    client.get(f"/a/topic?v={version}")  # nothing chosen: a 400
    client.get("/q/topic")  # not the canonical address: a 303
    own_app.extensions["triage_page_counts"].flush()
    assert stored(own_app) == {}


def test_the_background_thread_adds_the_counts(tmp_path):
    app = start_app(started_sqlite(tmp_path), PAGE_COUNT_FLUSH_SECONDS=1)
    Wizard(app.test_client()).walk(*JOURNEY[:1])
    deadline = time.monotonic() + 10
    while not stored(app) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored(app)[("topic", "answer")] == 1
    app.extensions["triage_page_counts"].wake.set()  # stop the thread


def test_counts_wait_in_memory_while_the_database_is_down(own_app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from wizard import page_counts

    Wizard(own_app.test_client()).walk(*JOURNEY[:1])

    def down(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(page_counts, "add", down)
    own_app.extensions["triage_page_counts"].flush()
    monkeypatch.undo()
    assert stored(own_app) == {}
    own_app.extensions["triage_page_counts"].flush()
    assert stored(own_app)[("topic", "answer")] == 1
