"""Jurisdiction on documents and matters: the catalogue edition and reason a document's body was decided under
(`documents.catalogue_edition`, `documents.jurisdiction_reason`), and the first edition listing a matter
(`matters.since_version`, 1 for rows that predate it); a finding's 违法事实 as the officer states it
(`findings.fact`, distinct from the check point it answers; empty for rows that predate it).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fact", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("since_version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalogue_edition", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("jurisdiction_reason", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("jurisdiction_reason")
        batch_op.drop_column("catalogue_edition")
    with op.batch_alter_table("matters", schema=None) as batch_op:
        batch_op.drop_column("since_version")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("fact")
