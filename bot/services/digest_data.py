"""Reading one campaign's digest inputs from the store.

Everything the pure assembly needs — snapshot history, the latest analysis's
targets and prospects, traffic and positions, the approvals pipeline — read in
one transaction and handed over as plain ``bot.digest.models`` values.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.models import (
    DigestInput,
    DigestSnapshot,
    PlacementSummary,
    PositionReading,
    TrafficReading,
)
from bot.digest.periods import DigestPeriod
from bot.gap.models import Prospect
from bot.store.models import Analysis, Campaign, CampaignMetric, Placement, RdSnapshotRow
from bot.store.repositories import keyword_key

HISTORY_DAYS = 120
WEEK = timedelta(days=7)


def _matching_analysis(session: Session, campaign: Campaign) -> Analysis | None:
    for analysis in session.scalars(
        select(Analysis)
        .where(
            Analysis.workspace_id == campaign.workspace_id,
            Analysis.target_key == campaign.target_key,
        )
        .order_by(Analysis.created_at.desc(), Analysis.id.desc())
        .limit(50)
    ):
        if (
            analysis.campaign_id == campaign.id
            or keyword_key(analysis.keyword) == campaign.keyword_key
        ):
            return analysis
    return None


def _prospects(analysis: Analysis | None) -> list[Prospect]:
    if analysis is None:
        return []
    found = []
    for row in analysis.report.get("prospects", []):
        try:
            found.append(
                Prospect(
                    domain=str(row["domain"]),
                    competitors_linked=int(row["competitors_linked"]),
                    domain_rating=row.get("domain_rating"),
                    warm=bool(row.get("warm")),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return found


def _plan_domains(analysis: Analysis | None) -> list[str]:
    """The stored plan's prospects in order (empty for an analysis from before plans)."""
    if analysis is None:
        return []
    plan = analysis.report.get("plan")
    if not isinstance(plan, dict):
        return []
    entries = plan.get("prospects")
    if not isinstance(entries, list):
        return []
    return [
        str(entry["domain"]) for entry in entries if isinstance(entry, dict) and entry.get("domain")
    ]


def _metrics(
    session: Session, campaign: Campaign, today_start: datetime
) -> tuple[TrafficReading | None, PositionReading | None]:
    day = today_start.date()
    rows = list(
        session.scalars(
            select(CampaignMetric).where(
                CampaignMetric.campaign_id == campaign.id,
                CampaignMetric.day > day - timedelta(days=21),
                CampaignMetric.day <= day,
            )
        )
    )
    for source in ("search-console", "provider-estimate"):
        chosen = [row for row in rows if row.source == source]
        if not chosen:
            continue
        # Search Console lags two or three days: compare the latest 7 days the source has
        # with the 7 before them, not a half-empty "this week" with a full last week.
        latest = max(row.day for row in chosen)
        recent = [row for row in chosen if row.day > latest - WEEK]
        earlier = [row for row in chosen if latest - 2 * WEEK < row.day <= latest - WEEK]
        traffic = TrafficReading(
            last_7_days=sum(row.clicks or 0 for row in recent),
            previous_7_days=sum(row.clicks or 0 for row in earlier),
            source=source,
            previous_known=bool(earlier),
        )
        positions = None
        if source == "search-console":
            now_positions = [row.position for row in recent if row.position is not None]
            old_positions = [row.position for row in earlier if row.position is not None]
            positions = PositionReading(
                now=round(mean(now_positions), 1) if now_positions else None,
                week_ago=round(mean(old_positions), 1) if old_positions else None,
                week_ago_known=bool(earlier),
            )
        return traffic, positions
    return None, None


def _pipeline(
    session: Session, campaign: Campaign, now: datetime
) -> tuple[PlacementSummary, list[str], frozenset[str]]:
    placements = list(
        session.scalars(select(Placement).where(Placement.campaign_id == campaign.id))
    )
    week_ago = now - WEEK
    pending = [p for p in placements if p.status == "proposed"]
    summary = PlacementSummary(
        pending=len(pending),
        approved=sum(
            1
            for p in placements
            if p.decided_at and p.decided_at >= week_ago and p.status in {"approved", "live"}
        ),
        rejected=sum(
            1
            for p in placements
            if p.decided_at and p.decided_at >= week_ago and p.status == "rejected"
        ),
        live_this_week=sum(1 for p in placements if p.live_at and p.live_at >= week_ago),
        oldest_pending_at=min((p.created_at for p in pending), default=None),
    )
    proposed = frozenset(p.prospect_domain for p in placements if p.status != "withdrawn")
    return summary, [p.anchor_class for p in placements if p.status == "live"], proposed


def digest_input(
    session: Session, campaign: Campaign, *, now: datetime, period: DigestPeriod, late: bool
) -> DigestInput:
    zone = ZoneInfo(campaign.timezone)
    today = now.astimezone(zone).date()
    rows = list(
        session.scalars(
            select(RdSnapshotRow)
            .where(
                RdSnapshotRow.workspace_id == campaign.workspace_id,
                RdSnapshotRow.page_key == campaign.target_key,
                RdSnapshotRow.day >= today - timedelta(days=HISTORY_DAYS),
                RdSnapshotRow.day <= today,
            )
            .order_by(RdSnapshotRow.day)
        )
    )
    internal_support_counts = [
        (row.day, row.internal_linking_pages)
        for row in rows
        if row.internal_linking_pages is not None
    ]
    history = [
        DigestSnapshot(
            day=row.day,
            quality_referring_domains=row.quality_referring_domains,
            quality_domains=tuple(row.quality_domains or ()),
            position=row.position,
        )
        for row in rows
    ]
    analysis = _matching_analysis(session, campaign)
    traffic, positions = _metrics(session, campaign, now.astimezone(zone))
    pipeline, live_anchors, proposed_domains = _pipeline(session, campaign, now)
    prospects = _prospects(analysis)
    return DigestInput(
        keyword=campaign.keyword,
        target_url=campaign.target_url,
        entry_target=analysis.entry_target if analysis else None,
        stretch_target=analysis.stretch_target if analysis else None,
        history=history,
        today=today,
        now=now,
        period=period,
        late=late,
        positions=positions,
        traffic=traffic,
        placements=pipeline,
        live_anchor_classes=live_anchors,
        prospects=prospects,
        plan_domains=_plan_domains(analysis),
        proposed_domains=proposed_domains,
        domain_ratings={
            p.domain: p.domain_rating for p in prospects if p.domain_rating is not None
        },
        internal_support_counts=internal_support_counts,
    )
