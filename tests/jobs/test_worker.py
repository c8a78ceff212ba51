"""The worker pool runs every job once, survives dead workers, and stops gracefully."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import BadInput
from bot.jobs import GENERIC_ERROR, ClaimedJob, JobWorker
from bot.store.db import make_engine, make_session_factory, transaction, write_transaction
from bot.store.models import Job, JobStatus
from bot.store.repositories import claim_job, complete_job, enqueue_job, get_or_create_workspace
from bot.store.types import utc_now

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NO_BACKOFF = timedelta(0)


class Recorder:
    """A handler that counts its calls per job, thread-safely, and returns a result."""

    def __init__(self, action: Callable[[ClaimedJob], Mapping[str, Any] | None] | None = None):
        self.calls: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._action = action

    def __call__(self, job: ClaimedJob) -> Mapping[str, Any] | None:
        with self._lock:
            self.calls[job.id] += 1
        if self._action is not None:
            return self._action(job)
        return {"n": job.payload["n"]}


def _enqueue(
    session_factory: sessionmaker[Session], count: int = 1, *, max_attempts: int = 3
) -> list[int]:
    with write_transaction(session_factory) as session:
        ws = get_or_create_workspace(session, "T1").id
        return [
            enqueue_job(session, ws, "gap", {"n": n}, max_attempts=max_attempts)
            for n in range(count)
        ]


def _job(session_factory: sessionmaker[Session], job_id: int) -> Job:
    with session_factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_every_job_runs_exactly_once_across_two_worker_processes(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    job_ids = _enqueue(session_factory, 40)
    handler = Recorder()
    # The second pool has an engine of its own, as a second web process would.
    second_engine = make_engine(database_url)
    pools = [
        JobWorker(session_factory, {"gap": handler}, max_workers=4),
        JobWorker(make_session_factory(second_engine), {"gap": handler}, max_workers=4),
    ]
    counts: list[int] = []
    try:
        threads = [
            threading.Thread(target=lambda pool=pool: counts.append(pool.run_until_idle(60)))
            for pool in pools
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    finally:
        second_engine.dispose()

    assert handler.calls == Counter(dict.fromkeys(job_ids, 1))
    assert sum(counts) == 40
    for job_id in job_ids:
        job = _job(session_factory, job_id)
        assert job.status == JobStatus.DONE
        assert job.result == {"n": job.payload["n"]}


def test_a_linkgap_error_fails_the_job_with_its_message_and_no_retry(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory)

    def refuse(job: ClaimedJob) -> None:
        raise BadInput("That keyword is longer than 200 characters.")

    handler = Recorder(refuse)
    JobWorker(session_factory, {"gap": handler}, retry_backoff=NO_BACKOFF).run_until_idle(30)

    job = _job(session_factory, job_id)
    assert handler.calls[job_id] == 1
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.error == "That keyword is longer than 200 characters."


def test_a_crashing_job_is_retried_then_failed_with_a_generic_message(
    session_factory: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    [job_id] = _enqueue(session_factory, max_attempts=3)

    def crash(job: ClaimedJob) -> None:
        raise RuntimeError("provider said: bad key sk-secret")

    handler = Recorder(crash)
    with caplog.at_level(logging.ERROR, logger="bot.jobs.worker"):
        JobWorker(session_factory, {"gap": handler}, retry_backoff=NO_BACKOFF).run_until_idle(30)

    job = _job(session_factory, job_id)
    assert handler.calls[job_id] == 3
    assert (job.status, job.attempts, job.error) == (JobStatus.FAILED, 3, GENERIC_ERROR)
    # The details go to the log, with the job's context, never to the user.
    crashes = [r for r in caplog.records if f"job {job_id} (gap" in r.getMessage()]
    assert len(crashes) == 3
    assert all(r.exc_info for r in crashes)


def test_a_job_that_crashes_once_succeeds_on_retry(session_factory: sessionmaker[Session]) -> None:
    [job_id] = _enqueue(session_factory)

    def flaky(job: ClaimedJob) -> Mapping[str, Any]:
        if job.attempts == 1:
            raise ConnectionError("reset by peer")
        return {"ok": True}

    handler = Recorder(flaky)
    JobWorker(session_factory, {"gap": handler}, retry_backoff=NO_BACKOFF).run_until_idle(30)

    job = _job(session_factory, job_id)
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 2, {"ok": True})
    assert job.error is None


def test_a_retry_waits_for_its_backoff(session_factory: sessionmaker[Session]) -> None:
    [job_id] = _enqueue(session_factory)

    def crash(job: ClaimedJob) -> None:
        raise RuntimeError("boom")

    worker = JobWorker(
        session_factory,
        {"gap": Recorder(crash)},
        retry_backoff=timedelta(minutes=10),
        max_backoff=timedelta(hours=1),
    )

    assert worker.run_until_idle(30) == 1
    job = _job(session_factory, job_id)
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    assert job.available_at > utc_now() + timedelta(minutes=9)


def test_job_of_a_killed_worker_is_completed_once_by_the_next(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory)
    lease = timedelta(seconds=60)
    dead = claim_job(session_factory, "worker-A", lease=lease)  # A is killed mid-job
    assert dead is not None
    handler = Recorder()

    now_live = JobWorker(session_factory, {"gap": handler}, lease=lease).run_until_idle(30)
    later = JobWorker(
        session_factory, {"gap": handler}, lease=lease, clock=lambda: utc_now() + 2 * lease
    ).run_until_idle(30)

    assert (now_live, later) == (0, 1)  # not while A's lease holds; once, after
    assert handler.calls[job_id] == 1
    assert not complete_job(session_factory, job_id, "worker-A", {"by": "A"})
    job = _job(session_factory, job_id)
    assert (job.status, job.attempts, job.result) == (JobStatus.DONE, 2, {"n": 0})


CLAIM_AND_DIE = """
import os, signal, sys
from datetime import timedelta
from bot.store.db import make_engine, make_session_factory
from bot.store.repositories.jobs import claim_job

