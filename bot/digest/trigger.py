"""An APScheduler 3 trigger that fires exactly when ``bot.digest.periods`` says a digest is due.

``CronTrigger(day_of_week, hour, minute, timezone=ZoneInfo(...))`` agrees
with ``periods.next_fire_time`` everywhere but one place: a schedule at
midnight right after a spring-forward change (Monday 00:00 in Berlin on 30
Mar 2026, or a midnight the clock skips, as in Santiago) — CronTrigger 3.11
skips that week entirely. This trigger is the same schedule computed by the
period arithmetic itself, so the clock and the period keys cannot disagree.
The scheduler may use either; ``tests/digest/test_periods.py`` pins both
behaviours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

from bot.digest.periods import DigestSchedule, next_fire_time


class DigestTrigger(BaseTrigger):  # type: ignore[misc]  # apscheduler ships no type hints
    """Fires at each scheduled digest instant of ``schedule`` (computed in the campaign's zone)."""

    __slots__ = ("schedule",)

    def __init__(self, schedule: DigestSchedule) -> None:
        self.schedule = schedule

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        # Like CronTrigger: after a misfire, continue from the previous firing so the
        # scheduler can see (and, with coalesce=True, merge) the runs it missed.
        start = (
            now
            if previous_fire_time is None
            else min(now, previous_fire_time + timedelta(microseconds=1))
        )
        # In UTC, not the campaign's zone: a local datetime in a DST fold compares unequal
        # to every other zone's (PEP 495), which makes logs and equality checks lie.
        return next_fire_time(start, self.schedule)

    def __getstate__(self) -> dict[str, object]:
        return {"version": 1, "schedule": self.schedule}

    def __setstate__(self, state: dict[str, object]) -> None:
        schedule = state["schedule"]
        if not isinstance(schedule, DigestSchedule):
            raise TypeError("DigestTrigger state holds no DigestSchedule")
        self.schedule = schedule

    def __repr__(self) -> str:
        s = self.schedule
        return (
            f"<DigestTrigger weekday={s.weekday} at {s.hour:02d}:{s.minute:02d} "
            f"timezone={s.timezone!r}>"
        )
