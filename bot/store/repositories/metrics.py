"""Daily Search Console metrics of a campaign: one row per (campaign, day, source)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from bot.store.models import CampaignMetric
from bot.store.repositories._upsert import insert_on_conflict

#: Rows per statement: well under PostgreSQL's and SQLite's bound-parameter limits.
_UPSERT_CHUNK = 500
_UPDATED = ("clicks", "impressions", "position", "recorded_at")


def upsert_campaign_metrics(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert new days and overwrite known ones (clicks, impressions, position, recorded_at)."""
    for start in range(0, len(rows), _UPSERT_CHUNK):
        statement = insert_on_conflict(session, CampaignMetric).values(
            list(rows[start : start + _UPSERT_CHUNK])
        )
        statement = statement.on_conflict_do_update(
            index_elements=[CampaignMetric.campaign_id, CampaignMetric.day, CampaignMetric.source],
            set_={name: statement.excluded[name] for name in _UPDATED},
        )
        session.execute(statement)
