"""Reading the target page's snapshot history the way the store does, without the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.digest.models import SnapshotLike
from bot.gap.models import RdSnapshot


def snapshot_on_or_before(history: Sequence[SnapshotLike], day: date) -> SnapshotLike | None:
    """The newest snapshot dated ``day`` or earlier (the store's ``snapshot_at_or_before``).

    The refresh runs daily but can miss a day; "7 days ago" then means the
    last thing known by that day, never a snapshot from after it.
    """
    earlier = [snap for snap in history if snap.day <= day]
    return max(earlier, key=lambda snap: snap.day) if earlier else None


def daily_history(history: Sequence[SnapshotLike]) -> list[RdSnapshot]:
    """One count per day, oldest first: the velocity and chart input."""
    by_day = {snap.day: snap.quality_referring_domains for snap in history}
    return [RdSnapshot(day, by_day[day]) for day in sorted(by_day)]


def has_domains(snap: SnapshotLike) -> bool:
    """Whether the snapshot lists its domains (a counts-only provider leaves the list empty)."""
    return bool(snap.quality_domains) or snap.quality_referring_domains == 0
