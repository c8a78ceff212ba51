"""The packaged migrations build exactly the schema the models describe, and take it down again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from bot.store import migrate
from bot.store.db import make_engine
from bot.store.models import Base

TABLES = {"workspaces", "campaigns", "provider_cache_entries", "rd_snapshots", "analyses"}


def _tables(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table_and_records_head(database_url: str) -> None:
    assert migrate.current_revision(database_url) is None

    migrate.upgrade(database_url)

    assert _tables(database_url) >= TABLES
    assert migrate.current_revision(database_url) == migrate.head_revision()


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)

    assert migrate.current_revision(database_url) == migrate.head_revision()


def test_downgrade_to_base_removes_every_table(database_url: str) -> None:
    migrate.upgrade(database_url)

    migrate.downgrade(database_url, "base")

    assert _tables(database_url) & TABLES == set()
    assert migrate.current_revision(database_url) is None


def test_models_and_migrated_schema_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_migrations_need_no_alembic_ini(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `linkgap db upgrade` runs from wherever the release step starts, with no ini beside it.
    monkeypatch.chdir(tmp_path)

    migrate.upgrade(database_url)

    assert migrate.current_revision(database_url) == migrate.head_revision()
