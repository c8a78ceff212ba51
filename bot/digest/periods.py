"""Which weekly period a digest belongs to, when it is due, and when the scheduler fires next.

A campaign's digest is scheduled on a weekday at a local wall-clock time in
the campaign's IANA timezone (default Monday 09:00). A *period* runs from one
scheduled digest to the next and is named by the ISO week of the scheduled
local date (``2026-W48``), so the key is the same whichever process, host
timezone or retry computes it: it is what the exactly-once claim row is keyed
on.

Wall-clock times are kept across DST changes (09:00 stays 09:00 local). Times
the clock skips or repeats are resolved as PEP 495 ``fold=0`` resolves them,
which is also what APScheduler's ``CronTrigger`` does with a ``ZoneInfo``:

- a *nonexistent* time (in the spring-forward gap, e.g. 02:30 on 29 Mar 2026 in
  Berlin) is read with the offset in force before the change, so the digest
  fires at the same instant as the wall time shifted forward by the gap
  (03:30 CEST);
- an *ambiguous* time (repeated in the fall-back hour, e.g. 02:30 on 25 Oct
  2026 in Berlin) is its first occurrence (02:30 CEST, not 02:30 CET), so the
  digest fires once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)
#: A digest that starts this long after its scheduled instant says it is late.
LATE_AFTER = timedelta(minutes=15)
#: How many skipped periods ``due_periods`` names at most (a year of downtime is still one line).
MAX_SKIPPED_LISTED = 52


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """When a campaign's digest is posted: Python weekday (Monday 0), local time, IANA zone."""

    weekday: int = 0
    hour: int = 9
    minute: int = 0
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if not 0 <= self.hour <= 23 or not 0 <= self.minute <= 59:
            raise ValueError(f"no such time of day: {self.hour:02d}:{self.minute:02d}")
        ZoneInfo(self.timezone)  # an unknown zone fails here, not at 09:00 on Monday

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class DigestPeriod:
    """One week of a campaign, from its scheduled digest to the next one."""

    #: ISO year and week of the scheduled local date, e.g. ``2026-W48`` (sorts chronologically).
    key: str
    #: The local date the digest is scheduled on.
    local_day: date
    #: The instant the digest is due, in UTC.
    scheduled_at: datetime
    #: The same instant on the campaign's wall clock (what a late digest names).
    scheduled_local: datetime
    #: The key of the period before (the one a late digest may have replaced).
    previous_key: str


@dataclass(frozen=True, slots=True)
class DueDigest:
    """A period whose digest should be posted now."""

    period: DigestPeriod
    #: Posted well after its scheduled instant (downtime): the digest says so.
    late: bool
    #: Older missed periods that will never be posted (newest first), for the log.
    skipped: tuple[str, ...] = ()


def period_key(day: date) -> str:
    """The ISO week of ``day``: ``2026-W01`` … ``2026-W53``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def scheduled_instant(day: date, schedule: DigestSchedule) -> datetime:
    """The UTC instant of the digest scheduled on local ``day`` (``fold=0``, see the module)."""
    local = datetime.combine(day, time(schedule.hour, schedule.minute), tzinfo=schedule.zone)
    return local.astimezone(UTC)


def _period(day: date, schedule: DigestSchedule) -> DigestPeriod:
    at = scheduled_instant(day, schedule)
    return DigestPeriod(
        key=period_key(day),
        local_day=day,
        scheduled_at=at,
        scheduled_local=at.astimezone(schedule.zone),
        previous_key=period_key(day - WEEK),
    )


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (UTC)")


def period_for(now: datetime, schedule: DigestSchedule) -> DigestPeriod:
    """The period ``now`` falls in: the one whose scheduled instant is the latest at or before it.

    Monday 08:59 local still belongs to last week's period; at 09:00 the new
    one begins.
    """
    _require_aware(now)
    local_today = now.astimezone(schedule.zone).date()
    day = local_today - timedelta(days=(local_today.weekday() - schedule.weekday) % 7)
    if scheduled_instant(day, schedule) > now:
        day -= WEEK
    return _period(day, schedule)


def previous_period(period: DigestPeriod, schedule: DigestSchedule) -> DigestPeriod:
    return _period(period.local_day - WEEK, schedule)


def next_fire_time(now: datetime, schedule: DigestSchedule) -> datetime:
    """The first scheduled instant at or after ``now``, in UTC.

    Agrees with ``CronTrigger(day_of_week, hour, minute, timezone=ZoneInfo(...))
    .get_next_fire_time(None, now)`` (tested across DST changes), so the clock
    and the period keys never disagree about which week a firing belongs to.
    """
    current = period_for(now, schedule)
    if current.scheduled_at == now:
        return current.scheduled_at
    return scheduled_instant(current.local_day + WEEK, schedule)


def due_periods(
    now: datetime,
    schedule: DigestSchedule,
    last_posted_period: str | None,
    *,
    since: datetime | None = None,
    late_after: timedelta = LATE_AFTER,
) -> list[DueDigest]:
    """The digests to post now: none, or exactly one (DESIGN 5).

    Only the latest period whose scheduled instant has passed can be due. After
    downtime it is posted once, marked late; periods older than that are
    skipped, so two weeks of downtime give one late digest, not two stale
    ones. ``last_posted_period`` is the newest key claimed for the campaign;
    a key at or after the current one (already posted, or a schedule moved to
    a later weekday) means nothing is due. ``since`` (the campaign's start)
    keeps a new campaign from receiving a late digest for a week it did not
    exist in.
    """
    current = period_for(now, schedule)
    if last_posted_period is not None and last_posted_period >= current.key:
        return []
    if since is not None and current.scheduled_at < since:
        return []
    skipped: list[str] = []
    if last_posted_period is not None:
        older = previous_period(current, schedule)
        while (
            older.key > last_posted_period
            and (since is None or older.scheduled_at >= since)
            and len(skipped) < MAX_SKIPPED_LISTED
        ):
            skipped.append(older.key)
            older = previous_period(older, schedule)
    late = now - current.scheduled_at > late_after
    return [DueDigest(period=current, late=late, skipped=tuple(skipped))]
