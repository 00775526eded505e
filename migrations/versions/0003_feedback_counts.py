"""feedback counts: "Did this solve your problem?" per day, content version, outcome, vote and reason

Counts only: no time of day, no address, no browser (docs/insights.md).

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_count',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('flow_version', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('vote', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.String(length=24), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'flow_version', 'outcome', 'vote', 'reason')
    )


def downgrade():
    op.drop_table('feedback_count')
