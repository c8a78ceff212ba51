"""A bounded pool of threads that runs the durable jobs queued in Slack's ack path.

It owns its threads: Bolt's listener pool is small and shared with lazy
listeners, so slow work must not run there (DESIGN section 7). Each runner
thread claims one job at a time under a lease of its own name, a heartbeat
thread renews the leases of running handlers, and the outcome decides the
job's fate: a result completes it, a ``LinkgapError`` fails it with its
user-safe message (retrying would only repeat the mistake), anything else is
logged and retried with backoff until the attempts run out.

Several processes can run a ``JobWorker`` against one database; the queue in
``bot.store.repositories.jobs`` makes sure each job is claimed by one of them
at a time and completed once. Jobs left ``running`` by a dead process are
claimed again once their lease expires.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.errors import LinkgapError
from bot.store.repositories import (
    DEFAULT_LEASE,
    ClaimedJob,
    claim_job,
    complete_job,
    fail_job,
    renew_lease,
    retry_job,
)
from bot.store.types import utc_now

log = logging.getLogger(__name__)

#: Runs one job; returns the JSON result to keep with it, or ``None``.
Handler = Callable[[ClaimedJob], Mapping[str, Any] | None]

#: What the user sees when a job kept crashing: the details are in the logs, not in Slack.
GENERIC_ERROR = "Something went wrong on our side and this task could not finish. Please try again."
RETRY_NOTE = "An attempt failed; the task will be retried."


def default_worker_id() -> str:
    """A name unique to this pool: host and pid for the operator, a random part for restarts."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class JobWorker:
    """Claims and runs jobs on up to ``max_workers`` threads of its own.

    Use ``start()``/``stop()`` in a long-running process and ``notify()`` after
    committing an enqueue, so a fresh job starts without waiting for the next
    poll. ``run_until_idle()`` drains the queue and returns, for tests and the
    CLI. ``clock`` exists so tests can move time past a lease.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        handlers: Mapping[str, Handler],
        *,
        max_workers: int = 4,
        poll_interval: float = 0.5,
        lease: timedelta = DEFAULT_LEASE,
        worker_id: str | None = None,
        retry_backoff: timedelta = timedelta(seconds=5),
        max_backoff: timedelta = timedelta(minutes=5),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        if max_workers < 1:
            raise ValueError("a worker pool needs at least one thread")
        if poll_interval <= 0:
            raise ValueError("the poll interval must be positive")
        if lease <= timedelta(0):
            raise ValueError("the lease must be positive")
        self.worker_id = worker_id or default_worker_id()
        self._session_factory = session_factory
        self._handlers = dict(handlers)
        self._max_workers = max_workers
        self._poll_interval = poll_interval
        self._lease = lease
        self._retry_backoff = retry_backoff
        self._max_backoff = max_backoff
        self._clock = clock
        self._wake = threading.Condition()
        self._wakeups = 0
        self._stopping = threading.Event()
        self._runners: list[threading.Thread] = []
        self._heartbeat: threading.Thread | None = None
        self._heartbeat_stop = threading.Event()
        #: Job id → lease owner of every handler running now; the heartbeat renews these.
        self._held: dict[int, str] = {}
        self._lock = threading.Lock()
        self._jobs_run = 0

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether any runner thread is still alive (claiming, or finishing a handler)."""
        return any(thread.is_alive() for thread in self._runners)

    def start(self) -> None:
        """Start the runner threads and the heartbeat; they poll until ``stop()``."""
        if self.running:
            raise RuntimeError("this job worker is already running")
        self._launch(until_idle=False)

    def notify(self) -> None:
        """Wake one idle runner now (call it after the transaction that enqueued commits)."""
        with self._wake:
            self._wakeups += 1
            self._wake.notify()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop claiming and wait up to ``timeout`` seconds for running handlers to finish.

        Returns whether every handler finished. Leases of handlers still running
        keep being renewed; a process that exits anyway leaves them to be picked
        up again once the leases expire.
        """
        self._stopping.set()
        with self._wake:
            self._wake.notify_all()
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._runners:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if self.running:
            log.warning("job worker %s stopped with handlers still running", self.worker_id)
            return False
        self._stop_heartbeat()
        return True

    def run_until_idle(self, timeout: float | None = None) -> int:
        """Run jobs on the pool until none is due, then return how many were run.

        Jobs waiting out a retry backoff are not due, so they are left queued.
        """
        if self.running:
            raise RuntimeError("this job worker is already running")
        before = self._jobs_run
        self._launch(until_idle=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._runners:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if self.running:
            self.stop(0)
            raise TimeoutError(f"jobs still running after {timeout} s")
        self._stop_heartbeat()
        return self._jobs_run - before

    def _launch(self, *, until_idle: bool) -> None:
        self._stopping.clear()
        self._heartbeat_stop.clear()
        self._heartbeat = threading.Thread(
            target=self._beat, name=f"linkgap-job-heartbeat-{self.worker_id}", daemon=True
        )
        self._heartbeat.start()
        # Daemon threads: a process that exits without stop() leaves its jobs to lease expiry.
        self._runners = [
            threading.Thread(
                target=self._serve,
                args=(f"{self.worker_id}/{index}", until_idle),
                name=f"linkgap-job-{index}",
                daemon=True,
            )
            for index in range(self._max_workers)
        ]
        for thread in self._runners:
            thread.start()

    def _stop_heartbeat(self) -> None:
        self._heartbeat_stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
            self._heartbeat = None

    # -- runner threads -------------------------------------------------------------------

    def _serve(self, owner: str, until_idle: bool) -> None:
        """One runner: claim, run, repeat; ``owner`` names this thread's leases."""
        while not self._stopping.is_set():
            try:
                job = claim_job(
                    self._session_factory,
                    owner,
                    lease=self._lease,
                    kinds=self._handlers.keys(),
                    now=self._clock(),
                )
            except Exception:
                log.exception("job worker %s could not claim a job", owner)
                if until_idle:
                    return
                self._stopping.wait(self._poll_interval)
                continue
            if job is None:
                if until_idle:
                    return
                self._idle()
                continue
            self._run(job)

    def _idle(self) -> None:
        """Wait for ``notify()``, ``stop()`` or the poll interval, whichever comes first."""
        with self._wake:
            if self._wakeups == 0 and not self._stopping.is_set():
                self._wake.wait(self._poll_interval)
            if self._wakeups:
                self._wakeups -= 1

    def _run(self, job: ClaimedJob) -> None:
        with self._lock:
            self._held[job.id] = job.lease_owner
            self._jobs_run += 1
        try:
            if not self._run_and_settle(job):
                log.warning(
                    "job %d (%s): its lease passed to another worker; this outcome is discarded",
                    job.id,
                    job.kind,
                )
        except Exception:
            # The store failed while settling: the lease runs out and the job runs again.
            log.exception("job %d (%s): could not record its outcome", job.id, job.kind)
        finally:
            with self._lock:
                self._held.pop(job.id, None)

    def _run_and_settle(self, job: ClaimedJob) -> bool:
        """Run the handler and record the outcome; ``False`` when the lease was lost meanwhile."""
        owner, now = job.lease_owner, self._clock
        try:
            result = self._handlers[job.kind](job)
        except LinkgapError as exc:
            log.info(
                "job %d (%s, workspace %d) failed on attempt %d of %d: %s",
                job.id,
                job.kind,
                job.workspace_id,
                job.attempts,
                job.max_attempts,
                exc.message,
            )
            return fail_job(self._session_factory, job.id, owner, exc.message, now=now())
        except Exception:
            log.exception(
                "job %d (%s, workspace %d) crashed on attempt %d of %d",
                job.id,
                job.kind,
                job.workspace_id,
                job.attempts,
                job.max_attempts,
            )
            if job.is_last_attempt:
                return fail_job(self._session_factory, job.id, owner, GENERIC_ERROR, now=now())
            delay = self._backoff(job.attempts)
            return retry_job(
                self._session_factory, job.id, owner, RETRY_NOTE, delay=delay, now=now()
            )
        return complete_job(self._session_factory, job.id, owner, result, now=now())

    def _backoff(self, attempts: int) -> timedelta:
        """Exponential: ``retry_backoff`` after the first attempt, doubling, capped."""
        factor = 1 << min(max(attempts - 1, 0), 30)
        return min(self._retry_backoff * factor, self._max_backoff)

    # -- heartbeat ------------------------------------------------------------------------

    def _beat(self) -> None:
        """Renew every running handler's lease a few times per lease period."""
        interval = max(self._lease.total_seconds() / 3, 0.01)
        while not self._heartbeat_stop.wait(interval):
            with self._lock:
                held = list(self._held.items())
            for job_id, owner in held:
                try:
                    renewed = renew_lease(
                        self._session_factory, job_id, owner, lease=self._lease, now=self._clock()
                    )
                except Exception:
                    log.exception("job %d: renewing the lease failed", job_id)
                    continue
                with self._lock:
                    still_held = self._held.get(job_id) == owner
                if not renewed and still_held:
                    log.warning("job %d: lease lost to another worker", job_id)
