"""Reference codes on the public side: one per set of answers on the outcome page, /r/<code> to see it again,
and an outcome page that still works when the database does not."""
from __future__ import annotations

import datetime as dt
import html
import logging
import re
import shutil

import pytest
from conftest import TEST_CONFIG, Wizard
from sqlalchemy import select, text

from app import create_app
from wizard.core import codes as core_codes
from wizard.extensions import db
from wizard.models import ReferenceCode

FORGOT_PASSWORD = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
CAC_PIN_LOCKED = (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "pin_locked"))
WHERE_THE_CODE_IS_NOT_KEPT = (("topic", "inside_portal"), ("portal_issue", "old_messages"))  # never shown before
CODE_LINK = re.compile(r'href="/r/([2-9A-Z]{8})"')


def app_with_database(path, **config):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", **config})


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app with its own database, so codes from other tests and runs never meet these."""
    return app_with_database(tmp_path_factory.mktemp("codes") / "wizard.db")


@pytest.fixture
def client(app):
    return app.test_client()


def outcome_page(app, *answers) -> Wizard:
    return Wizard(app.test_client()).walk(*answers)


def code_on(page: Wizard) -> str | None:
    match = CODE_LINK.search(page.html)
    return match.group(1) if match else None


def stored(app, code: str) -> ReferenceCode:
    with app.app_context():
        record = db.session.get(ReferenceCode, code)
        db.session.expunge(record)
        return record


def visible_text(page_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def age(app, code: str, days: int) -> None:
    """Make the code as old as ``days`` (created and expiring that many days earlier), as if
    that time had passed: the codes the app keeps at hand are forgotten too."""
    with app.app_context():
        record = db.session.get(ReferenceCode, code)
        record.created_at -= dt.timedelta(days=days)
        record.expires_at -= dt.timedelta(days=days)
        db.session.commit()
    app.extensions.pop("recent_reference_codes", None)


# ---------------------------------------------------------------- on the outcome page

def test_the_outcome_page_shows_a_reference_code_under_the_main_contact(app):
    page = outcome_page(app, *FORGOT_PASSWORD)
    code = code_on(page)
    assert code and core_codes.normalise(code) == code
    formatted = core_codes.format_code(code)
    assert f"Your reference code: {formatted}" in page.text
    assert "Read it to the help desk. It keeps your answers (never your name) for 30 days." in page.text
    main_number, shown, what_to_do = (page.html.index(marker) for marker in
                                      ('class="main-contact"', formatted, "<h2>What to do</h2>"))
    assert main_number < shown < what_to_do


def test_a_screen_reader_reads_the_code_one_character_at_a_time(app):
    page = outcome_page(app, *FORGOT_PASSWORD)
    code = code_on(page)
    assert f'<span aria-hidden="true">{core_codes.format_code(code)}</span>' in page.html
    assert f'<span class="visually-hidden">{" ".join(code[:4])}, {" ".join(code[4:])}</span>' in page.html


def test_the_same_answers_get_the_same_code(app):
    first, again = outcome_page(app, *FORGOT_PASSWORD), outcome_page(app, *FORGOT_PASSWORD)
    assert code_on(first) == code_on(again)
    assert code_on(first) == code_on(Wizard(first.client).answer("dsl_status", "forgot"))  # shown again


def test_different_answers_get_a_different_code(app):
    assert code_on(outcome_page(app, *FORGOT_PASSWORD)) != code_on(outcome_page(app, *CAC_PIN_LOCKED))


def test_a_code_keeps_node_ids_option_keys_the_outcome_the_flow_version_and_times_only(app):
    record = stored(app, code_on(outcome_page(app, *FORGOT_PASSWORD)))
    assert record.answers == [list(answer) for answer in FORGOT_PASSWORD]
    assert record.outcome == "dsl_forgot"
    assert record.flow_version == app.extensions["triage_engine"].flow.version
    assert record.answers_key == core_codes.answers_key(record.flow_version, dict(FORGOT_PASSWORD))
    assert dt.timedelta(days=30) == record.expires_at - record.created_at
    assert {column.name for column in ReferenceCode.__table__.columns} == {
        "code", "answers_key", "answers", "outcome", "flow_version", "created_at", "expires_at"}


def test_no_code_is_made_before_an_outcome_is_shown(app):
    def count():
        with app.app_context():
            return len(db.session.scalars(select(ReferenceCode.code)).all())

    before = count()
    page = Wizard(app.test_client()).walk(("topic", "cannot_sign_in"), ("method", "cac"))
    assert page.path == "/q/cac_problem" and code_on(page) is None
    assert count() == before


def test_an_expired_code_still_says_expired_and_the_same_answers_get_a_new_code(app, client):
    old = code_on(outcome_page(app, ("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked")))
    age(app, old, days=31)
    new = code_on(outcome_page(app, ("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked")))
    assert new != old
    assert client.get(f"/r/{old}").status_code == 410
    assert client.get(f"/r/{new}").status_code == 200


def test_an_expired_codes_answers_are_erased_but_it_still_says_expired(app, client):
    from wizard.codes import erase_expired_answers

    code = code_on(outcome_page(app, ("topic", "inside_portal"), ("portal_issue", "old_messages")))
    age(app, code, days=31)
    with app.app_context():
        assert erase_expired_answers(force=True) >= 1
    assert stored(app, code).answers == []
    assert client.get(f"/r/{code}").status_code == 410


def test_a_code_that_is_already_taken_is_never_given_twice(app, monkeypatch):
    taken = code_on(outcome_page(app, *FORGOT_PASSWORD))
    fresh = iter([taken, taken, "HHHHJJJJ"])
    monkeypatch.setattr(core_codes, "new_code", lambda: next(fresh))  # two clashes, then a free code
    assert code_on(outcome_page(app, ("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "site_down"))) == "HHHHJJJJ"
    assert stored(app, taken).outcome == "dsl_forgot"


# ---------------------------------------------------------------- /r/<code>

def test_the_saved_result_shows_the_outcome_read_only_in_any_browser(app):
    code = code_on(outcome_page(app, *FORGOT_PASSWORD))
    fresh_browser = app.test_client()
    page = fresh_browser.get(f"/r/{code}")
    assert page.status_code == 200
    words = visible_text(page.text)
    today = dt.date.today()
    assert f"This is a saved result from {today:%B} {today.day}, {today.year}; it may be out of date." in words
    assert "Get your DS Logon password back" in words and "1-800-368-3665" in words
    assert f"Reference code: {core_codes.format_code(code)}" in words
    assert "How you sign in DS Logon" in words  # the answers, without Change links
    assert "<form" not in page.text and "Change" not in words
    assert 'href="/"' in page.text  # start the questions yourself
    assert "Set-Cookie" not in page.headers  # nothing about this browser is changed
    assert page.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("typed", [str.lower, core_codes.format_code, lambda code: core_codes.format_code(code).lower()])
def test_the_saved_result_opens_however_the_code_is_typed(app, client, typed):
    code = code_on(outcome_page(app, *FORGOT_PASSWORD))
    assert client.get(f"/r/{typed(code)}").status_code == 200


def test_an_unknown_code_is_a_404_that_says_so(client):
    page = client.get("/r/K7PM4QX2")
    assert page.status_code == 404
    assert "There is no saved result for the reference code K7PM-4QX2." in visible_text(page.text)


@pytest.mark.parametrize("typed", ["K7PM4QX", "K7PM4QX0", "hello", "K7PM4QX2K7PM4QX2"])
def test_something_that_is_not_a_code_is_a_404(client, typed):
    page = client.get(f"/r/{typed}")
    assert page.status_code == 404
    assert "There is no saved result at this address. A reference code has 8 letters and numbers" in \
        visible_text(page.text)
    assert typed not in page.text


def test_an_expired_code_is_a_410_that_says_so(app, client):
    code = code_on(outcome_page(app, ("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "deactivated")))
    age(app, code, days=30)
    page = client.get(f"/r/{code}")
    assert page.status_code == 410
    assert f"The reference code {core_codes.format_code(code)} has expired: codes are kept for 30 days." in \
        visible_text(page.text)


def test_a_saved_result_whose_questions_are_gone_says_so(app, client):
    with app.app_context():
        now = dt.datetime.now(dt.timezone.utc)
        db.session.add(ReferenceCode(code="ZZZZ2222", answers_key="0" * 64, answers=[["gone_question", "gone"]],
                                     outcome="gone_outcome", flow_version="000000000000", created_at=now,
                                     expires_at=now + dt.timedelta(days=30)))
        db.session.commit()
    page = client.get("/r/ZZZZ2222")
    assert page.status_code == 200
    assert "Our questions have changed since this code was made" in visible_text(page.text)


def test_looking_up_codes_is_rate_limited(tmp_path):
    limited = app_with_database(tmp_path / "wizard.db", CODE_LOOKUP_LIMIT="3 per minute")
    client = limited.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.31"
    assert [client.get("/r/K7PM4QX2").status_code for _ in range(4)] == [404, 404, 404, 429]
    assert "Too many tries" in client.get("/r/K7PM4QX2").text
    other_address = limited.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "192.0.2.32"
    assert other_address.get("/r/K7PM4QX2").status_code == 404


# ---------------------------------------------------------------- without the database

def drop_the_codes_table(app, directory):
    with app.app_context():
        db.session.execute(text("DROP TABLE reference_code"))
        db.session.commit()


def remove_the_database(app, directory):
    shutil.rmtree(directory)
    with app.app_context():
        db.engine.dispose()  # the next connection finds no database


@pytest.mark.parametrize("break_it", [drop_the_codes_table, remove_the_database])
def test_without_the_database_the_outcome_page_shows_the_answers_and_logs_once(tmp_path, caplog, break_it):
    directory = tmp_path / "database"
    directory.mkdir()
    broken = app_with_database(directory / "wizard.db")
    break_it(broken, directory)
    caplog.set_level(logging.INFO)

    pages = [outcome_page(broken, *FORGOT_PASSWORD), outcome_page(broken, *CAC_PIN_LOCKED),
             outcome_page(broken, *FORGOT_PASSWORD)]

    for page in pages:
        assert page.page.status_code == 200
        assert "We could not make a code right now; read these answers to the help desk instead." in page.text
        assert code_on(page) is None and "Your reference code" not in page.text
    assert "How you sign in: DS Logon" in pages[0].text and "How you sign in: CAC" in pages[1].text
    outage = [record for record in caplog.records if record.name == "wizard.codes"]
    assert len(outage) == 1, [record.getMessage() for record in outage]
    assert outage[0].levelno == logging.ERROR and outage[0].exc_info is None
    assert "reference codes unavailable" in outage[0].getMessage()
    assert not re.search("select|reference_code|dsl_status", outage[0].getMessage(), re.I)  # no SQL, no answers


def test_without_the_database_a_saved_result_says_it_cannot_be_opened(tmp_path):
    directory = tmp_path / "database"
    directory.mkdir()
    broken = app_with_database(directory / "wizard.db")
    remove_the_database(broken, directory)
    page = broken.test_client().get("/r/K7PM4QX2")
    assert page.status_code == 503
    assert "We cannot open saved results at the moment." in visible_text(page.text)


def test_the_outage_log_speaks_at_most_once_a_minute(monkeypatch, caplog):
    from wizard import codes
    from wizard.web import quiet_log

    clock = iter([1000.0, 1010.0, 1059.0, 1061.0])
    monkeypatch.setattr(quiet_log.time, "monotonic", lambda: next(clock))
    outage = quiet_log.QuietLog(codes.log, "reference codes unavailable")
    for _ in range(4):
        outage.report(RuntimeError("down"))
    lines = [record.getMessage() for record in caplog.records if record.name == "wizard.codes"]
    assert len(lines) == 2
    assert lines[1].endswith("; 2 more failures since the last report")


# ---------------------------------------------------------------- on PostgreSQL too

def test_on_postgresql_codes_are_issued_once_expire_retry_a_clash_and_survive_a_missing_table(postgres, monkeypatch,
                                                                                               caplog):
    from helpers import close_app, start_app

    pg = start_app(postgres.create_database())
    try:
        first = code_on(outcome_page(pg, *FORGOT_PASSWORD))
        assert code_on(outcome_page(pg, *FORGOT_PASSWORD)) == first
        assert pg.test_client().get(f"/r/{first}").status_code == 200
        age(pg, first, days=31)
        renewed = code_on(outcome_page(pg, *FORGOT_PASSWORD))
        assert renewed != first and pg.test_client().get(f"/r/{first}").status_code == 410

        fresh = iter([renewed, "HHHHJJJJ"])
        monkeypatch.setattr(core_codes, "new_code", lambda: next(fresh))
        assert code_on(outcome_page(pg, *CAC_PIN_LOCKED)) == "HHHHJJJJ"

        with pg.app_context():
            db.session.execute(text("DROP TABLE reference_code"))  # PostgreSQL says ProgrammingError: a DBAPIError
            db.session.commit()
        assert code_on(outcome_page(pg, *FORGOT_PASSWORD)) == renewed  # shown again: kept at hand, no database
        page = outcome_page(pg, *WHERE_THE_CODE_IS_NOT_KEPT)
        assert page.page.status_code == 200
        assert "We could not make a code right now; read these answers to the help desk instead." in page.text
        assert [record.levelno for record in caplog.records if record.name == "wizard.codes"] == [logging.ERROR]
    finally:
        close_app(pg)


def test_an_outcome_shown_again_needs_no_database(app, caplog):
    first = code_on(outcome_page(app, ("topic", "portal_down")))
    with app.app_context():
        db.session.execute(text("DROP TABLE reference_code"))
        db.session.commit()
    try:
        assert code_on(outcome_page(app, ("topic", "portal_down"))) == first
    finally:
        with app.app_context():
            ReferenceCode.__table__.create(db.engine)
