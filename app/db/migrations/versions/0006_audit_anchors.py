"""Audit anchoring: a keyed MAC per audit row and the platform's signed receipts of chain heads.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_receipts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("server_url", sa.String(length=300), nullable=False),
        sa.Column("chain_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_receipts")),
    )
    op.create_index("ix_audit_receipts_seq", "audit_receipts", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_receipts_seq", table_name="audit_receipts")
    op.drop_table("audit_receipts")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("mac")
