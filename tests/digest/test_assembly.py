"""Digest numbers from the seeded history in ``factories.py``, checked against hand arithmetic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.digest.assembly import assemble_digest, progress_bar
from bot.digest.models import (
    DigestSnapshot,
    PlacementSummary,
    PositionReading,
    TrafficReading,
)
from bot.gap.models import Prospect
from bot.store.repositories.snapshots import PageSnapshot
from tests.digest.factories import LOST, NEW, TODAY, seeded_history, seeded_input, sites


def test_quality_rds_now_and_a_week_ago_come_from_the_snapshots_on_those_days() -> None:
    digest = assemble_digest(seeded_input())
    # Today's snapshot (23 Nov) has 28; the one on 16 Nov (today - 7) has 26: +2.
    assert (digest.rds_now, digest.rds_week_ago, digest.rds_change) == (28, 26, 2)
    assert digest.period.key == "2026-W48"


def test_a_missing_day_falls_back_to_the_snapshot_before_it_never_after() -> None:
    history = [s for s in seeded_history() if s.day != date(2026, 11, 16)]
    history.append(DigestSnapshot(date(2026, 11, 24), 99))  # tomorrow: must be ignored
    digest = assemble_digest(seeded_input(history=history))
    # Without 16 Nov, "7 days ago" is the 9 Nov snapshot (24); "now" stays 23 Nov (28).
    assert (digest.rds_now, digest.rds_week_ago, digest.rds_change) == (28, 24, 4)


def test_new_and_lost_domains_by_name() -> None:
    changes = assemble_digest(seeded_input()).domains
    assert changes is not None
    # now - week ago = the 4 new ones; week ago - now = site03, site07.
    assert changes.new == ("alpha-news.com", "bravo-blog.org", "charlie.io", "delta-review.net")
    assert changes.lost == LOST
    assert (changes.new_count, changes.lost_count) == (4, 2)


def test_new_domains_are_strongest_first_when_ratings_are_given() -> None:
    ratings = {"delta-review.net": 70.0, "charlie.io": 55.0}
    changes = assemble_digest(seeded_input(domain_ratings=ratings)).domains
    assert changes is not None
    # Rated first by rating (70, 55), then unrated by name.
    assert changes.new == ("delta-review.net", "charlie.io", "alpha-news.com", "bravo-blog.org")


def test_only_the_top_five_new_domains_are_named() -> None:
    history = seeded_history()
    history[-1] = DigestSnapshot(TODAY, 33, (*sites(26), *(f"new{i}.org" for i in range(7))))
    changes = assemble_digest(seeded_input(history=history)).domains
    assert changes is not None
    assert changes.new == ("new0.org", "new1.org", "new2.org", "new3.org", "new4.org")
    assert (changes.new_count, changes.lost_count) == (7, 0)


def test_counts_only_snapshots_give_no_domain_changes_rather_than_lost_everything() -> None:
    history = [DigestSnapshot(date(2026, 11, 16), 26), DigestSnapshot(TODAY, 28)]
    digest = assemble_digest(seeded_input(history=history))
    assert digest.domains is None
    assert digest.rds_change == 2


def test_share_of_new_domains_that_pass_the_junk_filter() -> None:
    raw = (*NEW, "seo-links.xyz", "webstat-dir.top", "alpha-news.com")  # a repeat counts once
    share = assemble_digest(seeded_input(new_domains_all=raw)).junk_share
    assert share is not None
    # 6 distinct new domains, 4 of them in today's quality set: 4/6 = 66.7% -> 67.
    assert (share.passed, share.total, share.percent) == (4, 6, 67)
    assert assemble_digest(seeded_input()).junk_share is None  # the provider gave no raw list


def test_gaps_progress_bar_velocity_and_eta() -> None:
    digest = assemble_digest(seeded_input())
    # Entry gap 37 - 28 = 9, stretch gap 60 - 28 = 32.
    assert (digest.entry_gap, digest.stretch_gap) == (9, 32)
    # Bar from the first snapshot (10) toward the entry target (37):
    # (28 - 10) * 10 // (37 - 10) = 180 // 27 = 6 cells.
    assert digest.progress is not None
    assert digest.progress.bar == "▓▓▓▓▓▓░░░░"
    assert (digest.progress.stage, digest.progress.start, digest.progress.goal) == ("entry", 10, 37)
    # Velocity: the oldest snapshot in the 90-day window is 25 Aug (exactly 90 days ago):
    # (28 - 10) * 30 / 90 = 6.0 per 30 days. ETA to the entry gap: 9 / 6.0 * 30 = 45 days.
    assert digest.velocity_per_30_days == 6.0
    assert digest.eta_days == 45
    assert digest.eta_date == date(2027, 1, 7)  # 23 Nov 2026 + 45 days


def test_after_the_entry_target_the_bar_and_eta_aim_for_the_stretch() -> None:
    digest = assemble_digest(seeded_input(entry_target=28))
    assert digest.progress is not None
    # (28 - 10) * 10 // (60 - 10) = 180 // 50 = 3 cells; ETA 32 / 6.0 * 30 = 160 days.
    assert (digest.progress.stage, digest.progress.bar) == ("stretch", "▓▓▓░░░░░░░")
    assert digest.eta_days == 160


@pytest.mark.parametrize(
    ("start", "current", "entry", "stretch", "stage", "filled"),
    [
        (10, 28, 20, 28, "done", 10),  # both reached: full bar
        (10, 36, 37, 60, "entry", 9),  # 26 * 10 // 27 = 9: not full until really reached
        (40, 35, 37, 60, "entry", 0),  # started above the entry target, then lost links
        (10, 5, 37, 60, "entry", 0),  # below the start: never negative
        (10, 28, None, 60, "stretch", 3),  # no entry target (already outranks): stretch only
    ],
)
def test_progress_bar_cells(
    start: int, current: int, entry: int | None, stretch: int, stage: str, filled: int
) -> None:
    bar = progress_bar(start, current, entry, stretch)
    assert bar is not None
    assert (bar.stage, bar.filled) == (stage, filled)
    assert len(bar.bar) == 10
    assert progress_bar(start, current, None, None) is None


def test_eta_is_absent_without_two_weeks_of_history() -> None:
    history = [DigestSnapshot(date(2026, 11, 16), 26), DigestSnapshot(TODAY, 28)]
    digest = assemble_digest(seeded_input(history=history))
    # The window's oldest snapshot is 7 days old: under bot.gap.velocity's 14-day minimum.
    assert (digest.velocity_per_30_days, digest.eta_days) == (None, None)


def test_keyword_movement_from_serp_snapshots() -> None:
    movement = assemble_digest(seeded_input()).movement
    # Position 14 on 16 Nov, 11 today: up 3.
    assert (movement.week_ago, movement.now, movement.places_gained) == (14, 11, 3)
    assert movement.source == "serp-snapshot"


def test_keyword_movement_prefers_search_console_when_connected() -> None:
    digest = assemble_digest(seeded_input(positions=PositionReading(now=8.4, week_ago=9.6)))
    assert digest.movement.source == "search-console"
    assert digest.movement.places_gained == pytest.approx(1.2)  # 9.6 - 8.4


def test_not_ranking_has_no_movement_number() -> None:
    history = seeded_history()
    history[-1] = replace(history[-1], position=None)
    movement = assemble_digest(seeded_input(history=history)).movement
    assert (movement.week_ago, movement.now, movement.places_gained) == (14, None, None)


@pytest.mark.parametrize(
    ("last", "previous", "percent"),
    [(1150, 1000, 15.0), (900, 1200, -25.0), (40, 0, None)],
)
def test_traffic_change_against_the_previous_seven_days(
    last: int, previous: int, percent: float | None
) -> None:
    reading = TrafficReading(last, previous, "search-console")
    traffic = assemble_digest(seeded_input(traffic=reading)).traffic
    assert traffic is not None
    # (1150 - 1000) / 1000 = +15%; (900 - 1200) / 1200 = -25%; no visits before: no %.
    assert traffic.change_percent == percent
    assert traffic.source == "search-console"


def test_traffic_not_connected() -> None:
    assert assemble_digest(seeded_input()).traffic is None


def test_anchor_mix_and_exact_share() -> None:
    classes = ["brand", "exact", "brand", "partial", "generic", "brand", "partial"]
    digest = assemble_digest(seeded_input(live_anchor_classes=classes))
    # brand 3, partial 2, then the 1-1 tie in DESIGN's order: exact before generic.
    assert digest.anchor_mix == (("brand", 3), ("partial", 2), ("exact", 1), ("generic", 1))
    assert digest.exact_anchor_share == 14  # 1 / 7 = 14.3%


def test_late_flag_and_pipeline_pass_through() -> None:
    pipeline = PlacementSummary(pending=1, approved=2, rejected=1, live_this_week=1)
    digest = assemble_digest(seeded_input(late=True, placements=pipeline))
    assert digest.late is True
    assert digest.placements == pipeline


def test_store_page_snapshots_fit_as_they_are() -> None:
    def page(day: date, domains: tuple[str, ...], position: int) -> PageSnapshot:
        return PageSnapshot(
            "example.com/trail-shoes", day, 40, len(domains), domains, position, "demo"
        )

    history = [page(date(2026, 11, 16), ("a.com", "b.com"), 12), page(TODAY, ("b.com", "c.com"), 9)]
    digest = assemble_digest(seeded_input(history=history))
    assert digest.domains is not None
    assert (digest.domains.new, digest.domains.lost) == (("c.com",), ("a.com",))
    assert digest.movement.places_gained == 3


# --- next step: one rule each ------------------------------------------------------------


def _step(**changes: object) -> tuple[str, str]:
    step = assemble_digest(seeded_input(**changes)).next_step
    return step.code, step.message


def test_next_step_keep_going_by_default() -> None:
    assert _step() == ("keep-going", "Keep going: 9 quality referring domains to the entry target.")


def test_next_step_no_data() -> None:
    assert _step(history=[])[0] == "no-data"


def test_next_step_pending_approvals_waiting_more_than_three_days() -> None:
    # Proposed 18 Nov 09:00Z, now 23 Nov 08:00Z: 4 days 23 hours.
    old = PlacementSummary(pending=2, oldest_pending_at=datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    assert _step(placements=old) == (
        "approvals-waiting",
        "2 placements waiting for approval, the oldest for 4 days: "
        "approvers, please vote in the approvals channel.",
    )
    # Proposed 20 Nov 09:00Z: 2 days 23 hours, not yet a nudge.
    fresh = replace(old, oldest_pending_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    assert _step(placements=fresh)[0] == "keep-going"


def test_next_step_losing_domains() -> None:
    history = seeded_history()
    # 26 a week ago; today site03, site07, site11 gone and one new: lost 3 > new 1.
    kept = tuple(d for d in sites(26) if d not in {"site03.com", "site07.com", "site11.com"})
    history[-1] = DigestSnapshot(TODAY, 24, (*kept, "new.org"))
    assert _step(history=history) == (
        "losing-domains",
        "3 quality referring domains lost this week (site03.com, site07.com, site11.com): "
        "check whether those links were removed or changed and ask for them back.",
    )


def test_next_step_entry_target_reached() -> None:
    assert _step(entry_target=28) == (
        "entry-reached",
        "Entry target reached: aim for the stretch target (32 quality referring domains to go).",
    )


def test_next_step_both_targets_reached() -> None:
    assert _step(entry_target=20, stretch_target=28)[0] == "targets-reached"


def test_next_step_prospects_linking_to_three_or_more_competitors() -> None:
    prospects = [
        Prospect("a.com", 4, 50.0, False),
        Prospect("b.com", 3, 40.0, False),
        Prospect("c.com", 3, None, True),
        Prospect("d.com", 2, 80.0, False),  # only 2 competitors: not named
    ]
    assert _step(prospects=prospects) == (
        "strong-prospects",
        "3 prospects link to 3+ competitors and not to you: a.com, b.com, c.com",
    )
    more = [*prospects[:3], Prospect("e.com", 5, None, False)]
    assert _step(prospects=more)[1].endswith("a.com, b.com, c.com and 1 more")


def test_next_step_no_new_domains_in_two_weeks() -> None:
    # The same 26 domains on 9 Nov, 16 Nov and today.
    flat = [
        DigestSnapshot(date(2026, 8, 25), 10),
        DigestSnapshot(date(2026, 11, 9), 26, sites(26)),
        DigestSnapshot(date(2026, 11, 16), 26, sites(26)),
        DigestSnapshot(TODAY, 26, sites(26)),
    ]
    assert _step(history=flat)[0] == "stalled"
    counts_only = [DigestSnapshot(date(2026, 11, 9), 26), DigestSnapshot(TODAY, 26)]
    assert _step(history=counts_only)[0] == "stalled"


def test_next_step_without_targets() -> None:
    assert _step(entry_target=None, stretch_target=None)[0] == "no-targets"


def test_rule_order_approvals_before_prospects() -> None:
    old = PlacementSummary(pending=1, oldest_pending_at=datetime(2026, 11, 1, tzinfo=UTC))
    prospects = [Prospect("a.com", 4, 50.0, False)]
    code, message = _step(placements=old, prospects=prospects)
    assert code == "approvals-waiting"
    assert message.startswith("1 placement waiting for approval, the oldest for 22 days")


def test_next_step_pitches_the_head_of_the_link_plan_not_yet_proposed() -> None:
    plan = ("a.com", "b.com", "c.com", "d.com", "e.com")
    # Entry gap 37 - 28 = 9; b.com already has a placement in this campaign: skipped.
    assert _step(plan_domains=plan, proposed_domains=frozenset({"b.com"})) == (
        "pitch-plan",
        "Pitch these 3 first: a.com, c.com, d.com — the head of the link plan for the entry "
        "gap of 9 quality referring domains; `/linkgap plan` gives each one's reason.",
    )
    assert _step(plan_domains=("a.com",))[1].startswith("Pitch this one first: a.com — ")


def test_the_plan_wins_over_strong_prospects_and_yields_when_all_are_proposed() -> None:
    prospects = [Prospect("x.com", 4, 50.0, False)]
    assert _step(prospects=prospects, plan_domains=("a.com",))[0] == "pitch-plan"
    done = _step(
        prospects=prospects, plan_domains=("a.com",), proposed_domains=frozenset({"a.com"})
    )
    assert done[0] == "strong-prospects"


def test_no_pitch_once_the_entry_target_is_reached() -> None:
    assert _step(entry_target=20, plan_domains=("a.com",))[0] == "entry-reached"


def test_the_first_week_claims_no_position_movement() -> None:
    # One snapshot only, today, ranking #6: nothing a week ago to compare with.
    first = [DigestSnapshot(TODAY, 28, sites(28), position=6)]
    movement = assemble_digest(seeded_input(history=first)).movement
    assert (movement.now, movement.compared) == (6.0, False)
    assert movement.places_gained is None
    # With a snapshot a week ago that did not rank, the page really is new in the results.
    second = [DigestSnapshot(date(2026, 11, 16), 26, sites(26)), *first]
    movement = assemble_digest(seeded_input(history=second)).movement
    assert (movement.now, movement.week_ago, movement.compared) == (6.0, None, True)


def test_search_console_just_connected_is_not_compared() -> None:
    fresh = PositionReading(now=7.4, week_ago=None, week_ago_known=False)
    digest = assemble_digest(seeded_input(positions=fresh))
    assert (digest.movement.now, digest.movement.compared) == (7.4, False)
    traffic = TrafficReading(120, 0, "search-console", previous_known=False)
    assert assemble_digest(seeded_input(traffic=traffic)).traffic is not None
    assert assemble_digest(seeded_input(traffic=traffic)).traffic.previous_known is False  # type: ignore[union-attr]
