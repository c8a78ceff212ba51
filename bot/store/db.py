"""Engines, sessions and transactions for SQLite (local, one process) and PostgreSQL (production).

The rules of DESIGN section 8 live here so no caller has to remember them:
SQLite runs in WAL mode with a busy timeout and foreign keys on, and SQLAlchemy
(not pysqlite) decides when a transaction begins, so a read-then-write can take
the write lock up front with ``BEGIN IMMEDIATE``. PostgreSQL gets plain
transactions; callers there lock rows with ``with_for_update()`` or use
compare-and-set UPDATEs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite:///linkgap.db"
#: How long a SQLite writer waits for the lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 5000
#: Connection execution option that makes the next SQLite BEGIN an IMMEDIATE one.
_BEGIN_IMMEDIATE = "linkgap_begin_immediate"
#: Engine execution option of ``make_autocommit_engine``'s engines: no BEGIN is sent.
_AUTOCOMMIT_ENGINE = "linkgap_autocommit_engine"

_USAGE = "expected sqlite:///path/to/linkgap.db or postgresql+psycopg://user:password@host:5432/db"


def parse_database_url(url: str | URL) -> URL:
    """Validate ``DATABASE_URL`` and pin PostgreSQL to the psycopg 3 driver.

    Hosting platforms hand out ``postgres://`` and ``postgresql://`` URLs; both
    mean psycopg here. Errors name the variable but never echo the URL, which
    may carry a password.
    """
    if isinstance(url, URL):
        parsed = url
    else:
        text = url.strip()
        if not text:
            raise ConfigError(f"DATABASE_URL is empty; {_USAGE}.")
        if text.startswith("postgres://"):
            text = "postgresql://" + text.removeprefix("postgres://")
        try:
            parsed = make_url(text)
        except (ArgumentError, ValueError):
            raise ConfigError(f"DATABASE_URL is not a valid database URL; {_USAGE}.") from None
    backend = parsed.get_backend_name()
    driver = parsed.get_driver_name() if "+" in parsed.drivername else None
    if backend == "postgresql":
        if driver not in (None, "psycopg"):
            raise ConfigError(
                f"DATABASE_URL uses the {driver} driver; linkgap ships psycopg 3 ({_USAGE})."
            )
        if not parsed.database:
            raise ConfigError(f"DATABASE_URL names no database; {_USAGE}.")
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if driver not in (None, "pysqlite"):
            raise ConfigError(f"DATABASE_URL uses the {driver} driver; {_USAGE}.")
        return parsed
    raise ConfigError(f"DATABASE_URL uses {backend}, which linkgap does not support; {_USAGE}.")


def redacted_url(url: str | URL) -> str:
    """The URL as it may appear in logs and messages: the password masked."""
    return parse_database_url(url).render_as_string(hide_password=True)


def make_engine(url: str | URL = DEFAULT_DATABASE_URL, **kwargs: Any) -> Engine:
    """An engine configured for its backend; extra ``kwargs`` go to ``create_engine``."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = create_engine(parsed, **kwargs)
    log.debug("database engine for %s", parsed.render_as_string(hide_password=True))
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """SQLAlchemy's documented recipe: pysqlite never BEGINs by itself; we emit BEGIN.

    That makes SELECTs transactional (repeatable within a transaction), DDL and
    SAVEPOINTs take part in the enclosing transaction, and lets a write
    transaction ask for ``BEGIN IMMEDIATE``.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            # SQLite's advice for WAL: commits skip the fsync (checkpoints still sync), so a
            # slash-command ack does not wait on the disk; a power cut can lose only the last
            # commits, never corrupt the file. Production runs PostgreSQL.
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT" or options.get(_AUTOCOMMIT_ENGINE):
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_BEGIN_IMMEDIATE) else "BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (handlers pass them on to templates)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll everything back when it raises."""
    with session_factory() as session, session.begin():
        yield session


@contextmanager
def write_transaction(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A read-then-write unit of work that cannot lose a race.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE``: the write lock is
    taken before the first read, so no other writer can slip in between (and a
    busy database waits up to the busy timeout instead of failing the upgrade
    from reader to writer). Threads of one process queue for it on a Python
    lock first: SQLite's own busy handler waits by sleeping 1, 2, 5, 10 … ms,
    which turns 50 concurrent slash commands into a long tail of acks, where a
    lock hands over the moment the writer commits. On PostgreSQL it is a plain
    transaction: lock the rows you read with ``with_for_update()`` or write
    compare-and-set UPDATEs.
    """
    with session_factory() as session:
        bind = session.get_bind()
        if bind.dialect.name != "sqlite":
            with session.begin():
                yield session
            return
        with _sqlite_writer_lock(bind), session.begin():
            session.connection(execution_options={_BEGIN_IMMEDIATE: True})
            yield session


@contextmanager
def statement_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for one write statement that is its own transaction.

    For the ack path's single INSERT. On an engine from
    ``make_autocommit_engine`` the statement commits by itself: no BEGIN and
    COMMIT round trips on PostgreSQL, and the pool's pre-ping runs outside a
    transaction too. On any other engine it runs in a transaction of its own
    (the same outcome; the connection's isolation is never switched, so
    pooled connections keep the engine's settings). Never use it for two
    statements that must commit together: that is ``write_transaction``. On
    SQLite the process's writers queue on the same lock as ``write_transaction``.
    """
    sqlite = engine.dialect.name == "sqlite"
    writers = _sqlite_writer_lock(engine) if sqlite else nullcontext()
    with writers, engine.connect() as connection:
        if engine.get_execution_options().get(_AUTOCOMMIT_ENGINE):
            yield connection
            return
        if sqlite:
            connection.execution_options(**{_BEGIN_IMMEDIATE: True})
        with connection.begin():
            yield connection


def make_autocommit_engine(url: str | URL) -> Engine:
    """An engine whose every statement commits by itself, for ``statement_connection``."""
    return make_engine(
        url, isolation_level="AUTOCOMMIT", execution_options={_AUTOCOMMIT_ENGINE: True}
    )


_writer_locks: dict[str, threading.RLock] = {}
_writer_locks_guard = threading.Lock()


def _sqlite_writer_lock(bind: Engine | Connection) -> threading.RLock:
    """The process-wide lock of one SQLite database's writers, whichever engine they use.

    Re-entrant, so a write nested in another on the same thread does not hang here.
    """
    database = str(bind.engine.url.database)
    with _writer_locks_guard:
        lock = _writer_locks.get(database)
        if lock is None:
            lock = _writer_locks[database] = threading.RLock()
        return lock
