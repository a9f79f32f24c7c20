"""Cases (案件) with their events, the case-law configuration editions, documents.case_id, and on referrals
the case, the 案件移送函 and the tracking of a transfer (sent / received / answered).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "cases",
        *_versioned(),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("township_id", sa.String(64), sa.ForeignKey("townships.id", name="fk_cases_township_id_townships"),
                  nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("finding_id", sa.String(64), sa.ForeignKey("findings.id", name="fk_cases_finding_id_findings")),
        sa.Column("inspection_id", sa.String(64),
                  sa.ForeignKey("inspections.id", name="fk_cases_inspection_id_inspections")),
        sa.Column("task_id", sa.String(64), sa.ForeignKey("tasks.id", name="fk_cases_task_id_tasks")),
        sa.Column("referral_id", sa.String(64), sa.ForeignKey("referrals.id", name="fk_cases_referral_id_referrals")),
        sa.Column("source_note", sa.Text(), nullable=False),
        sa.Column("matter_codes", sa.JSON(), nullable=False),
        sa.Column("body_kind", sa.String(16), nullable=False),
        sa.Column("body_id", sa.String(64), nullable=False),
        sa.Column("body_legal_name", sa.String(80), nullable=False),
        sa.Column("number_prefix", sa.String(20), nullable=False),
        sa.Column("body_reason", sa.String(200), nullable=False),
        sa.Column("catalogue_edition", sa.Integer()),
        sa.Column("target_id", sa.String(64), sa.ForeignKey("targets.id", name="fk_cases_target_id_targets")),
        sa.Column("party_name", sa.String(120), nullable=False),
        sa.Column("party_type", sa.String(16), nullable=False),
        sa.Column("party_id_code", sa.String(40), nullable=False),
        sa.Column("party_legal_rep", sa.String(60), nullable=False),
        sa.Column("party_address", sa.String(200), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("act_date", sa.Date(), nullable=False),
        sa.Column("act_end_date", sa.Date()),
        sa.Column("severe_harm", sa.Boolean(), nullable=False),
        sa.Column("complex_case", sa.Boolean(), nullable=False),
        sa.Column("officer_ids", sa.JSON(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.UniqueConstraint("body_id", "year", "seq", name="uq_cases_body_id"),
    )
    for column in ("number", "status", "township_id", "finding_id", "inspection_id", "task_id", "body_id"):
        op.create_index(f"ix_cases_{column}", "cases", [column])
    op.create_table(
        "case_config",
        *_versioned(),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.UniqueConstraint("edition", name="uq_case_config_edition"),
    )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("case_id", sa.String(64)))
        batch.create_foreign_key("fk_documents_case_id_cases", "cases", ["case_id"], ["id"])
        batch.create_index("ix_documents_case_id", ["case_id"])
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("case_id", sa.String(64)))
        batch.add_column(sa.Column("letter_id", sa.String(64)))
        batch.add_column(sa.Column("tracking", sa.JSON(), nullable=False, server_default="[]"))
        batch.create_index("ix_referrals_case_id", ["case_id"])


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_index("ix_referrals_case_id")
        batch.drop_column("tracking")
        batch.drop_column("letter_id")
        batch.drop_column("case_id")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_case_id")
        batch.drop_constraint("fk_documents_case_id_cases", type_="foreignkey")
        batch.drop_column("case_id")
    op.drop_table("case_config")
    op.drop_table("cases")
