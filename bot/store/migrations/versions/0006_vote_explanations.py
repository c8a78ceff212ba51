"""Who was told privately why their reaction on a placement did not count (once each).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Hand-written to match bot/store/models.py (VoteExplanation);
tests/store/test_migrations.py holds models and migrations equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vote_explanations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placements.id"],
            name="fk_vote_explanations_placement_id_placements", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_vote_explanations"),
        sa.UniqueConstraint(
            "placement_id", "user_id", name="uq_vote_explanations_placement_id_user_id"
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("vote_explanations")
