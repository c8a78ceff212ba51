"""Knowing when the bot has finished answering a line typed into ``linkgap shell``.

Slow work runs on the job workers after the ack, and some listeners go on
after acking, so the shell waits for two things before printing: no job of
this session still queued or running, and a short stretch in which the Slack
stand-in received no call and changed no message.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.local.standin import Change, SlackStandIn
from bot.store.models import Job

PENDING = ("queued", "running")


def latest_job_id(sessions: sessionmaker[Session]) -> int:
    """The highest job id so far: jobs at or below it are not this session's to wait for."""
    with sessions() as session:
        return int(session.scalar(select(func.max(Job.id))) or 0)


def pending_jobs(sessions: sessionmaker[Session], after_id: int = 0) -> int:
    """How many jobs newer than ``after_id`` are queued or running."""
    with sessions() as session:
        count = session.scalar(
            select(func.count()).select_from(Job).where(Job.id > after_id, Job.status.in_(PENDING))
        )
    return int(count or 0)


def wait_for_jobs(
    sessions: sessionmaker[Session],
    *,
    after_id: int = 0,
    timeout: float = 120.0,
    interval: float = 0.1,
) -> bool:
    """Poll the ``jobs`` table until none newer than ``after_id`` is pending; False on timeout."""
    deadline = time.monotonic() + timeout
    while pending_jobs(sessions, after_id):
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


@dataclass
class ChangeFeed:
    """Every change the stand-in announces, queued for the shell's thread to print.

    The stand-in calls subscribers on its request threads; the shell reads the
    queue on its own, so rendering never races a handler.
    """

    standin: SlackStandIn
    changes: queue.SimpleQueue[Change] = field(default_factory=queue.SimpleQueue)
    _heard: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        self._unsubscribe = self.standin.subscribe(self._hear)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _hear(self, change: Change) -> None:
        with self._lock:
            self._heard += 1
        self.changes.put(change)

    def activity(self) -> tuple[int, int]:
        """A marker that moves whenever the stand-in is called or a message changes."""
        with self._lock:
            heard = self._heard
        return heard, len(self.standin.calls())

    def drain(self) -> list[Change]:
        taken: list[Change] = []
        while True:
            try:
                taken.append(self.changes.get_nowait())
            except queue.Empty:
                return taken

    def wait_until_quiet(
        self,
        *,
        busy: Callable[[], bool] = lambda: False,
        quiet: float = 0.35,
        timeout: float = 120.0,
        interval: float = 0.05,
    ) -> bool:
        """Wait until ``busy()`` is false and nothing happened for ``quiet`` seconds.

        False when ``timeout`` ran out first (the shell then says work goes on).
        """
        deadline = time.monotonic() + timeout
        marker = self.activity()
        calm_since = time.monotonic()
        while True:
            now = time.monotonic()
            current = self.activity()
            if current != marker or busy():
                marker, calm_since = current, now
            elif now - calm_since >= quiet:
                return True
            if now >= deadline:
                return False
            time.sleep(interval)
