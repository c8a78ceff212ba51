"""The job queue hands each job to one claimer at a time, and only the lease holder finishes it."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, make_session_factory, transaction, write_transaction
from bot.store.models import Job, JobStatus
from bot.store.repositories import (
    ClaimedJob,
    claim_job,
    complete_job,
    enqueue_job,
    fail_job,
    get_job,
    get_or_create_workspace,
    purge_finished_jobs,
    renew_lease,
    retry_job,
)

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
AFTER_LEASE = NOW + LEASE + timedelta(seconds=1)


def _workspace(session_factory: sessionmaker[Session], team_id: str = "T1") -> int:
    with write_transaction(session_factory) as session:
        return get_or_create_workspace(session, team_id).id


def _enqueue(
    session_factory: sessionmaker[Session],
    workspace_id: int,
    count: int = 1,
    *,
    kind: str = "gap",
    max_attempts: int = 3,
) -> list[int]:
    with transaction(session_factory) as session:
        return [
            enqueue_job(session, workspace_id, kind, {"n": n}, max_attempts=max_attempts, now=NOW)
            for n in range(count)
        ]


def _job(session_factory: sessionmaker[Session], job_id: int) -> Job:
    with session_factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_enqueued_job_is_claimed_then_completed_with_its_result(
    session_factory: sessionmaker[Session],
) -> None:
    ws = _workspace(session_factory)
    [job_id] = _enqueue(session_factory, ws)

    claimed = claim_job(session_factory, "A", lease=LEASE, now=NOW)

    assert claimed is not None
    assert (claimed.id, claimed.workspace_id, claimed.kind) == (job_id, ws, "gap")
    assert claimed.payload == {"n": 0}
    assert claimed.attempts == 1
    assert claimed.lease_expires_at == NOW + LEASE
    assert _job(session_factory, job_id).status == JobStatus.RUNNING

    assert complete_job(session_factory, job_id, "A", {"posted": "1700.1"}, now=NOW)

    job = _job(session_factory, job_id)
    assert job.status == JobStatus.DONE
    assert job.result == {"posted": "1700.1"}
    assert job.finished_at == NOW
    assert claim_job(session_factory, "B", lease=LEASE, now=AFTER_LEASE) is None


def test_completing_without_a_result_stores_null(session_factory: sessionmaker[Session]) -> None:
    ws = _workspace(session_factory)
    [job_id] = _enqueue(session_factory, ws)
    assert claim_job(session_factory, "A", now=NOW) is not None

    assert complete_job(session_factory, job_id, "A", now=NOW)

    with session_factory() as session:
        assert session.scalar(select(Job.id).where(Job.result.is_(None))) == job_id


def test_empty_queue_claims_nothing(session_factory: sessionmaker[Session]) -> None:
    assert claim_job(session_factory, "A", now=NOW) is None


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_idle_poll_takes_no_write_lock(database_url: str, engine: Engine) -> None:
    """A worker polling an empty queue never waits for, nor holds, SQLite's one write lock.

    Another process (a second connection) holds the write lock, as the web does mid-INSERT;
    a poll that took ``BEGIN IMMEDIATE`` would wait out the busy timeout (5 s) here.
    """
    short_wait = make_engine(database_url)
    factory = make_session_factory(short_wait)
    ws = _workspace(factory)
    [job_id] = _enqueue(factory, ws, kind="digest")
    writer = sqlite3.connect(str(engine.url.database), isolation_level=None)
    try:
        writer.execute("PRAGMA busy_timeout=0")
        with short_wait.connect() as connection:  # the pool's connection: busy_timeout 0 too
            connection.exec_driver_sql("PRAGMA busy_timeout=0")
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        assert claim_job(factory, "A", kinds={"gap"}, now=NOW) is None
        assert time.monotonic() - started < 1.0
        writer.execute("COMMIT")
        claimed = claim_job(factory, "A", now=NOW)  # with a job due, the claim takes the lock
        assert claimed is not None
        assert claimed.id == job_id
    finally:
        writer.close()
        short_wait.dispose()


def test_jobs_are_claimed_oldest_first_and_only_for_the_kinds_asked(
    session_factory: sessionmaker[Session],
) -> None:
    ws = _workspace(session_factory)
    [digest] = _enqueue(session_factory, ws, kind="digest")
    first, second = _enqueue(session_factory, ws, 2, kind="gap")

    claimed = [claim_job(session_factory, "A", kinds={"gap"}, now=NOW) for _ in range(3)]

    assert [job.id if job else None for job in claimed] == [first, second, None]
    assert claim_job(session_factory, "A", kinds=(), now=NOW) is None
    vetting = claim_job(session_factory, "A", kinds=["digest"], now=NOW)
    assert vetting is not None
    assert vetting.id == digest


def test_a_running_job_with_a_live_lease_is_not_claimed_again(
    session_factory: sessionmaker[Session],
) -> None:
    _enqueue(session_factory, _workspace(session_factory))
    assert claim_job(session_factory, "A", lease=LEASE, now=NOW) is not None

    assert claim_job(session_factory, "B", lease=LEASE, now=NOW + LEASE / 2) is None


def test_job_of_a_dead_worker_is_reclaimed_and_its_late_completion_refused(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory, _workspace(session_factory))
    assert claim_job(session_factory, "A", lease=LEASE, now=NOW) is not None  # A then "dies"

    reclaimed = claim_job(session_factory, "B", lease=LEASE, now=AFTER_LEASE)

    assert reclaimed is not None
    assert reclaimed.id == job_id
    assert reclaimed.attempts == 2
    assert not renew_lease(session_factory, job_id, "A", now=AFTER_LEASE)
    assert not complete_job(session_factory, job_id, "A", {"by": "A"}, now=AFTER_LEASE)
    assert not fail_job(session_factory, job_id, "A", "too late", now=AFTER_LEASE)
    assert complete_job(session_factory, job_id, "B", {"by": "B"}, now=AFTER_LEASE)
    assert not complete_job(session_factory, job_id, "B", {"by": "B again"}, now=AFTER_LEASE)

    job = _job(session_factory, job_id)
    assert (job.status, job.result, job.lease_owner) == (JobStatus.DONE, {"by": "B"}, "B")


def test_renewing_the_lease_keeps_other_workers_away(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory, _workspace(session_factory))
    assert claim_job(session_factory, "A", lease=LEASE, now=NOW) is not None

    assert renew_lease(session_factory, job_id, "A", lease=LEASE, now=NOW + LEASE / 2)

    assert claim_job(session_factory, "B", lease=LEASE, now=AFTER_LEASE) is None
    assert claim_job(session_factory, "B", lease=LEASE, now=AFTER_LEASE + LEASE) is not None


def test_a_job_that_keeps_killing_its_worker_fails_after_max_attempts(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory, _workspace(session_factory), max_attempts=2)
    now = NOW
    for owner in ("A", "B"):
        claimed = claim_job(session_factory, owner, lease=LEASE, now=now)
        assert claimed is not None
        now += LEASE * 2  # and the worker dies

    assert claim_job(session_factory, "C", lease=LEASE, now=now) is None

    job = _job(session_factory, job_id)
    assert job.status == JobStatus.FAILED
    assert job.attempts == 2
    assert job.error is not None
    assert "interrupted 2 times" in job.error


def test_failed_job_keeps_its_user_safe_error_and_is_not_claimed_again(
    session_factory: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(session_factory, _workspace(session_factory))
    assert claim_job(session_factory, "A", now=NOW) is not None

    assert fail_job(session_factory, job_id, "A", "That keyword is too long.", now=NOW)

    job = _job(session_factory, job_id)
    assert job.status == JobStatus.FAILED
    assert job.error == "That keyword is too long."
    assert job.finished_at == NOW
    assert claim_job(session_factory, "B", now=AFTER_LEASE) is None


def test_retried_job_waits_out_its_backoff(session_factory: sessionmaker[Session]) -> None:
    [job_id] = _enqueue(session_factory, _workspace(session_factory))
    assert claim_job(session_factory, "A", now=NOW) is not None

    assert retry_job(session_factory, job_id, "A", "retrying", delay=timedelta(minutes=5), now=NOW)

    assert claim_job(session_factory, "B", now=NOW + timedelta(minutes=4)) is None
    again = claim_job(session_factory, "B", now=NOW + timedelta(minutes=5))
    assert again is not None
    assert again.attempts == 2


def test_concurrent_claimers_never_get_the_same_job(
    session_factory: sessionmaker[Session],
) -> None:
    job_ids = _enqueue(session_factory, _workspace(session_factory), 30)
    threads_count = 8
    start = threading.Barrier(threads_count)
    claimed: list[list[int]] = [[] for _ in range(threads_count)]

    def claimer(index: int) -> None:
        start.wait()
        while (job := claim_job(session_factory, f"w{index}", now=NOW)) is not None:
            claimed[index].append(job.id)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    everything = [job_id for ids in claimed for job_id in ids]
    assert sorted(everything) == job_ids  # every job once, none twice


def test_claimers_on_separate_engines_never_get_the_same_job(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    # Two engines stand for two web processes: separate pools, separate connections.
    job_ids = _enqueue(session_factory, _workspace(session_factory), 20)
    engines = [make_engine(database_url) for _ in range(2)]
    start = threading.Barrier(len(engines))
    claimed: list[list[int]] = [[] for _ in engines]

    def claimer(index: int) -> None:
        factory = make_session_factory(engines[index])
        start.wait()
        while (job := claim_job(factory, f"process-{index}", now=NOW)) is not None:
            claimed[index].append(job.id)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(len(engines))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for engine in engines:
            engine.dispose()

    assert sorted(claimed[0] + claimed[1]) == job_ids


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_job_locked_by_another_claimer_is_skipped_not_waited_for(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    first, second = _enqueue(session_factory, _workspace(session_factory), 2)

    results: list[ClaimedJob | None] = []
    with engine.connect() as other, other.begin():
        # Another process is mid-claim: it holds the row lock on the oldest job.
        other.execute(text("SELECT id FROM jobs WHERE id = :id FOR UPDATE"), {"id": first})
        claimer = threading.Thread(
            target=lambda: results.append(claim_job(session_factory, "B", now=NOW))
        )
        claimer.start()
        claimer.join(timeout=10)
        blocked = claimer.is_alive()
    claimer.join()

    assert not blocked, "the claimer waited for the locked row instead of skipping it"
    [claimed] = results
    assert claimed is not None
    assert claimed.id == second


def test_get_job_is_scoped_to_its_workspace(session_factory: sessionmaker[Session]) -> None:
    [job_id] = _enqueue(session_factory, _workspace(session_factory, "T1"))
    other = _workspace(session_factory, "T2")

    with session_factory() as session:
        assert get_job(session, other, job_id) is None
        job = get_job(session, _workspace(session_factory, "T1"), job_id)
        assert job is not None
        assert job.status == JobStatus.QUEUED


def test_enqueue_refuses_nonsense(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id

    with pytest.raises(ValueError, match="max_attempts"):
        enqueue_job(session, ws, "gap", {}, max_attempts=0)
    with pytest.raises(ValueError, match="kind"):
        enqueue_job(session, ws, "", {})


def test_purge_removes_only_jobs_finished_before_the_cutoff(
    session_factory: sessionmaker[Session],
) -> None:
    old, recent, waiting = _enqueue(session_factory, _workspace(session_factory), 3)
    for job_id, finished in ((old, NOW), (recent, NOW + timedelta(days=10))):
        assert claim_job(session_factory, "A", now=finished) is not None
        assert complete_job(session_factory, job_id, "A", now=finished)

    with transaction(session_factory) as session:
        assert purge_finished_jobs(session, NOW + timedelta(days=7)) == 1

    with session_factory() as session:
        assert sorted(session.scalars(select(Job.id))) == [recent, waiting]
