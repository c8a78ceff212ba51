"""Storage: SQLAlchemy models, typed repositories and packaged Alembic migrations.

Other code needs only ``make_engine``, ``make_session_factory``, the two
transaction helpers and the functions of ``bot.store.repositories``.
"""

from __future__ import annotations

from bot.store.db import (
    DEFAULT_DATABASE_URL,
    make_engine,
    make_session_factory,
    parse_database_url,
    redacted_url,
    transaction,
    write_transaction,
)

__all__ = [
    "DEFAULT_DATABASE_URL",
    "make_engine",
    "make_session_factory",
    "parse_database_url",
    "redacted_url",
    "transaction",
    "write_transaction",
]
