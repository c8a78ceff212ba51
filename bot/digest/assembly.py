"""Turning a campaign's week of data into a ``Digest``: a pure function over plain values.

The numbers follow the seed guide's reporting view (referring-domain growth,
keyword movement, landing-page traffic, link-source quality) plus the gap
progress of DESIGN 2.4/2.5. Velocity and ETA come from ``bot.gap.velocity``,
so the digest and the gap report can never disagree about the pace.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta

from bot.digest.internal_support import internal_support_change
from bot.digest.models import (
    Digest,
    DigestInput,
    DomainChanges,
    JunkShare,
    Movement,
    ProgressBar,
    ProgressStage,
    SnapshotLike,
    Traffic,
)
from bot.digest.next_step import choose_next_step
from bot.digest.snapshots import daily_history, has_domains, snapshot_on_or_before
from bot.gap.velocity import eta_days, link_velocity

WEEK = timedelta(days=7)
#: New and lost domains listed by name (the rest are counted).
DOMAINS_SHOWN = 5
PROGRESS_CELLS = 10
#: DESIGN 3's anchor classes, in the order they are tried (ties in the mix follow it).
ANCHOR_CLASSES = ("empty", "naked-url", "brand", "exact", "partial", "generic", "other")


def assemble_digest(data: DigestInput) -> Digest:
    """Everything the weekly message says about one campaign, computed from ``data`` alone."""
    history = daily_history(data.history)
    now_snap = snapshot_on_or_before(data.history, data.today)
    week_snap = snapshot_on_or_before(data.history, data.today - WEEK)
    rds_now = now_snap.quality_referring_domains if now_snap else None
    rds_week_ago = week_snap.quality_referring_domains if week_snap else None

    entry_gap = _gap(data.entry_target, rds_now)
    stretch_gap = _gap(data.stretch_target, rds_now)
    progress = progress_bar(
        history[0].quality_referring_domains if history else None,
        rds_now,
        data.entry_target,
        data.stretch_target,
    )
    velocity = link_velocity(history, data.today, rds_now) if rds_now is not None else None
    goal_gap = _goal_gap(progress)
    eta = eta_days(goal_gap, velocity)
    domains = domain_changes(now_snap, week_snap, data.domain_ratings)

    return Digest(
        keyword=data.keyword,
        target_url=data.target_url,
        period=data.period,
        late=data.late,
        rds_now=rds_now,
        rds_week_ago=rds_week_ago,
        domains=domains,
        junk_share=junk_share(data.new_domains_all, now_snap),
        entry_target=data.entry_target,
        stretch_target=data.stretch_target,
        entry_gap=entry_gap,
        stretch_gap=stretch_gap,
        progress=progress,
        velocity_per_30_days=velocity.per_30_days if velocity else None,
        eta_days=eta,
        eta_date=data.today + timedelta(days=eta) if eta is not None else None,
        movement=movement(data, now_snap, week_snap),
        traffic=(
            Traffic(
                data.traffic.last_7_days,
                data.traffic.previous_7_days,
                data.traffic.source,
                data.traffic.previous_known,
            )
            if data.traffic
            else None
        ),
        anchor_mix=anchor_mix(data.live_anchor_classes),
        placements=data.placements,
        next_step=choose_next_step(data, rds_now, entry_gap, stretch_gap, domains),
        history=tuple(history),
        internal_support=internal_support_change(data.internal_support_counts, data.today),
    )


def _gap(target: int | None, current: int | None) -> int | None:
    if target is None or current is None:
        return None
    return max(0, target - current)


def _goal_gap(progress: ProgressBar | None) -> int | None:
    if progress is None:
        return None
    return max(0, progress.goal - progress.current)


def progress_bar(
    start: int | None,
    current: int | None,
    entry_target: int | None,
    stretch_target: int | None,
    cells: int = PROGRESS_CELLS,
) -> ProgressBar | None:
    """Cells filled from the first snapshot's count toward the entry target, then the stretch.

    The bar always measures from where the campaign started, so reaching the
    entry target does not empty it: it shows how far along the way to the
    stretch target the page already is. Cells are rounded down, so a full bar
    means the target is really reached.
    """
    if start is None or current is None:
        return None
    targets = [t for t in (entry_target, stretch_target) if t is not None]
    if not targets:
        return None
    stage: ProgressStage
    if entry_target is not None and current < entry_target:
        stage, goal = "entry", entry_target
    elif stretch_target is not None and current < stretch_target:
        stage, goal = "stretch", stretch_target
    else:
        return ProgressBar("done", start, current, max(targets), cells, cells)
    span = goal - start
    filled = 0 if span <= 0 else max(0, min(cells, (current - start) * cells // span))
    return ProgressBar(stage, start, current, goal, filled, cells)


def domain_changes(
    now_snap: SnapshotLike | None,
    week_snap: SnapshotLike | None,
    ratings: Mapping[str, float],
    shown: int = DOMAINS_SHOWN,
) -> DomainChanges | None:
    """Quality domains gained and lost over the week; ``None`` when a side has no domain list.

    A snapshot with a positive count and no domains came from a counts-only
    provider: an empty set there would wrongly read as "lost them all".
    """
    if now_snap is None or week_snap is None:
        return None
    if not has_domains(now_snap) or not has_domains(week_snap):
        return None
    now_set, then_set = set(now_snap.quality_domains), set(week_snap.quality_domains)
    new, lost = now_set - then_set, then_set - now_set
    return DomainChanges(
        new=_strongest(new, ratings)[:shown],
        lost=_strongest(lost, ratings)[:shown],
        new_count=len(new),
        lost_count=len(lost),
    )


def _strongest(domains: set[str], ratings: Mapping[str, float]) -> tuple[str, ...]:
    """Highest rating first (unrated last), then by name: stable and readable."""
    return tuple(sorted(domains, key=lambda d: (-ratings.get(d, -1.0), d)))


def junk_share(
    new_domains_all: Sequence[str] | None, now_snap: SnapshotLike | None
) -> JunkShare | None:
    """New domains of the week that are in today's quality set, out of all new domains."""
    if new_domains_all is None or now_snap is None or not has_domains(now_snap):
        return None
    raw = set(new_domains_all)
    return JunkShare(passed=len(raw & set(now_snap.quality_domains)), total=len(raw))


def movement(
    data: DigestInput, now_snap: SnapshotLike | None, week_snap: SnapshotLike | None
) -> Movement:
    """Search Console's average position when connected, else the SERP snapshots' position.

    Without a reading a week ago (the first week) the movement is marked not
    compared: "not ranking → #6" would claim a climb nobody measured.
    """
    if data.positions is not None:
        return Movement(
            data.positions.now,
            data.positions.week_ago,
            data.positions.source,
            compared=data.positions.week_ago_known,
        )
    return Movement(
        float(now_snap.position) if now_snap and now_snap.position is not None else None,
        float(week_snap.position) if week_snap and week_snap.position is not None else None,
        "serp-snapshot",
        compared=week_snap is not None,
    )


def anchor_mix(classes: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Live placements per anchor class, most used first, ties in DESIGN's class order."""
    counts = Counter(classes)
    order = {name: i for i, name in enumerate(ANCHOR_CLASSES)}
    return tuple(
        sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0], 99), item[0]))
    )
