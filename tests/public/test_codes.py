"""Reference codes on the public side.

The outcome page shows the code made from the content version and the answers (no database): everyone who
gives the same answers sees the same code. /r/<code> opens today's advice for it: a code of the running
content needs no database (the codebook in memory); a code of earlier content is read from the
reference_code table, where the app keeps each version's codes when that version first starts.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import re
import shutil

import pytest
import sqlalchemy
from helpers import TEST_CONFIG, Wizard
from page_addresses import PUBLIC_CACHE, open_page, version_of
from sqlalchemy import delete, func, select, text

from app import create_app
from wizard.code_lookup import current_codebook, keep_codes, look_up
from wizard.core import reference_codes as core_codes
from wizard.core.codebook import SavedAnswers, outcome_paths
from wizard.core.reference_codes import code_for
from wizard.extensions import db
from wizard.models import ReferenceCode

FORGOT_PASSWORD = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
CAC_PIN_LOCKED = (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "pin_locked"))
CAC_NO_READER = (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
CODE_LINK = re.compile(r'href="/r/([2-9A-Z]{8})"')
EARLIER_VERSION = "0123456789ab"  # content this service ran before today's
EARLIER_CODE = "ZZZZ2222"  # a code of that version, kept in the reference_code table
UNAVAILABLE = "We cannot open this saved result at the moment."


def app_with_database(path, **config):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", **config})


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app with its own database, so rows from other tests never meet these (lookups limited only
    by test_looking_up_codes_is_rate_limited)."""
    return app_with_database(tmp_path_factory.mktemp("codes") / "wizard.db", CODE_LOOKUP_LIMIT="1000 per minute")


@pytest.fixture
def client(app):
    return app.test_client()


def outcome_page(app, *answers) -> Wizard:
    """A new person (a browser of their own) answering through the pages."""
    return Wizard(app.test_client()).walk(*answers)


def code_on(page: str) -> str | None:
    match = CODE_LINK.search(page)
    return match.group(1) if match else None


def visible_text(page_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def keep_earlier_code(app, code: str = EARLIER_CODE, answers=FORGOT_PASSWORD, outcome: str = "dsl_forgot",
                      created_at: dt.datetime = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc)) -> None:
    """A row as keep_codes wrote it when the earlier content version first started."""
    with app.app_context():
        assert current_codebook().get(code) is None  # not also a code of today's content
        db.session.add(ReferenceCode(code=code, flow_version=EARLIER_VERSION, answers=[list(pair) for pair in answers],
                                     outcome=outcome, created_at=created_at))
        db.session.commit()


def rows_of(app, version: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReferenceCode)
                                 .where(ReferenceCode.flow_version == version))


# ---------------------------------------------------------------- on the outcome page

def test_the_outcome_page_shows_the_code_of_its_answers_after_the_steps(app):
    page = outcome_page(app, *FORGOT_PASSWORD)
    code = code_on(page.html)
    assert code == code_for(version_of(app), dict(FORGOT_PASSWORD))
    formatted = core_codes.format_code(code)
    assert f"Your reference code: {formatted}" in page.text
    assert "If you call DMDC (Defense Manpower Data Center), you can read them this code" in page.text
    assert " days" not in page.text[page.text.index("Your reference code"):]  # no expiry
    # the answer, the main number and the steps come first; the code does not push step 1 off the first screen
    main_number, what_to_do, shown = (page.html.index(marker) for marker in
                                      ('class="main-contact"', "<h2>What to do</h2>", formatted))
    assert main_number < what_to_do < shown


def test_the_code_is_offered_only_to_the_desks_on_the_page_that_use_this_tool(app):
    va_only = (("topic", "inside_portal"), ("portal_issue", "no_record"), ("record_whose", "own"),
               ("record_care_where", "va_only"))
    page = outcome_page(app, *va_only)
    assert "read them this code" not in page.text  # VA does not use this tool
    assert "Your reference code" in page.text
    carer = (("topic", "helping_someone"), ("helping_whom", "adult_cannot"))
    assert "If you call DMDC (Defense Manpower Data Center), you can read them" in outcome_page(app, *carer).text


