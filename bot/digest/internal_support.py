"""Internal support week to week: pages of your own site linking to the page, now and before.

Not every day has a count (the crawl of the site is kept 7 days and a day's
refresh may read none), so "now" is the newest count of the last 7 days and
"a week ago" the newest count from before them. A first count is never
compared with anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class InternalSupportChange:
    """Pages linking to the page this week (``None``: not measured) and the week before."""

    now: int | None
    week_ago: int | None
    #: The day of the newest count of all, for "not measured this week (last …)".
    last_day: date

    @property
    def change(self) -> int | None:
        if self.now is None or self.week_ago is None:
            return None
        return self.now - self.week_ago


def internal_support_change(
    counts: Sequence[tuple[date, int]], today: date
) -> InternalSupportChange | None:
    """This week's count against the week before's; ``None`` when the site was never crawled."""
    known = sorted((day, count) for day, count in counts if day <= today)
    if not known:
        return None
    this_week = [count for day, count in known if day > today - WEEK]
    before = [count for day, count in known if day <= today - WEEK]
    return InternalSupportChange(
        now=this_week[-1] if this_week else None,
        week_ago=before[-1] if before else None,
        last_day=known[-1][0],
    )
