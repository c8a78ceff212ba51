"""Slack side effects recorded before and after each call, so a crash never repeats one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Hand-written to match bot/store/models.py (SlackEffect);
tests/store/test_migrations.py holds models and migrations equal on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_effects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("thread_ts", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("file_id", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("intended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_slack_effects_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_slack_effects"),
        sa.UniqueConstraint("workspace_id", "key", name="uq_slack_effects_workspace_id_key"),
    )
    op.create_index("ix_slack_effects_done_at", "slack_effects", ["done_at"])


def downgrade() -> None:
    op.drop_index("ix_slack_effects_done_at", table_name="slack_effects")
    op.drop_table("slack_effects")
