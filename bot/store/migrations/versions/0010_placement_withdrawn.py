"""A placement can be withdrawn (``/linkgap withdraw``): the status check allows it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Hand-written to match bot/store/models.py (Placement's status check);
SQLite cannot alter a check constraint, so the batch mode copies the table there.
tests/store/test_migrations.py holds models and migrations equal.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_WITHDRAWN = "status IN ('proposed', 'approved', 'rejected', 'live', 'lost', 'withdrawn')"
WITHOUT = "status IN ('proposed', 'approved', 'rejected', 'live', 'lost')"


def _status_check(condition: str) -> None:
    # The name 0003 gave it: its "ck_placements_status" went through the naming convention.
    name = op.f("ck_placements_ck_placements_status")
    with op.batch_alter_table("placements") as batch:
        batch.drop_constraint(name, type_="check")
        batch.create_check_constraint(name, condition)


def upgrade() -> None:
    _status_check(WITH_WITHDRAWN)


def downgrade() -> None:
    op.execute("UPDATE placements SET status = 'rejected' WHERE status = 'withdrawn'")
    _status_check(WITHOUT)
