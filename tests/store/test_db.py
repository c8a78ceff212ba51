"""Engines: DATABASE_URL, SQLite's pragmas, and who decides when a transaction begins."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ConfigError
from bot.store.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    make_autocommit_engine,
    make_engine,
    make_session_factory,
    parse_database_url,
    redacted_url,
    statement_connection,
    transaction,
    write_transaction,
)
from bot.store.models import Campaign, Workspace
from bot.store.repositories import CampaignSpec, create_campaign, get_or_create_workspace

# --- DATABASE_URL -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "postgres://u:pw@db.example.com:5432/linkgap",
        "postgresql://u:pw@db.example.com:5432/linkgap",
        "postgresql+psycopg://u:pw@db.example.com:5432/linkgap",
    ],
)
def test_postgres_urls_are_pinned_to_psycopg(given: str) -> None:
    url = parse_database_url(given)

    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database) == ("db.example.com", 5432, "linkgap")


@pytest.mark.parametrize(
    "given",
    [
        "",
        "not a url",
        "mysql://u:secret-pw@host/db",
        "postgresql+psycopg2://u:secret-pw@host/db",
        "postgresql://u:secret-pw@host",
    ],
)
def test_unusable_database_url_is_a_config_error_that_hides_the_password(given: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_database_url(given)

    assert "DATABASE_URL" in caught.value.message
    assert "secret-pw" not in caught.value.message


def test_redacted_url_masks_the_password() -> None:
    shown = redacted_url("postgres://linkgap:s3cr3t@db.example.com/linkgap")

    assert "s3cr3t" not in shown
    assert shown.startswith("postgresql+psycopg://linkgap:***@db.example.com")


def test_engine_creation_never_logs_the_password(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    engine = make_engine("postgresql://linkgap:s3cr3t@127.0.0.1:1/linkgap")
    engine.dispose()

    assert "s3cr3t" not in caplog.text


# --- SQLite pragmas and BEGIN ------------------------------------------------------------------


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path}/pragmas.db")
    yield engine
    engine.dispose()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()

    assert journal_mode == "wal"
    assert foreign_keys == 1
    assert busy_timeout == SQLITE_BUSY_TIMEOUT_MS


def _begins(engine: Engine) -> list[str]:
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("BEGIN"):
            statements.append(statement)

    return statements


def test_write_transaction_begins_immediate_on_sqlite(sqlite_engine: Engine) -> None:
    begins = _begins(sqlite_engine)
    factory = make_session_factory(sqlite_engine)

    with write_transaction(factory) as session:
        session.execute(text("SELECT 1"))

    assert begins == ["BEGIN IMMEDIATE"]


def test_plain_transaction_begins_deferred_on_sqlite(sqlite_engine: Engine) -> None:
    begins = _begins(sqlite_engine)
    factory = make_session_factory(sqlite_engine)

    with transaction(factory) as session:
        session.execute(text("SELECT 1"))

    assert begins == ["BEGIN"]


def test_write_transaction_holds_the_write_lock_from_its_start(tmp_path: Path) -> None:
    path = tmp_path / "lock.db"
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with write_transaction(factory) as session:
            session.execute(text("SELECT 1"))  # only a read so far, yet the lock is ours
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released on commit
        other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_a_statement_on_the_autocommit_engine_sends_no_begin(tmp_path: Path) -> None:
    engine = make_autocommit_engine(f"sqlite:///{tmp_path}/auto.db")
    begins = _begins(engine)
    try:
        with statement_connection(engine) as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()

    assert begins == []


def test_on_another_engine_a_statement_gets_its_own_transaction_and_the_pool_keeps_its_settings(
    sqlite_engine: Engine,
) -> None:
    begins = _begins(sqlite_engine)
    with statement_connection(sqlite_engine) as connection:
        connection.execute(text("SELECT 1"))
    with sqlite_engine.connect() as connection:
        isolation = connection.connection.dbapi_connection.isolation_level  # type: ignore[union-attr]

    assert begins == ["BEGIN IMMEDIATE"]
    assert isolation is None  # we emit BEGIN ourselves; pysqlite never does


def test_threads_of_one_process_queue_for_sqlite_writes_instead_of_sleeping(
    tmp_path: Path,
) -> None:
    """50 concurrent one-row writes with SQLite's busy wait switched off: none is refused."""
    engine = make_engine(f"sqlite:///{tmp_path}/queue.db")
    factory = make_session_factory(engine)

    @event.listens_for(engine, "connect")
    def _no_busy_wait(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE hits (n INTEGER)")
    refused: list[BaseException] = []

    def write(number: int) -> None:
        if number % 2:
            with statement_connection(engine) as connection:
                connection.execute(text("INSERT INTO hits VALUES (:n)"), {"n": number})
        else:
            with write_transaction(factory) as session:
                session.execute(text("INSERT INTO hits VALUES (:n)"), {"n": number})

    def guarded(number: int) -> None:
        try:
            write(number)
        except Exception as error:  # "database is locked" without the process's writer lock
            refused.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        with engine.connect() as connection:
            written = connection.exec_driver_sql("SELECT count(*) FROM hits").scalar()
        assert refused == []
        assert written == 50
    finally:
        engine.dispose()


# --- behaviour on both databases ---------------------------------------------------------------


def test_write_transaction_commits_on_both_databases(
    session_factory: sessionmaker[Session],
) -> None:
    with write_transaction(session_factory) as session:
        get_or_create_workspace(session, "T1")

    with session_factory() as session:
        assert session.scalars(select(Workspace.team_id)).all() == ["T1"]


def test_each_statement_commits_by_itself_on_both_databases(
    session_factory: sessionmaker[Session],
) -> None:
    engine = make_autocommit_engine(session_factory.kw["bind"].url)
    try:
        with statement_connection(engine) as connection:
            connection.execute(insert(Workspace).values(team_id="T1"))
            with session_factory() as other:  # committed already, before the block ends
                assert other.scalars(select(Workspace.team_id)).all() == ["T1"]
    finally:
        engine.dispose()


def test_a_transaction_that_fails_half_way_leaves_nothing_written(
    session_factory: sessionmaker[Session],
) -> None:
    def track_then_fail() -> None:
        with transaction(session_factory) as session:
            workspace = get_or_create_workspace(session, "T1")
            create_campaign(session, workspace.id, CampaignSpec("s", "https://shop.example/s"))
            raise RuntimeError("failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        track_then_fail()

    with session_factory() as session:
        assert session.scalars(select(Workspace)).all() == []
        assert session.scalars(select(Campaign)).all() == []


def test_foreign_keys_are_enforced(session: Session) -> None:
    with pytest.raises(IntegrityError):
        create_campaign(session, 12345, CampaignSpec("shoes", "https://shop.example/shoes"))


def test_timestamps_come_back_as_the_same_aware_utc_instant(session: Session) -> None:
    berlin_noon = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    workspace = get_or_create_workspace(session, "T1")
    campaign = create_campaign(
        session, workspace.id, CampaignSpec("shoes", "https://shop.example/"), now=berlin_noon
    )
    session.commit()
    session.expire_all()

    stored = session.get(Campaign, campaign.id)

    assert stored is not None
    assert stored.created_at == berlin_noon
    assert stored.created_at.tzinfo is UTC
    assert stored.created_at.hour == 11


def test_naive_timestamps_are_refused(session: Session) -> None:
    workspace = get_or_create_workspace(session, "T1")

    with pytest.raises(StatementError, match="naive datetime"):
        create_campaign(
            session,
            workspace.id,
            CampaignSpec("shoes", "https://shop.example/"),
            now=datetime(2025, 3, 1, 12, 0),  # naive: the point of the test
        )
