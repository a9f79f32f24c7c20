"""Chinese full-text search index (bigram FTS5) over tasks, targets and findings, built from existing rows.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from app.search import CREATE_SQL, DROP_SQL, FTS_TABLES, index_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SOURCES = {
    "task": "SELECT id, number, title, description, notes, feedback FROM tasks",
    "target": "SELECT id, name, credit_code, address, industry, legal_rep FROM targets",
    "finding": "SELECT id, check_point, note FROM findings",
}


def upgrade() -> None:
    conn = op.get_bind()
    for sql in CREATE_SQL:
        conn.execute(text(sql))
    for kind, select in SOURCES.items():
        for row in conn.execute(text(select)).fetchall():
            rowid = conn.execute(
                text("INSERT INTO search_docs(kind, ref_id) VALUES (:k, :r) RETURNING rowid"), {"k": kind, "r": row[0]}
            ).scalar_one()
            conn.execute(
                text(f"INSERT INTO {FTS_TABLES[kind]}(rowid, body) VALUES (:i, :b)"),
                {"i": rowid, "b": index_text(*row[1:])},
            )


def downgrade() -> None:
    conn = op.get_bind()
    for sql in DROP_SQL:
        conn.execute(text(sql))
