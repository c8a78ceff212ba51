"""The durable job queue: enqueue in Slack's ack path, claim exactly once, finish under a lease.

``enqueue_job`` is an ordinary repository function (one INSERT in the caller's
transaction). The others own their transaction and take a session factory,
because a claim and a finish must each commit on their own, whatever the
handler in between does.

A claim leases the job to one owner until ``lease_expires_at``. Every finish
(``complete_job``, ``fail_job``, ``retry_job``) and every ``renew_lease`` is a
compare-and-set on ``status = 'running'`` and the owner, so only the current
holder can move the job on; a worker presumed dead that wakes up gets
``False``. Owners must therefore be unique per concurrent claimer (the
``JobWorker`` uses one owner name per thread).

Completion is exactly once. The handler runs at least once: a process killed
after the handler's side effects but before ``complete_job`` is run again when
its lease expires, so handlers should make their effects idempotent where
they can. Times come from the callers' clocks (``now``), so the lease
tolerates clock skew between hosts only up to a fraction of its length.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Delete,
    Table,
    and_,
    delete,
    insert,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import write_transaction
from bot.store.models import Job, JobStatus
from bot.store.types import utc_now

DEFAULT_LEASE = timedelta(seconds=60)
#: Shown when a job ran out of attempts without ever finishing (its workers kept dying).
INTERRUPTED_ERROR = (
    "This task was interrupted {attempts} times and has been given up. Please try again."
)


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """What a handler gets: the job as claimed, detached from any session."""

    id: int
    workspace_id: int
    kind: str
    payload: dict[str, Any]
    #: This attempt's number, counting from 1.
    attempts: int
    max_attempts: int
    lease_owner: str
    lease_expires_at: datetime
    created_at: datetime

    @property
    def is_last_attempt(self) -> bool:
        """Whether a failure now should fail the job rather than retry it."""
        return self.attempts >= self.max_attempts


#: Built once: the ack path only binds values (no statement to build or cache-key per job).
_JOBS = cast(Table, Job.__table__)
_INSERT_JOB = insert(_JOBS).returning(_JOBS.c.id)


def enqueue_job(
    session: Session | Connection,
    workspace_id: int,
    kind: str,
    payload: Mapping[str, Any],
    *,
    max_attempts: int = 3,
    now: datetime | None = None,
    delay: timedelta = timedelta(0),
) -> int:
    """Queue a job in the caller's transaction and return its id (one INSERT: fit for the ack).

    ``delay`` keeps it from being claimed until then (work that must wait for another to end).

    Takes a session or, on the ack path, a Core connection (``statement_connection``).
    Workers see the job once the caller commits; call ``JobWorker.notify()``
    after the commit so it starts without waiting for the next poll.
    """
    if not kind:
        raise ValueError("a job needs a kind")
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    now = now or utc_now()
    values = {
        "workspace_id": workspace_id,
        "kind": kind,
        "payload": dict(payload),
        "status": JobStatus.QUEUED.value,
        "attempts": 0,
        "max_attempts": max_attempts,
        "available_at": now + delay,
        "created_at": now,
    }
    return int(session.execute(_INSERT_JOB, values).scalar_one())


def get_job(session: Session, workspace_id: int, job_id: int) -> Job | None:
    """The workspace's job (its status, error and result), or ``None``."""
    return session.scalars(
        select(Job).where(Job.id == job_id, Job.workspace_id == workspace_id)
    ).one_or_none()


def claim_job(
    session_factory: sessionmaker[Session],
    worker_id: str,
    *,
    lease: timedelta = DEFAULT_LEASE,
    kinds: Collection[str] | None = None,
    now: datetime | None = None,
) -> ClaimedJob | None:
    """Lease the oldest due job to ``worker_id``; ``None`` when there is nothing to do.

    Due means ``queued`` and past its backoff, or ``running`` with an expired
    lease (its worker died). Exactly one claimer wins a job: on PostgreSQL the
    candidate row is locked with ``FOR UPDATE SKIP LOCKED`` (concurrent
    claimers skip it and take the next one instead of waiting); on SQLite the
    whole claim runs under ``BEGIN IMMEDIATE``. A due job that has already
    used all its attempts is marked ``failed`` on the way, so a job that kills
    its worker every time cannot loop forever.
    """
    if lease <= timedelta(0):
        raise ValueError("the lease must be positive")
    if kinds is not None and not kinds:
        return None
    now = now or utc_now()
    due = or_(
        and_(Job.status == JobStatus.QUEUED.value, Job.available_at <= now),
        and_(Job.status == JobStatus.RUNNING.value, Job.lease_expires_at <= now),
    )
    if kinds is not None:
        due = and_(due, Job.kind.in_(list(kinds)))
    if not _any_due(session_factory, due):
        return None
    query = select(Job).where(due).order_by(Job.id).limit(1).with_for_update(skip_locked=True)
    with write_transaction(session_factory) as session:
        while (job := session.scalars(query).one_or_none()) is not None:
            if job.attempts >= job.max_attempts:
                job.status = JobStatus.FAILED.value
                job.error = INTERRUPTED_ERROR.format(attempts=job.attempts)
                job.lease_expires_at = None
                job.finished_at = now
                session.flush()
                continue
            job.status = JobStatus.RUNNING.value
            job.attempts += 1
            job.lease_owner = worker_id
            job.lease_expires_at = now + lease
            job.started_at = now
            session.flush()
            return ClaimedJob(
                id=job.id,
                workspace_id=job.workspace_id,
                kind=job.kind,
                payload=dict(job.payload),
                attempts=job.attempts,
                max_attempts=job.max_attempts,
                lease_owner=worker_id,
                lease_expires_at=now + lease,
                created_at=job.created_at,
            )
    return None


