"""Workspaces remember when Slack took the app away from them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

``workspaces.disabled_at`` and ``disabled_reason`` (Workspace in
bot/store/models.py): set by ``app_uninstalled`` or a revoked bot token,
cleared when the workspace installs or uses the app again. Nullable columns,
so existing rows stay enabled. tests/store/test_migrations.py holds models and
migrations equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("disabled_reason", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("disabled_reason")
        batch.drop_column("disabled_at")
