"""Alembic environment: runs the migrations against the URL ``bot.store.migrate`` hands over.

No alembic.ini is needed: ``bot.store.migrate`` builds the configuration in
code and passes the database URL in ``config.attributes`` (never through the
ini parser, which would mangle ``%`` in passwords).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from bot.store.db import make_engine
from bot.store.models import Base

#: Any constant works; it only has to be the same for every ``linkgap db upgrade``.
_MIGRATION_LOCK_ID = 0x6C696E6B  # "link"


def _database_url() -> str:
    config = context.config
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if url:
        return str(url)
    from bot.config import load_settings  # the one reader of DATABASE_URL (env or .env)

    return load_settings().database_url


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    """Migrate in one transaction, serialised between concurrent deploys on PostgreSQL."""
    engine = make_engine(_database_url())
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Batch mode drops and recreates tables; foreign keys must not fire
                # meanwhile. The pragma only works outside a transaction, and this
                # engine (and its connections) is disposed right after.
                driver = connection.connection.driver_connection
                if driver is None:
                    raise RuntimeError("the SQLite connection was closed before migrating")
                driver.execute("PRAGMA foreign_keys=OFF")
            _configure(connection)
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                    )
                context.run_migrations()
                if connection.dialect.name == "sqlite":
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("linkgap migrations run online only: use `linkgap db upgrade`.")
run_migrations_online()