def _any_due(session_factory: sessionmaker[Session], due: ColumnElement[bool]) -> bool:
    """Whether any job is due, read without a lock: an idle poll takes no write lock.

    On SQLite a claim's ``BEGIN IMMEDIATE`` holds the database's one write
    lock, and each ``JobWorker`` thread polls twice a second. A worker runs at
    a lower CPU priority than the web, so on a busy machine a poll holding
    that lock could be kept off the CPU while a slash command's INSERT waited
    behind it (measured: a 342 ms ack). WAL readers neither take nor wait for
    the write lock, so the poll reads first and locks only when there is a
    job to claim; the claim reads again under the lock.
    """
    with session_factory() as session, session.begin():
        return session.scalars(select(Job.id).where(due).limit(1)).first() is not None


def _set_if_held(
    session_factory: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    values: Mapping[str, Any],
) -> bool:
    """The compare-and-set behind every lease holder's write: one UPDATE, held or not."""
    statement = (
        update(Job)
        .where(
            Job.id == job_id,
            Job.status == JobStatus.RUNNING.value,
            Job.lease_owner == worker_id,
        )
        .values(**values)
        .returning(Job.id)
        .execution_options(synchronize_session=False)
    )
    with write_transaction(session_factory) as session:
        return session.execute(statement).scalar_one_or_none() is not None


def renew_lease(
    session_factory: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    *,
    lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
) -> bool:
    """Extend the lease while the handler works; ``False`` means another worker has the job."""
    now = now or utc_now()
    return _set_if_held(session_factory, job_id, worker_id, {"lease_expires_at": now + lease})


def complete_job(
    session_factory: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    result: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> bool:
    """Mark the job ``done`` with its result, only if ``worker_id`` still holds it."""
    return _set_if_held(
        session_factory,
        job_id,
        worker_id,
        {
            "status": JobStatus.DONE.value,
            "result": dict(result) if result is not None else null(),
            "error": None,
            "lease_expires_at": None,
            "finished_at": now or utc_now(),
        },
    )


def fail_job(
    session_factory: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    error: str,
    *,
    now: datetime | None = None,
) -> bool:
    """Mark the job ``failed`` for good with a user-safe ``error``, only while held."""
    return _set_if_held(
        session_factory,
        job_id,
        worker_id,
        {
            "status": JobStatus.FAILED.value,
            "error": error,
            "lease_expires_at": None,
            "finished_at": now or utc_now(),
        },
    )


def retry_job(
    session_factory: sessionmaker[Session],
    job_id: int,
    worker_id: str,
    error: str,
    *,
    delay: timedelta = timedelta(0),
    now: datetime | None = None,
) -> bool:
    """Put a failed attempt back in the queue after ``delay``, only while held.

    The job keeps its attempt count; ``claim_job`` fails it once the count
    reaches ``max_attempts``, so callers may retry without checking first.
    """
    now = now or utc_now()
    return _set_if_held(
        session_factory,
        job_id,
        worker_id,
        {
            "status": JobStatus.QUEUED.value,
            "error": error,
            "available_at": now + delay,
            "lease_owner": None,
            "lease_expires_at": None,
        },
    )


def purge_finished_jobs(session: Session, before: datetime) -> int:
    """Delete jobs that finished (done or failed) before ``before``; returns how many went."""
    statement: Delete = delete(Job).where(
        Job.status.in_([JobStatus.DONE.value, JobStatus.FAILED.value]),
        Job.finished_at < before,
    )
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return int(getattr(result, "rowcount", 0))


def cancel_queued_jobs(session: Session, workspace_id: int, error: str, now: datetime) -> int:
    """Fail every queued job of the workspace with ``error``; how many were cancelled.

    For a workspace Slack has taken the app away from: its queued analyses
    could only fail on a dead token. Running jobs are left to finish or fail
    under their lease.
    """
    result = session.execute(
        update(Job)
        .where(Job.workspace_id == workspace_id, Job.status == JobStatus.QUEUED.value)
        .values(status=JobStatus.FAILED.value, error=error, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def hold_queued_jobs(session: Session, workspace_id: int, until: datetime) -> int:
    """Make the workspace's queued jobs wait until ``until``; how many were held back."""
    result = session.execute(
        update(Job)
        .where(
            Job.workspace_id == workspace_id,
            Job.status == JobStatus.QUEUED.value,
            Job.available_at < until,
        )
        .values(available_at=until)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