factory = make_session_factory(make_engine(sys.argv[1]))
job = claim_job(factory, "doomed", lease=timedelta(seconds=60))
print(job.id if job else "none", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_job_of_a_sigkilled_process_is_completed_once_after_its_lease(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    [job_id] = _enqueue(session_factory)

    killed = subprocess.run(
        [sys.executable, "-c", CLAIM_AND_DIE, database_url],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert killed.stdout.strip() == str(job_id)
    orphan = _job(session_factory, job_id)
    assert (orphan.status, orphan.lease_owner) == (JobStatus.RUNNING, "doomed")

    handler = Recorder()
    after_lease = JobWorker(
        session_factory, {"gap": handler}, clock=lambda: utc_now() + timedelta(minutes=2)
    )
    assert after_lease.run_until_idle(30) == 1
    assert after_lease.run_until_idle(30) == 0

    assert handler.calls[job_id] == 1
    job = _job(session_factory, job_id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_notify_starts_a_fresh_job_without_waiting_for_the_poll(
    session_factory: sessionmaker[Session],
) -> None:
    started = threading.Event()

    def note(job: ClaimedJob) -> None:
        started.set()

    worker = JobWorker(session_factory, {"gap": Recorder(note)}, max_workers=2, poll_interval=60)
    worker.start()
    try:
        time.sleep(0.2)  # the runners found nothing and went idle for a minute
        _enqueue(session_factory)
        worker.notify()

        assert started.wait(timeout=10)
    finally:
        assert worker.stop(timeout=30)


def test_stop_waits_for_a_running_handler(session_factory: sessionmaker[Session]) -> None:
    [job_id] = _enqueue(session_factory)
    running, release = threading.Event(), threading.Event()

    def slow(job: ClaimedJob) -> Mapping[str, Any]:
        running.set()
        release.wait(timeout=30)
        return {"finished": True}

    worker = JobWorker(session_factory, {"gap": Recorder(slow)}, poll_interval=0.05)
    worker.start()
    assert running.wait(timeout=10)
    stopped: list[bool] = []
    stopper = threading.Thread(target=lambda: stopped.append(worker.stop(timeout=30)))
    stopper.start()

    time.sleep(0.3)
    assert stopper.is_alive()  # still waiting for the handler
    release.set()
    stopper.join(timeout=30)

    assert stopped == [True]
    job = _job(session_factory, job_id)
    assert (job.status, job.result) == (JobStatus.DONE, {"finished": True})


def test_stop_gives_up_after_its_timeout_and_the_job_finishes_anyway(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory)
    running, release = threading.Event(), threading.Event()

    def slow(job: ClaimedJob) -> None:
        running.set()
        release.wait(timeout=30)

    worker = JobWorker(session_factory, {"gap": Recorder(slow)}, poll_interval=0.05)
    worker.start()
    assert running.wait(timeout=10)

    assert worker.stop(timeout=0.1) is False
    release.set()
    assert worker.stop(timeout=30) is True
    assert _job(session_factory, job_id).status == JobStatus.DONE


def test_the_heartbeat_keeps_a_long_job_from_being_claimed_again(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory)
    lease = timedelta(milliseconds=600)
    running, release = threading.Event(), threading.Event()

    def long_job(job: ClaimedJob) -> None:
        running.set()
        release.wait(timeout=30)

    worker = JobWorker(session_factory, {"gap": Recorder(long_job)}, lease=lease)
    worker.start()
    try:
        assert running.wait(timeout=10)
        first_expiry: datetime | None = _job(session_factory, job_id).lease_expires_at
        time.sleep(3 * lease.total_seconds())  # well past the first lease

        assert claim_job(session_factory, "intruder", lease=lease) is None
        renewed = _job(session_factory, job_id).lease_expires_at
        assert first_expiry is not None
        assert renewed is not None
        assert renewed > first_expiry
    finally:
        release.set()
        assert worker.stop(timeout=30)
    assert _job(session_factory, job_id).status == JobStatus.DONE


def test_jobs_of_kinds_without_a_handler_are_left_alone(
    session_factory: sessionmaker[Session],
) -> None:
    with write_transaction(session_factory) as session:
        ws = get_or_create_workspace(session, "T1").id
    with transaction(session_factory) as session:
        digest = enqueue_job(session, ws, "digest", {})

    assert JobWorker(session_factory, {"gap": Recorder()}).run_until_idle(30) == 0
    assert _job(session_factory, digest).status == JobStatus.QUEUED
