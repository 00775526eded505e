"""Nothing personal is stored: every column of every table is an id, a key, an option key, a desk, a hash,
a flag or a time. A new column fails here until it is added below, with what kind of value it holds."""
from __future__ import annotations

import pytest
from sqlalchemy import String, inspect, select

from wizard import models  # noqa: F401  (the tables register on db.metadata)
from wizard.extensions import db
from wizard.models import ReferenceCode

ALLOWED = {
    "staff_user": {
        "id": "id", "name": "the agent's login name (staff, never a caller)", "desk": "desk",
        "password_hash": "argon2id hash", "session_epoch": "counter", "active": "flag", "created_at": "time",
    },
    "call": {
        "id": "random id", "staff_id": "id", "answers": "[node id, option key] pairs",
        "assumed": "node ids", "sent_back": "flag", "from_code": "reference code",
        "created_at": "time", "updated_at": "time",
    },
    "call_change": {
        "id": "id", "call_id": "id", "at": "time", "kind": "fixed word",
        "node": "node id", "before": "option key", "after": "option key or reference code",
    },
    "reference_code": {  # a situation (a content version's answers), shared by everyone who gave them
        "code": "reference code", "flow_version": "hash of the content", "answers": "[node id, option key] pairs",
        "outcome": "node id", "created_at": "time its content version first ran",
    },
    "audit_event": {"id": "id", "at": "time", "staff_id": "id", "action": "fixed word", "target": "id"},
    # Counts only (docs/insights.md): a day, never a time of day; no address, no browser, no free text.
    "feedback_count": {
        "day": "date (UTC), no time", "flow_version": "hash of the content", "outcome": "node id",
        "vote": "yes or no", "reason": "reason key from the content, or empty", "count": "counter",
    },
    "node_words": {"flow_version": "hash of the content", "node": "node id", "digest": "hash of its wording"},
    "page_count": {
        "day": "date (UTC), no time", "flow_version": "hash of the content", "node": "node id",
        "kind": "view, answer or arrive", "count": "counter",
    },
    "alembic_version": {"version_num": "migration id"},
}
# No text column is long enough for a sentence someone typed; the one exception is a hash.
LONGEST_TEXT = 64
LONGER_ALLOWED = {("staff_user", "password_hash")}


def test_the_database_has_only_the_allowed_columns(storage_app):
    with storage_app.app_context():
        inspector = inspect(db.engine)
        found = {table: {column["name"] for column in inspector.get_columns(table)}
                 for table in inspector.get_table_names()}
    assert found == {table: set(columns) for table, columns in ALLOWED.items()}


def test_the_models_have_only_the_allowed_columns():
    found = {table.name: {column.name for column in table.columns} for table in db.metadata.sorted_tables}
    expected = {table: set(columns) for table, columns in ALLOWED.items() if table != "alembic_version"}
    assert found == expected


@pytest.mark.parametrize("table", [table for table in db.metadata.sorted_tables], ids=lambda table: table.name)
def test_no_text_column_could_hold_free_text(table):
    for column in table.columns:
        if isinstance(column.type, String) and (table.name, column.name) not in LONGER_ALLOWED:
            assert column.type.length is not None and column.type.length <= LONGEST_TEXT, \
                f"{table.name}.{column.name} could hold free text"


def test_kept_reference_codes_hold_only_node_ids_and_option_keys_of_the_flow(storage_app):
    """What keep_codes wrote at start: for each code, answers and an outcome from the flow itself."""
    nodes = storage_app.extensions["triage_engine"].flow.nodes
    with storage_app.app_context():
        rows = db.session.execute(select(ReferenceCode.answers, ReferenceCode.outcome).where(
            ReferenceCode.flow_version == storage_app.extensions["triage_engine"].flow.version)).all()
    assert rows
    for answers, outcome in rows:
        assert outcome in nodes and nodes[outcome].is_outcome
        for node, key in answers:
            assert node in nodes and key in nodes[node].options, (node, key)
