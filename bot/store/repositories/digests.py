"""Digest claims: exactly one weekly digest per campaign and period.

A claim is an INSERT into a table with a unique (campaign, period) key, made
before anything is posted. The winner posts; everyone else stops. A claim left
by a process that died is taken over once its lease has run out, by one
compare-and-set UPDATE, and the taker must first check whether the dead
process's message did reach Slack (``DigestClaim.takeover``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import write_transaction
from bot.store.models import DigestPost
from bot.store.repositories._upsert import insert_on_conflict

DEFAULT_DIGEST_LEASE = timedelta(minutes=5)
_RECLAIMABLE = ("claimed", "posting", "failed")


@dataclass(frozen=True)
class DigestClaim:
    id: int
    campaign_id: int
    period: str
    owner: str
    #: The previous holder died mid-way: look for its message before posting.
    takeover: bool
    #: When the previous holder claimed (a message posted since then may be its).
    previous_claimed_at: datetime | None
    late: bool


def claim_digest(
    sessions: sessionmaker[Session],
    campaign_id: int,
    period: str,
    owner: str,
    *,
    now: datetime,
    late: bool = False,
    lease: timedelta = DEFAULT_DIGEST_LEASE,
) -> DigestClaim | None:
    """Claim ``period``'s digest of ``campaign_id``; ``None`` when it is someone else's or done."""
    with write_transaction(sessions) as session:
        inserted = session.execute(
            insert_on_conflict(session, DigestPost)
            .values(
                campaign_id=campaign_id,
                period=period,
                status="claimed",
                late=late,
                attempts=1,
                lease_owner=owner,
                lease_expires_at=now + lease,
                claimed_at=now,
            )
            .on_conflict_do_nothing(index_elements=[DigestPost.campaign_id, DigestPost.period])
            .returning(DigestPost.id)
        ).scalar_one_or_none()
        if inserted is not None:
            return DigestClaim(inserted, campaign_id, period, owner, False, None, late)
        previous = session.execute(
            select(DigestPost.claimed_at, DigestPost.status).where(
                DigestPost.campaign_id == campaign_id, DigestPost.period == period
            )
        ).one()
        taken = session.execute(
            update(DigestPost)
            .where(
                DigestPost.campaign_id == campaign_id,
                DigestPost.period == period,
                DigestPost.status.in_(_RECLAIMABLE),
                DigestPost.lease_expires_at < now,
            )
            .values(
                status="claimed",
                lease_owner=owner,
                lease_expires_at=now + lease,
                attempts=DigestPost.attempts + 1,
            )
            .returning(DigestPost.id, DigestPost.late)
            .execution_options(synchronize_session=False)
        ).one_or_none()
        if taken is None:
            return None
        takeover = previous.status != "failed"
        return DigestClaim(
            taken.id, campaign_id, period, owner, takeover, previous.claimed_at, taken.late
        )


def _set(sessions: sessionmaker[Session], claim: DigestClaim, **values: object) -> bool:
    with write_transaction(sessions) as session:
        changed = session.execute(
            update(DigestPost)
            .where(DigestPost.id == claim.id, DigestPost.lease_owner == claim.owner)
            .values(**values)
            .returning(DigestPost.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
    return changed is not None


def mark_posting(
    sessions: sessionmaker[Session],
    claim: DigestClaim,
    *,
    now: datetime,
    lease: timedelta = DEFAULT_DIGEST_LEASE,
) -> bool:
    return _set(sessions, claim, status="posting", lease_expires_at=now + lease)


def mark_posted(
    sessions: sessionmaker[Session], claim: DigestClaim, *, channel_id: str, ts: str, now: datetime
) -> bool:
    return _set(
        sessions, claim, status="posted", channel_id=channel_id, ts=ts, posted_at=now,
        lease_expires_at=None, error=None,
    )  # fmt: skip


def mark_failed(
    sessions: sessionmaker[Session], claim: DigestClaim, *, error: str, retry_at: datetime
) -> bool:
    """Give the claim back so a later run retries within the period (``failed`` is reclaimable).

    Only for a definite failure (Slack answered with an error). When the outcome
    is unknown (a timeout), leave the claim ``posting``: whoever takes it over
    after the lease looks for the message first.
    """
    return _set(sessions, claim, status="failed", error=error[:2000], lease_expires_at=retry_at)


def digest_post(session: Session, campaign_id: int, period: str) -> DigestPost | None:
    return session.scalars(
        select(DigestPost).where(DigestPost.campaign_id == campaign_id, DigestPost.period == period)
    ).one_or_none()


def last_posted_period(session: Session, campaign_id: int) -> str | None:
    return session.scalar(
        select(DigestPost.period)
        .where(DigestPost.campaign_id == campaign_id, DigestPost.status == "posted")
        .order_by(DigestPost.period.desc())
        .limit(1)
    )
