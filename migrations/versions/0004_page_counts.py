"""page counts: views, answers and arrivals per day, content version and node

Counts only: no time of day, no address, no browser (docs/insights.md).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_count',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('flow_version', sa.String(length=16), nullable=False),
    sa.Column('node', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'flow_version', 'node', 'kind')
    )


def downgrade():
    op.drop_table('page_count')
