"""Placements and their votes (vetting and approvals), digest claims, campaign metrics.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Hand-written to match bot/store/models.py (Placement, Vote, DigestPost,
CampaignMetric); tests/store/test_migrations.py holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("prospect_url", sa.String(length=2048), nullable=False),
        sa.Column("prospect_domain", sa.String(length=255), nullable=False),
        sa.Column("target_url", sa.String(length=2048), nullable=False),
        sa.Column("anchor", sa.String(length=300), nullable=False),
        sa.Column("anchor_class", sa.String(length=16), nullable=False),
        sa.Column("placement_type", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("checks", _json(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("decided_by", _json(), nullable=False),
        _ts("decided_at", nullable=True),
        sa.Column("live_url", sa.String(length=2048), nullable=True),
        _ts("live_at", nullable=True),
        _ts("lost_at", nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.UniqueConstraint("job_id", name="uq_placements_job_id"),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'rejected', 'live', 'lost')",
            name="ck_placements_status",
        ),
        sa.CheckConstraint("verdict IN ('pass', 'warn', 'fail')", name="ck_placements_verdict"),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"],
            name="fk_placements_workspace_id_workspaces", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"],
            name="fk_placements_campaign_id_campaigns", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_placements"),
    )  # fmt: skip
    op.create_index("ix_placements_workspace_id_status", "placements", ["workspace_id", "status"])
    op.create_index("ix_placements_campaign_id_status", "placements", ["campaign_id", "status"])

    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("emoji", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        _ts("created_at"),
        sa.CheckConstraint("action IN ('add', 'remove')", name="ck_votes_action"),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"],
            name="fk_votes_placement_id_placements", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_votes"),
        sa.UniqueConstraint("event_id", name="uq_votes_event_id"),
    )  # fmt: skip
    op.create_index(
        "ix_votes_placement_id_user_id_emoji", "votes", ["placement_id", "user_id", "emoji"]
    )

    op.create_table(
        "digest_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=128), nullable=True),
        _ts("lease_expires_at", nullable=True),
        _ts("claimed_at"),
        _ts("posted_at", nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('claimed', 'posting', 'posted', 'failed')", name="ck_digest_posts_status"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"],
            name="fk_digest_posts_campaign_id_campaigns", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_digest_posts"),
        sa.UniqueConstraint("campaign_id", "period", name="uq_digest_posts_campaign_id_period"),
    )  # fmt: skip

    op.create_table(
        "campaign_metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=True),
        sa.Column("impressions", sa.Integer(), nullable=True),
        sa.Column("position", sa.Float(), nullable=True),
        _ts("recorded_at"),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"],
            name="fk_campaign_metrics_campaign_id_campaigns", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_metrics"),
        sa.UniqueConstraint(
            "campaign_id", "day", "source", name="uq_campaign_metrics_campaign_id_day_source"
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("campaign_metrics")
    op.drop_table("digest_posts")
    op.drop_index("ix_votes_placement_id_user_id_emoji", table_name="votes")
    op.drop_table("votes")
    op.drop_index("ix_placements_campaign_id_status", table_name="placements")
    op.drop_index("ix_placements_workspace_id_status", table_name="placements")
    op.drop_table("placements")
