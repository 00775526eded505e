"""node words: a digest of each node's wording per content version (what changed between two versions)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('node_words',
    sa.Column('flow_version', sa.String(length=16), nullable=False),
    sa.Column('node', sa.String(length=40), nullable=False),
    sa.Column('digest', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('flow_version', 'node')
    )


def downgrade():
    op.drop_table('node_words')
