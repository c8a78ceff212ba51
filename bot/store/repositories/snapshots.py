"""Daily referring-domain snapshots: one row per page per day; the day's last run wins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.gap.models import RdSnapshot
from bot.gap.urls import normalise_url
from bot.store.models import RdSnapshotRow
from bot.store.repositories._upsert import insert_on_conflict
from bot.store.types import utc_now


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """A full snapshot, with the domains themselves (the digest's new and lost domains)."""

    page_key: str
    day: date
    referring_domains: int
    quality_referring_domains: int
    quality_domains: tuple[str, ...]
    position: int | None
    provider: str
    #: Pages of the own site linking to the page, when a crawl was read that day.
    internal_linking_pages: int | None = None


def upsert_snapshot(
    session: Session,
    workspace_id: int,
    page_url: str,
    day: date,
    *,
    referring_domains: int,
    quality_referring_domains: int,
    provider: str,
    quality_domains: Iterable[str] = (),
    position: int | None = None,
    internal_linking_pages: int | None = None,
    now: datetime | None = None,
) -> None:
    """Record what a page had on ``day``; a second run the same day replaces the first.

    ``page_url`` may be a URL or an already normalised page key (normalising is
    idempotent). ``quality_domains`` may be empty when a provider gives counts
    only. Concurrent writers for the same page and day end with one row.
    ``internal_linking_pages`` is kept from an earlier run of the day when this run
    read no crawl of the site (``None``).
    """
    if referring_domains < 0 or quality_referring_domains < 0:
        raise ValueError("referring-domain counts cannot be negative")
    values = {
        "referring_domains": referring_domains,
        "quality_referring_domains": quality_referring_domains,
        "quality_domains": sorted(set(quality_domains)),
        "position": position,
        "provider": provider,
        "recorded_at": now or utc_now(),
    }
    statement = insert_on_conflict(session, RdSnapshotRow).values(
        workspace_id=workspace_id,
        page_key=normalise_url(page_url),
        day=day,
        internal_linking_pages=internal_linking_pages,
        **values,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[RdSnapshotRow.workspace_id, RdSnapshotRow.page_key, RdSnapshotRow.day],
        set_={
            **{name: statement.excluded[name] for name in values},
            "internal_linking_pages": func.coalesce(
                statement.excluded.internal_linking_pages, RdSnapshotRow.internal_linking_pages
            ),
        },
    )
    session.execute(statement)


def snapshot_history(
    session: Session, workspace_id: int, page_key: str, since: date
) -> list[RdSnapshot]:
    """Quality-RD counts of a page from ``since`` on, oldest first (the velocity input)."""
    rows = session.execute(
        select(RdSnapshotRow.day, RdSnapshotRow.quality_referring_domains)
        .where(
            RdSnapshotRow.workspace_id == workspace_id,
            RdSnapshotRow.page_key == normalise_url(page_key),
            RdSnapshotRow.day >= since,
        )
        .order_by(RdSnapshotRow.day)
    )
    return [RdSnapshot(day=day, quality_referring_domains=count) for day, count in rows]


def snapshot_at_or_before(
    session: Session, workspace_id: int, page_key: str, day: date
) -> PageSnapshot | None:
    """The newest snapshot on or before ``day`` ("now" and "7 days ago" in the digest)."""
    row = session.scalars(
        select(RdSnapshotRow)
        .where(
            RdSnapshotRow.workspace_id == workspace_id,
            RdSnapshotRow.page_key == normalise_url(page_key),
            RdSnapshotRow.day <= day,
        )
        .order_by(RdSnapshotRow.day.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return PageSnapshot(
        page_key=row.page_key,
        day=row.day,
        referring_domains=row.referring_domains,
        quality_referring_domains=row.quality_referring_domains,
        quality_domains=tuple(row.quality_domains),
        position=row.position,
        provider=row.provider,
        internal_linking_pages=row.internal_linking_pages,
    )


def internal_support_at_or_before(
    session: Session, workspace_id: int, page_key: str, day: date
) -> tuple[date, int] | None:
    """The newest day on or before ``day`` with an internal-support count, and the count.

    Crawls are kept for 7 days and not every run reads one, so the digest looks for the
    last day that has a count rather than the last snapshot.
    """
    row = session.execute(
        select(RdSnapshotRow.day, RdSnapshotRow.internal_linking_pages)
        .where(
            RdSnapshotRow.workspace_id == workspace_id,
            RdSnapshotRow.page_key == normalise_url(page_key),
            RdSnapshotRow.day <= day,
            RdSnapshotRow.internal_linking_pages.is_not(None),
        )
        .order_by(RdSnapshotRow.day.desc())
        .limit(1)
    ).one_or_none()
    if row is None or row[1] is None:
        return None
    return row[0], row[1]
