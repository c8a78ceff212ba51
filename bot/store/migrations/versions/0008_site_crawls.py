"""Crawls of the own site kept for 7 days, and each day's internal-support count.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Hand-written to match bot/store/models.py (SiteCrawlRow,
RdSnapshotRow.internal_linking_pages); tests/store/test_migrations.py holds
models and migrations equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "site_crawls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=2048), nullable=False),
        sa.Column("sample_data", sa.Boolean(), nullable=False),
        sa.Column("pages", json, nullable=False),
        sa.Column("pages_failed", sa.Integer(), nullable=False),
        sa.Column("stopped", sa.String(length=200), nullable=True),
        sa.Column("crawled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_site_crawls_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_site_crawls"),
        sa.UniqueConstraint(
            "workspace_id",
            "site",
            "sample_data",
            name="uq_site_crawls_workspace_id_site_sample_data",
        ),
    )
    op.create_index("ix_site_crawls_expires_at", "site_crawls", ["expires_at"])
    op.add_column("rd_snapshots", sa.Column("internal_linking_pages", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rd_snapshots") as batch:
        batch.drop_column("internal_linking_pages")
    op.drop_index("ix_site_crawls_expires_at", table_name="site_crawls")
    op.drop_table("site_crawls")
