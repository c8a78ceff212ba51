"""Shared fixtures: a database on SQLite always, and on PostgreSQL when CI points us at one.

``database_url`` runs each test that uses it twice: on a fresh SQLite file and
on a fresh PostgreSQL schema (``LINKGAP_TEST_DATABASE_URL``). Every
PostgreSQL test gets its own schema, selected with ``search_path`` and dropped
afterwards, so sessions sharing the server never see each other's rows. The
PostgreSQL variants skip loudly when the variable is unset.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, make_session_factory
from bot.store.migrate import upgrade
from tests.migrated import seed_migrated

POSTGRES_ENV = "LINKGAP_TEST_DATABASE_URL"
POSTGRES_EXAMPLE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
POSTGRES_SKIP_REASON = (
    f"PostgreSQL variant not run: set {POSTGRES_ENV} (e.g. {POSTGRES_EXAMPLE}) to run it"
)


def _postgres_skips(terminalreporter: pytest.TerminalReporter) -> int:
    """Skipped reports that carry the PostgreSQL reason, counted where the summary is written.

    Counted from the reports, not in the fixture, so the count is right when the
    suite runs on several workers (each reports back to the process that prints).
    """
    return sum(
        1
        for report in terminalreporter.stats.get("skipped", [])
        if POSTGRES_SKIP_REASON in str(getattr(report, "longrepr", ""))
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = _postgres_skips(terminalreporter)
    if skipped:
        terminalreporter.write_sep(
            "!", f"{skipped} PostgreSQL test variant(s) SKIPPED", yellow=True, bold=True
        )
        terminalreporter.write_line(
            f"Only SQLite was tested. To test PostgreSQL too: {POSTGRES_ENV}={POSTGRES_EXAMPLE}"
        )


class _PostgresSchemas:
    """Creates one throw-away schema per test; the names carry this session's unique prefix."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.prefix = f"lgtest_{uuid.uuid4().hex[:10]}"
        self._counter = itertools.count(1)
        self._admin: Engine | None = None

    @property
    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = make_engine(self.base_url)
        return self._admin

    def create(self) -> tuple[str, str]:
        schema = f"{self.prefix}_{next(self._counter)}"
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(self.base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        return schema, url.render_as_string(hide_password=False)

    def drop(self, schema: str) -> None:
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def close(self) -> None:
        """Drop anything a crashed test left behind, then let go of the connections."""
        if self._admin is None:
            return
        with self.admin.begin() as connection:
            leftovers = connection.scalars(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :prefix"),
                {"prefix": self.prefix + "\\_%"},
            ).all()
            for schema in leftovers:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[_PostgresSchemas | None]:
    base_url = os.environ.get(POSTGRES_ENV, "").strip()
    if not base_url:
        yield None
        return
    schemas = _PostgresSchemas(base_url)
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: os.PathLike[str],
    postgres_schemas: _PostgresSchemas | None,
) -> Iterator[str]:
    """An empty database (not migrated): a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{os.fspath(tmp_path)}/linkgap.db"
        return
    if postgres_schemas is None:
        pytest.skip(POSTGRES_SKIP_REASON)
    schema, url = postgres_schemas.create()
    try:
        yield url
    finally:
        postgres_schemas.drop(schema)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to head (SQLite: a copy of one migrated file)."""
    if not seed_migrated(database_url):
        upgrade(database_url)
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session on the migrated database; uncommitted work is rolled back at the end."""
    with session_factory() as session:
        yield session