def test_a_screen_reader_reads_the_code_one_character_at_a_time(app):
    page = outcome_page(app, *FORGOT_PASSWORD)
    code = code_on(page.html)
    assert f'<span aria-hidden="true">{core_codes.format_code(code)}</span>' in page.html
    assert f'<span class="visually-hidden">{" ".join(code[:4])}, {" ".join(code[4:])}</span>' in page.html


def test_two_people_with_the_same_answers_see_the_same_code(app, tmp_path):
    one, two = outcome_page(app, *FORGOT_PASSWORD), outcome_page(app, *FORGOT_PASSWORD)
    assert code_on(one.html) == code_on(two.html)
    elsewhere = outcome_page(app_with_database(tmp_path / "other.db"), *FORGOT_PASSWORD)  # another instance
    assert code_on(elsewhere.html) == code_on(one.html)


def test_different_answers_get_a_different_code(app):
    assert code_on(outcome_page(app, *FORGOT_PASSWORD).html) != code_on(outcome_page(app, *CAC_PIN_LOCKED).html)


def test_every_outcome_a_person_reaches_shows_the_code_of_exactly_their_answers(app, every_outcome):
    """Each outcome of tests/routes.py, answered through the pages: the desk's lookup of the code shown
    gives back exactly those answers, in order, and that outcome."""
    wrong = []
    for outcome, answers in every_outcome.items():
        page = Wizard(app.test_client()).walk(*answers.items())
        assert page.path == f"/q/{outcome}"
        with app.app_context():
            found = look_up(code_on(page.html))
        if found.state != "found" or (list(found.saved.answers.items()), found.saved.outcome) != \
                (list(answers.items()), outcome):
            wrong.append(f"{outcome}: {found}")
    assert wrong == []


@pytest.mark.slow  # a sweep of thousands of pages: `make test` runs it, the edit-run loop leaves it out
def test_every_outcome_page_of_the_flow_shows_the_code_the_codebook_maps_back_to_it(app, client):
    """Every way to an outcome (thousands), each page at its own address."""
    engine = app.extensions["triage_engine"]
    with app.app_context():
        book = current_codebook()
    shown = set()
    for answers, outcome in outcome_paths(engine):
        code = code_on(open_page(client, outcome, answers).text)
        assert book.get(code) == SavedAnswers(answers, outcome, version_of(app)), (answers, outcome)
        shown.add(code)
    assert shown == set(book.entries)


def test_an_outcome_seen_again_after_carrying_on_shows_its_own_code(app):
    page = outcome_page(app, *CAC_NO_READER)
    first = code_on(page.html)
    page.answer("cac_no_reader", "use_ds_logon")
    assert page.path == "/q/dsl_status"
    back = html.unescape(re.search(r'<a class="back-link" href="([^"]+)"', page.html).group(1))
    again = page.client.get(back)
    assert again.request.path == "/q/cac_no_reader" and "cac_no_reader=use_ds_logon" in back
    assert code_on(again.text) == first == code_for(version_of(app), dict(CAC_NO_READER))  # not the later answers
    page.answer("dsl_status", "forgot")
    assert code_on(page.html) == code_for(version_of(app), {**dict(CAC_NO_READER), "cac_no_reader": "use_ds_logon",
                                                             "dsl_status": "forgot"})


def test_showing_outcomes_writes_nothing_and_sets_no_cookie(app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ReferenceCode))
    for answers in (FORGOT_PASSWORD, CAC_PIN_LOCKED, (("topic", "portal_down"),)):
        page = outcome_page(app, *answers)
        assert page.page.status_code == 200 and code_on(page.html)
        assert "Set-Cookie" not in page.page.headers
        assert page.page.headers["Cache-Control"] == PUBLIC_CACHE
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReferenceCode)) == before


# ---------------------------------------------------------------- the codes kept for after the next content change

def test_at_start_the_running_versions_codes_are_kept_once(app):
    with app.app_context():
        book = current_codebook()
        kept = {row.code: row for row in db.session.scalars(
            select(ReferenceCode).where(ReferenceCode.flow_version == version_of(app)))}
    assert set(kept) == set(book.entries) and len(kept) >= 1597
    row = kept[code_for(version_of(app), dict(FORGOT_PASSWORD))]
    assert (row.answers, row.outcome) == ([list(pair) for pair in FORGOT_PASSWORD], "dsl_forgot")
    assert row.created_at is not None
    assert keep_codes(app) == 0  # this version is there already: nothing written again
    assert rows_of(app, version_of(app)) == len(kept)


