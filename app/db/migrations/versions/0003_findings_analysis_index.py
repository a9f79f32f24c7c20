"""Covering index for grid analysis over findings (township, period, grid, matter, result).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_findings_township_found", "findings", ["township_id", "found_at", "grid_id", "matter_code", "result"]
    )


def downgrade() -> None:
    op.drop_index("ix_findings_township_found", table_name="findings")
