"""Analyses as reported: the JSON contract plus the numbers a campaign's history is built from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.gap.urls import normalise_url
from bot.store.models import Analysis, Campaign
from bot.store.types import utc_now

_REQUIRED = (
    "keyword",
    "target_url",
    "provider",
    "sample_data",
    "entry_target",
    "stretch_target",
    "entry_gap",
    "stretch_gap",
)


def record_analysis(
    session: Session,
    workspace_id: int,
    report: Mapping[str, Any],
    *,
    campaign_id: int | None = None,
    created_by: str | None = None,
    now: datetime | None = None,
) -> Analysis:
    """Keep one analysis: ``report`` is the DESIGN section 9 contract (``linkgap gap --json``).

    The searchable columns are read from the report itself, so they can never
    disagree with it. A campaign id of another workspace is refused.
    """
    missing = [key for key in _REQUIRED if key not in report]
    if missing:
        raise ValueError(f"the report lacks {', '.join(missing)} (DESIGN section 9 contract)")
    if campaign_id is not None:
        owner = session.scalar(select(Campaign.workspace_id).where(Campaign.id == campaign_id))
        if owner != workspace_id:
            raise LookupError(f"no campaign {campaign_id} in workspace {workspace_id}")
    analysis = Analysis(
        workspace_id=workspace_id,
        campaign_id=campaign_id,
        keyword=str(report["keyword"]),
        target_url=str(report["target_url"]),
        target_key=normalise_url(str(report["target_url"])),
        provider=str(report["provider"]),
        sample_data=bool(report["sample_data"]),
        entry_target=report["entry_target"],
        stretch_target=report["stretch_target"],
        entry_gap=report["entry_gap"],
        stretch_gap=report["stretch_gap"],
        report=dict(report),
        created_by=created_by,
        created_at=now or utc_now(),
    )
    session.add(analysis)
    session.flush()
    return analysis


def recent_analyses(
    session: Session, workspace_id: int, *, campaign_id: int | None = None, limit: int = 20
) -> list[Analysis]:
    """The workspace's latest analyses (of one campaign when given), newest first."""
    query = select(Analysis).where(Analysis.workspace_id == workspace_id)
    if campaign_id is not None:
        query = query.where(Analysis.campaign_id == campaign_id)
    query = query.order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(limit)
    return list(session.scalars(query))