def test_a_new_version_is_kept_whole_and_an_earlier_versions_code_keeps_its_row(tmp_path):
    fresh = app_with_database(tmp_path / "wizard.db")
    version = version_of(fresh)
    clash = code_for(version, dict(FORGOT_PASSWORD))  # as if an earlier version had made the same code
    with fresh.app_context():
        size = len(current_codebook())
        db.session.execute(delete(ReferenceCode))
        db.session.add(ReferenceCode(code=clash, flow_version=EARLIER_VERSION, answers=[["topic", "portal_down"]],
                                     outcome="portal_outage", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)))
        db.session.commit()
    assert keep_codes(fresh) == size - 1
    assert keep_codes(fresh) == 0
    assert rows_of(fresh, version) == size - 1
    with fresh.app_context():
        assert db.session.get(ReferenceCode, clash).flow_version == EARLIER_VERSION
    page = fresh.test_client().get(f"/r/{clash}")
    assert "Recover your DS Logon username or password" in visible_text(page.text)  # today's meaning of the code wins


def test_a_kept_code_holds_a_situation_never_a_person():
    assert {column.name for column in ReferenceCode.__table__.columns} == {
        "code", "flow_version", "answers", "outcome", "created_at"}


# ---------------------------------------------------------------- /r/<code>

def test_the_saved_result_shows_todays_advice_read_only_in_any_browser(app):
    code = code_on(outcome_page(app, *FORGOT_PASSWORD).html)
    page = app.test_client().get(f"/r/{code}")
    assert page.status_code == 200
    words = visible_text(page.text)
    assert "This is the result for the answers behind a reference code, with today's advice." in words
    assert "Recover your DS Logon username or password" in words and "1-800-368-3665" in words
    assert f"Reference code: {core_codes.format_code(code)}" in words
    assert "How you are trying to sign in DS Logon" in words  # the answers, without Change links
    assert "<form" not in page.text and "Change" not in words
    assert 'href="/"' in page.text  # start the questions yourself
    assert "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"] == PUBLIC_CACHE
    assert page.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("typed", [str.lower, core_codes.format_code, lambda code: core_codes.format_code(code).lower()])
def test_the_saved_result_opens_however_the_code_is_typed(app, client, typed):
    """Any spelling of the code is sent (303) to its one address, the only one that may be cached."""
    code = code_for(version_of(app), dict(CAC_PIN_LOCKED))
    moved = client.get(f"/r/{typed(code)}")
    assert moved.status_code == 303 and moved.headers["Location"] == f"/r/{code}"
    assert moved.headers["Cache-Control"] == "no-store"
    page = client.get(f"/r/{typed(code)}", follow_redirects=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == PUBLIC_CACHE
    assert f"Reference code: {core_codes.format_code(code)}" in visible_text(page.text)


def test_an_earlier_versions_code_opens_from_the_database_with_todays_advice(app, client):
    keep_earlier_code(app, "ZZZZ3333", outcome="dsl_locked")  # those answers led elsewhere on that content
    page = client.get("/r/ZZZZ3333")
    assert page.status_code == 200
    words = visible_text(page.text)
    assert "Recover your DS Logon username or password" in words  # where the same answers lead today
    assert "Reference code: ZZZZ-3333" in words and "How you are trying to sign in DS Logon" in words
    with app.app_context():
        found = look_up("zzzz-3333")
    assert found.saved == SavedAnswers(dict(FORGOT_PASSWORD), "dsl_locked", EARLIER_VERSION)
    assert found.kept_since == dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc)


def test_a_saved_result_whose_questions_are_gone_says_so(app, client):
    keep_earlier_code(app, "ZZZZ4444", answers=(("gone_question", "gone"),), outcome="gone_outcome")
    page = client.get("/r/ZZZZ4444")
    assert page.status_code == 200
    assert "Our questions have changed since this code was made" in visible_text(page.text)


def test_an_unknown_code_is_a_404_that_says_so(client):
    page = client.get("/r/K7PM4QX2")
    assert page.status_code == 404
    assert "There is no saved result for the reference code K7PM-4QX2. Check the code." in visible_text(page.text)
    assert page.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("typed", ["K7PM4QX", "K7PM4QX0", "hello", "K7PM4QX2K7PM4QX2"])
