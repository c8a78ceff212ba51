"""Initial schema: workspaces, campaigns, provider cache, RD snapshots, analyses.

Revision ID: 0001
Revises:
Create Date: 2025-11-24

Hand-written to match bot/store/models.py; tests/store/test_migrations.py
checks with Alembic's compare_metadata that the two agree on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    # Frozen here rather than imported, so later model changes cannot rewrite history.
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("settings", _json(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workspaces"),
        sa.UniqueConstraint("enterprise_id", "team_id", name="uq_workspaces_enterprise_id_team_id"),
    )
    op.create_index(
        "uq_workspaces_team_id_no_enterprise",
        "workspaces",
        ["team_id"],
        unique=True,
        sqlite_where=sa.text("enterprise_id IS NULL"),
        postgresql_where=sa.text("enterprise_id IS NULL"),
    )

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(length=200), nullable=False),
        sa.Column("keyword_key", sa.String(length=200), nullable=False),
        sa.Column("target_url", sa.String(length=2048), nullable=False),
        sa.Column("target_key", sa.String(length=2048), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("approvals_channel_id", sa.String(length=32), nullable=True),
        sa.Column("approvers", _json(), nullable=False),
        sa.Column("approver_usergroup", sa.String(length=32), nullable=True),
        sa.Column("brand_terms", _json(), nullable=False),
        sa.Column("topic_terms", _json(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=False),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=False),
        sa.Column("digest_minute", sa.SmallInteger(), nullable=False),
        sa.Column("settings", _json(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("digest_weekday BETWEEN 0 AND 6", name="ck_campaigns_digest_weekday"),
        sa.CheckConstraint("digest_hour BETWEEN 0 AND 23", name="ck_campaigns_digest_hour"),
        sa.CheckConstraint("digest_minute BETWEEN 0 AND 59", name="ck_campaigns_digest_minute"),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_campaigns_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
    )
    op.create_index("ix_campaigns_workspace_id", "campaigns", ["workspace_id"])
    op.create_index(
        "uq_campaigns_active_keyword_target",
        "campaigns",
        ["workspace_id", "keyword_key", "target_key"],
        unique=True,
        sqlite_where=sa.text("archived_at IS NULL"),
        postgresql_where=sa.text("archived_at IS NULL"),
    )

    op.create_table(
        "provider_cache_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("cache_key", sa.String(length=64), nullable=False),
        sa.Column("query", _json(), nullable=False),
        sa.Column("payload", _json(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_provider_cache_entries_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_provider_cache_entries"),
        sa.UniqueConstraint(
            "workspace_id",
            "provider",
            "cache_key",
            name="uq_provider_cache_entries_workspace_id_provider_cache_key",
        ),
    )
    op.create_index(
        "ix_provider_cache_entries_expires_at", "provider_cache_entries", ["expires_at"]
    )

    op.create_table(
        "rd_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("page_key", sa.String(length=2048), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("referring_domains", sa.Integer(), nullable=False),
        sa.Column("quality_referring_domains", sa.Integer(), nullable=False),
        sa.Column("quality_domains", _json(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("referring_domains >= 0", name="ck_rd_snapshots_referring_domains"),
        sa.CheckConstraint(
            "quality_referring_domains >= 0", name="ck_rd_snapshots_quality_referring_domains"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_rd_snapshots_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_rd_snapshots"),
        sa.UniqueConstraint(
            "workspace_id", "page_key", "day", name="uq_rd_snapshots_workspace_id_page_key_day"
        ),
    )

    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("keyword", sa.String(length=200), nullable=False),
        sa.Column("target_url", sa.String(length=2048), nullable=False),
        sa.Column("target_key", sa.String(length=2048), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("sample_data", sa.Boolean(), nullable=False),
        sa.Column("entry_target", sa.Integer(), nullable=True),
        sa.Column("stretch_target", sa.Integer(), nullable=True),
        sa.Column("entry_gap", sa.Integer(), nullable=True),
        sa.Column("stretch_gap", sa.Integer(), nullable=True),
        sa.Column("report", _json(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_analyses_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_analyses_campaign_id_campaigns",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_analyses"),
    )
    op.create_index(
        "ix_analyses_workspace_id_created_at", "analyses", ["workspace_id", "created_at"]
    )
    op.create_index("ix_analyses_campaign_id", "analyses", ["campaign_id"])


def downgrade() -> None:
    op.drop_index("ix_analyses_campaign_id", table_name="analyses")
    op.drop_index("ix_analyses_workspace_id_created_at", table_name="analyses")
    op.drop_table("analyses")
    op.drop_table("rd_snapshots")
    op.drop_index("ix_provider_cache_entries_expires_at", table_name="provider_cache_entries")
    op.drop_table("provider_cache_entries")
    op.drop_index("uq_campaigns_active_keyword_target", table_name="campaigns")
    op.drop_index("ix_campaigns_workspace_id", table_name="campaigns")
    op.drop_table("campaigns")
    op.drop_index("uq_workspaces_team_id_no_enterprise", table_name="workspaces")
    op.drop_table("workspaces")
