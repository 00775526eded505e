"""reference codes are a pure function of content version and answers: no expiry, no answers key

Codes issued before (random, kept 30 days) stay readable: rows not yet expired
are copied with their answers, expired ones (their answers already erased) are
dropped.

Revision ID: 0002
Revises: 0001
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OLD = sa.table('reference_code', sa.column('code', sa.String), sa.column('flow_version', sa.String),
               sa.column('answers', sa.JSON), sa.column('outcome', sa.String),
               sa.column('created_at', sa.DateTime(timezone=True)),
               sa.column('expires_at', sa.DateTime(timezone=True)))


def upgrade():
    new = op.create_table('reference_code_new',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('flow_version', sa.String(length=16), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    now = dt.datetime.now(dt.timezone.utc)
    still_valid = sa.select(OLD.c.code, OLD.c.flow_version, OLD.c.answers, OLD.c.outcome, OLD.c.created_at) \
        .where(OLD.c.expires_at > sa.bindparam('now', now, type_=sa.DateTime(timezone=True)))
    op.execute(new.insert().from_select(['code', 'flow_version', 'answers', 'outcome', 'created_at'], still_valid))
    op.drop_table('reference_code')
    op.rename_table('reference_code_new', 'reference_code')
    if op.get_bind().dialect.name == 'postgresql':  # the key's name follows the table's, as on a fresh database
        op.execute('ALTER TABLE reference_code RENAME CONSTRAINT reference_code_new_pkey TO reference_code_pkey')
    with op.batch_alter_table('reference_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_code_flow_version'), ['flow_version'], unique=False)


def downgrade():
    # Codes made since have no expiry or answers key to give back: start the old table afresh.
    op.drop_table('reference_code')
    op.create_table('reference_code',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('answers_key', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('flow_version', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code'),
    sa.UniqueConstraint('answers_key')
    )
    with op.batch_alter_table('reference_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_code_expires_at'), ['expires_at'], unique=False)
