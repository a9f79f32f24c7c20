"""Search-index queue: records bulk-inserted by a pull wait here until `app.search.drain` indexes them.

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

from alembic import op

from app.search import QUEUE_SQL

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(QUEUE_SQL)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_queue")
