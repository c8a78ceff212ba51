"""The failed checks an approver overruled with "Approve anyway", kept on the vote.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Hand-written to match bot/store/models.py (Vote.overridden_checks);
tests/store/test_migrations.py holds models and migrations equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.add_column("votes", sa.Column("overridden_checks", json, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("votes") as batch:
        batch.drop_column("overridden_checks")
