"""keep_codes: at start the running content version's codes are written to ``reference_code`` once, so they
still open after the next content change; each version's codes stay beside the others'. On SQLite and on
PostgreSQL."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest
from helpers import close_app, log_in, start_app
from sqlalchemy import create_engine, func, select, text

from wizard.core.codebook import Codebook
from wizard.core.reference_codes import code_for, format_code
from wizard.core.flow import CONTENT_DIR
from wizard.extensions import db
from wizard.models import ReferenceCode
from wizard.staff import accounts

CHANGES_DATA = ("INSERT", "UPDATE", "DELETE")
FORGOT_PASSWORD = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "forgot"}
PASSWORD = "a-long-password-for-tests"


@pytest.fixture
def reworded_content(tmp_path):
    """The content with one wording file changed: the same questions under a new content version."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    with (content / "text" / "en.yaml").open("a") as wording:
        wording.write("\n# reworded for the next release\n")
    return content


def rows_per_version(url: str) -> Counter:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return Counter(dict(connection.execute(
                text("SELECT flow_version, count(*) FROM reference_code GROUP BY flow_version")).all()))
    finally:
        engine.dispose()


def version_of(app) -> str:
    return app.extensions["triage_engine"].flow.version


def test_the_first_start_keeps_every_code_of_the_running_version_with_what_it_stands_for(database_url):
    app = start_app(database_url)
    try:
        book = Codebook(app.extensions["triage_engine"])
        assert rows_per_version(database_url) == {version_of(app): len(book)}
        with app.app_context():
            rows = db.session.scalars(select(ReferenceCode)).all()
            for row in rows:
                answers = dict(row.answers)
                assert row.code == code_for(row.flow_version, answers)  # the pure function, nothing random
                assert book.get(row.code).answers == answers and list(answers) == [node for node, _ in row.answers]
                assert row.outcome == book.get(row.code).outcome
            assert len({row.created_at for row in rows}) == 1  # one moment: when this version first ran
    finally:
        close_app(app)


def test_a_second_start_on_the_same_database_writes_nothing_more(database_url, statements):
    close_app(start_app(database_url))
    before = rows_per_version(database_url)
    statements.clear()
    close_app(start_app(database_url))
    assert [sql for sql in statements if sql.lstrip().upper().startswith(CHANGES_DATA)] == []
    assert rows_per_version(database_url) == before


def test_two_versions_codes_stay_side_by_side_and_an_earlier_ones_code_still_opens(database_url, reworded_content):
    first = start_app(database_url)
    first_version = version_of(first)
    close_app(first)
    second = start_app(database_url, CONTENT_DIR=reworded_content)
    try:
        second_version = version_of(second)
        assert second_version != first_version
        book = Codebook(second.extensions["triage_engine"])
        assert rows_per_version(database_url) == {first_version: len(book), second_version: len(book)}

        old_code, new_code = code_for(first_version, FORGOT_PASSWORD), code_for(second_version, FORGOT_PASSWORD)
        assert old_code != new_code  # the same answers on other content: another code
        with second.app_context():
            accounts.add("kept-codes-agent", "gsc", PASSWORD)
            kept_since = db.session.scalar(select(func.min(ReferenceCode.created_at))
                                           .where(ReferenceCode.flow_version == first_version))
        client = second.test_client()
        assert log_in(client, "kept-codes-agent", PASSWORD).status_code == 303
        old = " ".join(client.get(f"/staff/lookup/{old_code}").text.split())
        assert f"Code <span aria-hidden=\"true\">{format_code(old_code)}</span>" in old
        assert (f"{first_version}, in use from {kept_since:%B} {kept_since.day}, {kept_since.year}: "
                f"<span class=\"version-differs\">differs from the flow running now ({second_version})") in old
        new = " ".join(client.get(f"/staff/lookup/{new_code}").text.split())
        assert f"{second_version} (the flow running now)" in new
    finally:
        close_app(second)
    # Back to the first content (a release rolled back): its codes are there already, nothing is written.
    close_app(start_app(database_url))
    assert rows_per_version(database_url) == {first_version: len(book), second_version: len(book)}