def test_something_that_is_not_a_code_is_a_404(client, typed):
    page = client.get(f"/r/{typed}")
    assert page.status_code == 404
    assert "There is no saved result at this address. A reference code has 8 letters and numbers" in \
        visible_text(page.text)
    assert typed not in page.text


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

def remove_the_database(app, directory, monkeypatch):
    shutil.rmtree(directory)
    with app.app_context():
        db.engine.dispose()  # the next connection finds no database


def every_read_fails(app, directory, monkeypatch):
    def refuse(*args, **kwargs):
        raise sqlalchemy.exc.OperationalError("SELECT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "get", refuse)


@pytest.mark.parametrize("break_it", [remove_the_database, every_read_fails])
def test_without_the_database_todays_codes_still_open_and_earlier_ones_say_unavailable(tmp_path, caplog,
                                                                                        monkeypatch, break_it):
    directory = tmp_path / "database"
    directory.mkdir()
    broken = app_with_database(directory / "wizard.db")
    keep_earlier_code(broken)
    break_it(broken, directory, monkeypatch)
    caplog.set_level(logging.INFO)
    caplog.clear()  # only what happens from here on
    client = broken.test_client()

    page = outcome_page(broken, *FORGOT_PASSWORD)  # the outcome page needs no database either
    assert page.page.status_code == 200
    code = code_on(page.html)
    assert code == code_for(version_of(broken), dict(FORGOT_PASSWORD))
    saved = client.get(f"/r/{code}")
    assert saved.status_code == 200 and "Recover your DS Logon username or password" in visible_text(saved.text)

    for earlier in (EARLIER_CODE, "K7PM4QX2", EARLIER_CODE):  # known or not, only the database could tell
        refused = client.get(f"/r/{earlier}")
        assert refused.status_code == 503
        assert refused.headers["Cache-Control"] == "no-store"
        assert UNAVAILABLE in visible_text(refused.text)
    assert client.get("/r/hello").status_code == 404  # not a code: no database needed to say so

    outage = [record for record in caplog.records if record.name == "wizard.code_lookup"]
    assert len(outage) == 1, [record.getMessage() for record in outage]
    assert outage[0].levelno == logging.ERROR and outage[0].exc_info is None
    assert "saved results of earlier content versions unavailable" in outage[0].getMessage()
    assert not re.search("select|reference_code|ZZZZ|K7PM", outage[0].getMessage(), re.I)  # no SQL, no codes


def test_the_outage_log_speaks_at_most_once_a_minute(monkeypatch, caplog):
    from wizard import code_lookup as codes
    from wizard.web import quiet_log

    clock = iter([1000.0, 1010.0, 1059.0, 1061.0])
    monkeypatch.setattr(quiet_log.time, "monotonic", lambda: next(clock))
    outage = quiet_log.QuietLog(codes.log, "reference codes unavailable")
    for _ in range(4):
        outage.report(RuntimeError("down"))
    lines = [record.getMessage() for record in caplog.records if record.name == "wizard.code_lookup"]
    assert len(lines) == 2
    assert lines[1].endswith("; 2 more failures since the last report")


# ---------------------------------------------------------------- on PostgreSQL too

def test_on_postgresql_codes_are_kept_once_and_open_with_and_without_the_table(postgres):
    from helpers import close_app, start_app

    url = postgres.create_database()
    first, second = start_app(url), None
    try:
        version = version_of(first)
        with first.app_context():
            size = len(current_codebook())
        assert rows_of(first, version) == size
        second = start_app(url)  # a second instance on the same database writes nothing again
        assert rows_of(second, version) == size and keep_codes(second) == 0

        keep_earlier_code(first)
        assert first.test_client().get(f"/r/{EARLIER_CODE}").status_code == 200
        forgot = code_for(version, dict(FORGOT_PASSWORD))
        assert code_on(outcome_page(second, *FORGOT_PASSWORD).html) == forgot

        with second.app_context():
            db.session.execute(text("DROP TABLE reference_code"))  # PostgreSQL says ProgrammingError: a DBAPIError
            db.session.commit()
        client = second.test_client()
        assert client.get(f"/r/{forgot}").status_code == 200  # today's codes: no database
        assert client.get(f"/r/{EARLIER_CODE}").status_code == 503
    finally:
        close_app(first)
        if second is not None:
            close_app(second)
