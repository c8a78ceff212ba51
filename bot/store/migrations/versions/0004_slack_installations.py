"""Slack installations, bot tokens and OAuth states for multi-workspace installs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Hand-written to match bot/store/models.py (SlackInstallation, SlackBot,
SlackOAuthState): slack_sdk's SQLAlchemy store tables, created here rather than
with the stores' ``create_tables()`` at run time, with Text token columns (they
hold Fernet ciphertext). tests/store/test_migrations.py holds models and
migrations equal on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def _text(name: str, length: int = 200) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=True)


def _secret(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=True)


def _naive_ts(name: str, nullable: bool = True) -> sa.Column:
    # slack_sdk writes naive UTC datetimes and compares installed_at for equality.
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _id("client_id", nullable=False),
        _id("app_id", nullable=False),
        _id("enterprise_id"),
        _text("enterprise_name"),
        _text("enterprise_url"),
        _id("team_id"),
        _text("team_name"),
        _secret("bot_token"),
        _id("bot_id"),
        _id("bot_user_id"),
        _text("bot_scopes", 1000),
        _secret("bot_refresh_token"),
        _naive_ts("bot_token_expires_at"),
        _id("user_id", nullable=False),
        _secret("user_token"),
        _text("user_scopes", 1000),
        _secret("user_refresh_token"),
        _naive_ts("user_token_expires_at"),
        _secret("incoming_webhook_url"),
        _text("incoming_webhook_channel"),
        _text("incoming_webhook_channel_id"),
        _text("incoming_webhook_configuration_url"),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        _id("token_type"),
        _naive_ts("installed_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_installations"),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )

    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _id("client_id", nullable=False),
        _id("app_id", nullable=False),
        _id("enterprise_id"),
        _text("enterprise_name"),
        _id("team_id"),
        _text("team_name"),
        _secret("bot_token"),
        _id("bot_id"),
        _id("bot_user_id"),
        _text("bot_scopes", 1000),
        _secret("bot_refresh_token"),
        _naive_ts("bot_token_expires_at"),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        _naive_ts("installed_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_bots"),
    )
    op.create_index(
        "slack_bots_idx",
        "slack_bots",
        ["client_id", "enterprise_id", "team_id", "installed_at"],
    )

    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=200), nullable=False),
        _naive_ts("expire_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_slack_oauth_states"),
        sa.UniqueConstraint("state", name="uq_slack_oauth_states_state"),
    )
    op.create_index("ix_slack_oauth_states_expire_at", "slack_oauth_states", ["expire_at"])


def downgrade() -> None:
    op.drop_index("ix_slack_oauth_states_expire_at", table_name="slack_oauth_states")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
