"""Digest periods in three timezones, across the 2026 DST changes, and after downtime.

Every instant below is worked out by hand from the zone's offset that day:
Berlin is UTC+1 (CET) until 29 Mar and from 25 Oct 2026, UTC+2 (CEST) in
between; New York is UTC-5 (EST) until 8 Mar and from 1 Nov 2026, UTC-4 (EDT)
in between; Kolkata is UTC+5:30 all year.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.digest.periods import (
    DigestSchedule,
    due_periods,
    next_fire_time,
    period_for,
    period_key,
    previous_period,
)
from bot.digest.trigger import DigestTrigger

BERLIN = DigestSchedule(weekday=0, hour=9, minute=0, timezone="Europe/Berlin")
NEW_YORK = DigestSchedule(weekday=0, hour=9, minute=0, timezone="America/New_York")
KOLKATA = DigestSchedule(weekday=0, hour=9, minute=0, timezone="Asia/Kolkata")
_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- period_for ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "now", "key", "scheduled_at"),
    [
        # Mon 23 Nov 2026 09:00 CET = 08:00Z; ISO week 48.
        (BERLIN, utc(2026, 11, 23, 8, 0), "2026-W48", utc(2026, 11, 23, 8, 0)),
        # One minute earlier it is still last week's period (Mon 16 Nov 08:00Z).
        (BERLIN, utc(2026, 11, 23, 7, 59), "2026-W47", utc(2026, 11, 16, 8, 0)),
        # Mon 23 Nov 09:00 EST = 14:00Z: at 13:00Z it is 08:00 in New York, still W47.
        (NEW_YORK, utc(2026, 11, 23, 13, 0), "2026-W47", utc(2026, 11, 16, 14, 0)),
        (NEW_YORK, utc(2026, 11, 23, 14, 0), "2026-W48", utc(2026, 11, 23, 14, 0)),
        # Mon 23 Nov 09:00 IST = 03:30Z.
        (KOLKATA, utc(2026, 11, 23, 3, 29), "2026-W47", utc(2026, 11, 16, 3, 30)),
        (KOLKATA, utc(2026, 11, 23, 3, 30), "2026-W48", utc(2026, 11, 23, 3, 30)),
        # Sunday 22 Nov 22:00Z is already Monday 03:30 in Kolkata, but before 09:00 there.
        (KOLKATA, utc(2026, 11, 22, 22, 0), "2026-W47", utc(2026, 11, 16, 3, 30)),
    ],
)
def test_period_is_the_latest_scheduled_local_time_at_or_before_now(
    schedule: DigestSchedule, now: datetime, key: str, scheduled_at: datetime
) -> None:
    period = period_for(now, schedule)
    assert period.key == key
    assert period.scheduled_at == scheduled_at
    assert period.scheduled_local.hour == 9
    assert period.scheduled_local.minute == 0


def test_period_knows_the_previous_period() -> None:
    period = period_for(utc(2026, 11, 25, 12, 0), BERLIN)
    assert (period.key, period.previous_key) == ("2026-W48", "2026-W47")
    before = previous_period(period, BERLIN)
    assert before.key == "2026-W47"
    assert before.scheduled_at == utc(2026, 11, 16, 8, 0)


def test_period_keys_follow_iso_weeks_over_the_new_year() -> None:
    # 1 Jan 2027 is a Friday in ISO week 53 of 2026 (2026 starts on a Thursday).
    friday = DigestSchedule(weekday=4, hour=9, minute=0, timezone="Asia/Kolkata")
    assert period_for(utc(2027, 1, 1, 4, 0), friday).key == "2026-W53"
    assert period_for(utc(2027, 1, 8, 4, 0), friday).key == "2027-W01"
    # The keys sort chronologically as strings: the claim table and due_periods rely on it.
    assert "2026-W09" < "2026-W10" < "2026-W53" < "2027-W01"
    assert period_key(datetime(2026, 3, 2).date()) == "2026-W10"


# --- DST: 09:00 stays 09:00 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "before", "after"),
    [
        # EU spring forward, Sun 29 Mar 2026: Mon 23 Mar 09:00 CET = 08:00Z,
        # Mon 30 Mar 09:00 CEST = 07:00Z.
        (BERLIN, utc(2026, 3, 23, 8, 0), utc(2026, 3, 30, 7, 0)),
        # EU fall back, Sun 25 Oct 2026: Mon 19 Oct 09:00 CEST = 07:00Z,
        # Mon 26 Oct 09:00 CET = 08:00Z.
        (BERLIN, utc(2026, 10, 19, 7, 0), utc(2026, 10, 26, 8, 0)),
        # US spring forward, Sun 8 Mar 2026: Mon 2 Mar 09:00 EST = 14:00Z, Mon 9 Mar EDT = 13:00Z.
        (NEW_YORK, utc(2026, 3, 2, 14, 0), utc(2026, 3, 9, 13, 0)),
        # US fall back, Sun 1 Nov 2026: Mon 26 Oct 09:00 EDT = 13:00Z, Mon 2 Nov EST = 14:00Z.
        (NEW_YORK, utc(2026, 10, 26, 13, 0), utc(2026, 11, 2, 14, 0)),
        # Kolkata has no DST: always 03:30Z, a week apart.
        (KOLKATA, utc(2026, 3, 23, 3, 30), utc(2026, 3, 30, 3, 30)),
    ],
)
def test_wall_clock_time_is_kept_across_dst_changes(
    schedule: DigestSchedule, before: datetime, after: datetime
) -> None:
    assert next_fire_time(before + timedelta(seconds=1), schedule) == after
    assert period_for(after, schedule).scheduled_at == after
    assert period_for(after - timedelta(seconds=1), schedule).scheduled_at == before
    assert period_for(after, schedule).scheduled_local.strftime("%a %H:%M") == "Mon 09:00"


def test_berlin_and_new_york_between_their_dst_changes() -> None:
    # Mon 23 Mar 2026: New York is already on EDT (UTC-4), Berlin still on CET (UTC+1).
    assert period_for(utc(2026, 3, 23, 13, 0), NEW_YORK).scheduled_at == utc(2026, 3, 23, 13, 0)
    assert period_for(utc(2026, 3, 23, 8, 0), BERLIN).scheduled_at == utc(2026, 3, 23, 8, 0)


def test_nonexistent_local_time_fires_once_at_the_shifted_instant() -> None:
    # Sun 29 Mar 2026 02:30 does not exist in Berlin; read with the CET offset (fold=0)
    # it is 01:30Z, which is 03:30 CEST on the wall.
    sunday_0230 = DigestSchedule(weekday=6, hour=2, minute=30, timezone="Europe/Berlin")
    period = period_for(utc(2026, 3, 29, 12, 0), sunday_0230)
    assert period.key == "2026-W13"
    assert period.scheduled_at == utc(2026, 3, 29, 1, 30)
    assert period.scheduled_local.strftime("%H:%M %Z") == "03:30 CEST"
    # New York, Sun 8 Mar 2026 02:30 does not exist: EST offset, 07:30Z = 03:30 EDT.
    ny = DigestSchedule(weekday=6, hour=2, minute=30, timezone="America/New_York")
    assert period_for(utc(2026, 3, 8, 12, 0), ny).scheduled_at == utc(2026, 3, 8, 7, 30)


def test_ambiguous_local_time_is_its_first_occurrence() -> None:
    # Sun 25 Oct 2026 02:30 happens twice in Berlin: first at 02:30 CEST = 00:30Z.
    sunday_0230 = DigestSchedule(weekday=6, hour=2, minute=30, timezone="Europe/Berlin")
    period = period_for(utc(2026, 10, 25, 12, 0), sunday_0230)
    assert period.scheduled_at == utc(2026, 10, 25, 0, 30)
    # The second 02:30 (CET, 01:30Z) belongs to the same period: no second digest.
    assert period_for(utc(2026, 10, 25, 1, 30), sunday_0230).key == period.key
    assert due_periods(utc(2026, 10, 25, 1, 30), sunday_0230, period.key) == []
    # New York, Sun 1 Nov 2026 01:30 happens twice: first at 01:30 EDT = 05:30Z.
    ny = DigestSchedule(weekday=6, hour=1, minute=30, timezone="America/New_York")
    assert period_for(utc(2026, 11, 1, 12, 0), ny).scheduled_at == utc(2026, 11, 1, 5, 30)


# --- agreement with the scheduler --------------------------------------------------------


def _cron(schedule: DigestSchedule) -> CronTrigger:
    return CronTrigger(
        day_of_week=_CRON_DAYS[schedule.weekday],
        hour=schedule.hour,
        minute=schedule.minute,
        timezone=ZoneInfo(schedule.timezone),
    )


#: The 2026 DST changes of the zones under test (Kolkata has none).
_CHANGES = (utc(2026, 3, 8), utc(2026, 3, 29), utc(2026, 10, 25), utc(2026, 11, 1))


def _instants() -> list[datetime]:
    """Every 3h 7m through both change seasons, and every 11 minutes within a day of a change."""
    coarse = [
        start + timedelta(minutes=187 * i)
        for start, end in (
            (utc(2026, 3, 1), utc(2026, 4, 6)),
            (utc(2026, 10, 18), utc(2026, 11, 9)),
        )
        for i in range(int((end - start) / timedelta(minutes=187)))
    ]
    dense = [
        change - timedelta(days=1) + timedelta(minutes=11 * i)
        for change in _CHANGES
        for i in range(2 * 24 * 60 // 11)
    ]
    return coarse + dense


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize(
    ("weekday", "hour", "minute"),
    [(0, 9, 0), (6, 2, 30), (6, 1, 30), (6, 3, 0), (4, 23, 45)],
)
def test_next_fire_time_agrees_with_apscheduler_cron_across_dst(
    zone: str, weekday: int, hour: int, minute: int
) -> None:
    schedule = DigestSchedule(weekday, hour, minute, zone)
    trigger = _cron(schedule)
    for now in _instants():
        ours = next_fire_time(now, schedule)
        assert DigestTrigger(schedule).get_next_fire_time(None, now) == ours
        for asked in (now, now.astimezone(ZoneInfo(zone))):
            # Compare instants in UTC: PEP 495 makes == between zones False in a gap or fold.
            cron = trigger.get_next_fire_time(None, asked).astimezone(UTC)
            if cron == ours:
                continue
            if cron < ours:
                # The repeat of an ambiguous time, an hour into a period that already began.
                assert cron - period_for(cron, schedule).scheduled_at == timedelta(hours=1)
            else:
                # Asked inside the gap before a nonexistent time's shifted instant, CronTrigger
                # skips to next week; ours is that shifted instant (not the scheduled wall time).
                wall = ours.astimezone(ZoneInfo(zone))
                assert (wall.hour, wall.minute) != (hour, minute), (now, cron, ours)
                assert now.astimezone(ZoneInfo(zone)).time() > wall.replace(hour=hour).time()


def test_apscheduler_cron_skips_a_week_when_asked_inside_the_gap() -> None:
    # Sun 8 Mar 2026, New York: 02:30 does not exist. At 07:08Z (03:08 EDT) the wall clock is
    # past 02:30, so CronTrigger goes to 15 Mar; the shifted instant 07:30Z (03:30 EDT) is
    # still ahead, and that is when the period arithmetic (and DigestTrigger) fire.
    schedule = DigestSchedule(weekday=6, hour=2, minute=30, timezone="America/New_York")
    now = utc(2026, 3, 8, 7, 8)
    assert _cron(schedule).get_next_fire_time(None, now) == utc(2026, 3, 15, 6, 30)
    assert next_fire_time(now, schedule) == utc(2026, 3, 8, 7, 30)


def test_apscheduler_cron_fires_again_at_the_repeated_hour_but_the_period_is_the_same() -> None:
    # CronTrigger 3.11 fires a Sun 02:30 Berlin schedule twice on 25 Oct 2026: at 02:30 CEST
    # (00:30Z) and again at 02:30 CET (01:30Z). Both instants are in period 2026-W43, so the
    # (campaign, period) claim turns the second firing into a no-op; DigestTrigger never fires it.
    schedule = DigestSchedule(weekday=6, hour=2, minute=30, timezone="Europe/Berlin")
    first = _cron(schedule).get_next_fire_time(None, utc(2026, 10, 24))
    second = _cron(schedule).get_next_fire_time(first, utc(2026, 10, 25, 0, 30, 1))
    assert (first.astimezone(UTC), second.astimezone(UTC)) == (
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 25, 1, 30),
    )
    assert period_for(first, schedule).key == period_for(second, schedule).key == "2026-W43"
    assert due_periods(second, schedule, "2026-W43") == []
    assert DigestTrigger(schedule).get_next_fire_time(first, utc(2026, 10, 25, 0, 30, 1)) == utc(
        2026, 11, 1, 1, 30
    )


def test_apscheduler_cron_skips_monday_midnight_after_spring_forward_digest_trigger_does_not() -> (
    None
):
    # Known CronTrigger 3.11 behaviour: Mon 00:00 in Berlin right after 29 Mar 2026 is
    # skipped (it jumps to 6 Apr). 30 Mar 00:00 CEST = 29 Mar 22:00Z exists and is due.
    schedule = DigestSchedule(weekday=0, hour=0, minute=0, timezone="Europe/Berlin")
    now = utc(2026, 3, 25, 12, 0)
    assert _cron(schedule).get_next_fire_time(None, now) == utc(2026, 4, 5, 22, 0)
    assert next_fire_time(now, schedule) == utc(2026, 3, 29, 22, 0)
    assert DigestTrigger(schedule).get_next_fire_time(None, now) == utc(2026, 3, 29, 22, 0)


def test_digest_trigger_continues_from_its_previous_firing_and_pickles() -> None:
    trigger = pickle.loads(pickle.dumps(DigestTrigger(BERLIN)))
    fired = utc(2026, 11, 16, 8, 0)
    # Asked long after (downtime), it still answers the firing right after the previous
    # one, as CronTrigger does, so the scheduler can coalesce the missed runs.
    late_now = utc(2026, 11, 25, 10, 0)
    assert trigger.get_next_fire_time(fired, late_now) == utc(2026, 11, 23, 8, 0)
    assert _cron(BERLIN).get_next_fire_time(fired, late_now) == utc(2026, 11, 23, 8, 0)


# --- due periods: exactly one, late after downtime ---------------------------------------


def test_on_time_digest_is_due_once_and_not_late() -> None:
    now = utc(2026, 11, 23, 8, 0, 30)
    [due] = due_periods(now, BERLIN, "2026-W47")
    assert (due.period.key, due.late, due.skipped) == ("2026-W48", False, ())
    assert due_periods(now, BERLIN, "2026-W48") == []


def test_two_weeks_of_downtime_give_exactly_one_late_digest() -> None:
    # Last posted W46 (Mon 9 Nov); down from 15 Nov until Wed 25 Nov 10:00Z.
    [due] = due_periods(utc(2026, 11, 25, 10, 0), BERLIN, "2026-W46")
    assert due.period.key == "2026-W48"
    assert due.late is True
    assert due.skipped == ("2026-W47",)
    # Once the late one is claimed, nothing more is due until next Monday 09:00.
    assert due_periods(utc(2026, 11, 25, 10, 5), BERLIN, "2026-W48") == []
    [next_week] = due_periods(utc(2026, 11, 30, 8, 0), BERLIN, "2026-W48")
    assert (next_week.period.key, next_week.late) == ("2026-W49", False)


def test_restart_before_the_scheduled_time_posts_the_missed_week_late() -> None:
    # Down all of W47's Monday; back up Mon 23 Nov 07:00Z (08:00 CET, before 09:00).
    [due] = due_periods(utc(2026, 11, 23, 7, 0), BERLIN, "2026-W46")
    assert (due.period.key, due.late) == ("2026-W47", True)


def test_late_means_more_than_the_grace_after_the_scheduled_instant() -> None:
    [within] = due_periods(utc(2026, 11, 23, 8, 15), BERLIN, "2026-W47")
    [after] = due_periods(utc(2026, 11, 23, 8, 16), BERLIN, "2026-W47")
    assert (within.late, after.late) == (False, True)


def test_new_campaign_gets_no_digest_for_a_week_before_it_existed() -> None:
    created = utc(2026, 11, 18, 12, 0)
    assert due_periods(utc(2026, 11, 20, 12, 0), BERLIN, None, since=created) == []
    [first] = due_periods(utc(2026, 11, 23, 8, 0), BERLIN, None, since=created)
    assert (first.period.key, first.late) == ("2026-W48", False)


def test_a_later_last_posted_key_means_nothing_is_due() -> None:
    # The schedule moved from Monday to Friday mid-week: W48 was already posted on Monday.
    friday = DigestSchedule(weekday=4, hour=9, minute=0, timezone="Europe/Berlin")
    assert due_periods(utc(2026, 11, 25, 12, 0), friday, "2026-W48") == []


def test_naive_now_and_bad_schedules_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        period_for(datetime(2026, 11, 23, 8, 0), BERLIN)
    with pytest.raises(ValueError, match="weekday"):
        DigestSchedule(weekday=7)
    with pytest.raises(ValueError, match="time of day"):
        DigestSchedule(hour=24)
    with pytest.raises(LookupError):  # ZoneInfoNotFoundError is a KeyError
        DigestSchedule(timezone="Mars/Olympus_Mons")
