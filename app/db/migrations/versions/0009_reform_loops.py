"""Records of the reform plan's loops: interventions (干预留痕), urgent response check-ins, complainants and
replies to them (投诉举报), replies to 抄告 (双向反馈) and grid patrol tier changes (§2).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = (
    "notice_replies",
    "interventions",
    "response_checkins",
    "complaint_replies",
    "complainants",
    "grid_tier_changes",
)


def upgrade() -> None:
    op.create_table(
        "grid_tier_changes",
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("grid_id", sa.String(length=64), nullable=False),
        sa.Column("from_tier", sa.Integer(), nullable=True),
        sa.Column("to_tier", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("changed_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["grids.id"], name=op.f("fk_grid_tier_changes_grid_id_grids")),
        sa.ForeignKeyConstraint(
            ["township_id"], ["townships.id"], name=op.f("fk_grid_tier_changes_township_id_townships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_tier_changes")),
    )
    with op.batch_alter_table("grid_tier_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grid_tier_changes_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grid_tier_changes_township_id"), ["township_id"], unique=False)

    op.create_table(
        "complainants",
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("received_at", app.models.base.UTCDateTime(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("wants_reply", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_complainants_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["township_id"], ["townships.id"], name=op.f("fk_complainants_township_id_townships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complainants")),
    )
    with op.batch_alter_table("complainants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complainants_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complainants_township_id"), ["township_id"], unique=False)

    op.create_table(
        "complaint_replies",
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("replied_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_complaint_replies_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["township_id"], ["townships.id"], name=op.f("fk_complaint_replies_township_id_townships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_replies")),
    )
    with op.batch_alter_table("complaint_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_replies_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_replies_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_replies_township_id"), ["township_id"], unique=False)

    op.create_table(
        "response_checkins",
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("location_source", sa.String(length=16), nullable=False),
        sa.Column("elapsed_seconds", sa.Integer(), nullable=False),
        sa.Column("target_seconds", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_response_checkins_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["township_id"], ["townships.id"], name=op.f("fk_response_checkins_township_id_townships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_checkins")),
    )
    with op.batch_alter_table("response_checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_response_checkins_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_response_checkins_township_id"), ["township_id"], unique=False)

    op.create_table(
        "interventions",
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("inspection_id", sa.String(length=64), nullable=True),
        sa.Column("task_id", sa.String(length=64), nullable=True),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("intervener_name", sa.String(length=60), nullable=False),
        sa.Column("intervener_post", sa.String(length=120), nullable=False),
        sa.Column("occurred_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("corrects_id", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], name=op.f("fk_interventions_inspection_id_inspections")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_interventions_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["township_id"], ["townships.id"], name=op.f("fk_interventions_township_id_townships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interventions")),
    )
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interventions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interventions_corrects_id"), ["corrects_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interventions_inspection_id"), ["inspection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interventions_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interventions_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interventions_township_id"), ["township_id"], unique=False)

    op.create_table(
        "notice_replies",
        sa.Column("township_id", sa.String(length=64), nullable=False),
        sa.Column("referral_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("replied_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("replier", sa.String(length=120), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_notice_replies_referral_id_referrals")
        ),
        sa.ForeignKeyConstraint(
            ["township_id"], ["townships.id"], name=op.f("fk_notice_replies_township_id_townships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_replies")),
    )
    with op.batch_alter_table("notice_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_replies_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_replies_referral_id"), ["referral_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_replies_township_id"), ["township_id"], unique=False)
    # referrals.case_id comes with the cases migration (0005)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
