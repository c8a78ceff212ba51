"""The dialect's own ``INSERT ... ON CONFLICT``, which both SQLite and PostgreSQL speak.

A select-then-insert races; an insert that names its conflict target does not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_on_conflict(session: Session, table: Any) -> postgresql.Insert | sqlite.Insert:
    """``insert(table)`` with ``on_conflict_do_nothing``/``do_update`` for this bind."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"linkgap's store supports SQLite and PostgreSQL, not {dialect}")
