"""What a running Slack app process owns: settings, the database, the job workers.

Built once per process (``linkgap serve``, the shell, a test) and handed to
the listeners, so nothing reaches for globals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.jobs.worker import JobWorker
from bot.store.db import make_autocommit_engine, make_engine, make_session_factory
from bot.store.migrate import upgrade
from bot.web.fetcher import PageFetcher, SafeFetcher
from bot.web.fetchers import fetcher_for

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    #: Autocommit engine for the ack path's one-statement writes (``statement_connection``).
    autocommit_engine: Engine | None = None
    #: The live providers' keys by variable name: the settings' (environment or .env),
    #: with any given to ``create`` over them.
    environ: Mapping[str, str] = field(default_factory=dict)
    worker: JobWorker | None = None
    #: How many analyses may run at once in this process (not Bolt's listener pool).
    max_workers: int = 4
    #: How jobs fetch user-supplied URLs: always the safe fetcher (tests may allow loopback).
    fetcher_factory: Callable[[], PageFetcher] = SafeFetcher
    #: With sample data (the demo provider) pages come from the in-process sample web;
    #: tests that serve their own pages on loopback turn this off.
    sample_web: bool = True
    #: Workspace row ids by Slack identity (team, enterprise), filled by the workspace middleware:
    #: rows are never renumbered, so an ack costs no database round trip for them.
    workspace_ids: dict[tuple[str, str | None], int] = field(default_factory=dict)

    @classmethod
    def create(
        cls, settings: Settings, *, migrate: bool = True, environ: Mapping[str, str] | None = None
    ) -> Runtime:
        if migrate:
            upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_session_factory(engine),
            autocommit_engine=make_autocommit_engine(settings.database_url),
            environ={**settings.provider_keys(), **(environ or {})},
        )

    def page_fetcher(
        self,
        sample_data: bool,
        targets: Callable[[], Iterable[str]] = tuple,
        topics: Callable[[], Iterable[str]] = tuple,
    ) -> PageFetcher:
        """The fetcher for a job: the sample web for sample data, else ``fetcher_factory``."""
        if sample_data and self.sample_web:
            return fetcher_for(True, targets, topics)
        return self.fetcher_factory()

    def notify_worker(self) -> None:
        if self.worker is not None:
            self.worker.notify()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop(timeout=30)
        self.engine.dispose()
        if self.autocommit_engine is not None:
            self.autocommit_engine.dispose()

    @property
    def statements(self) -> Engine:
        """The engine for one-statement writes: autocommit when there is one."""
        return self.autocommit_engine or self.engine
