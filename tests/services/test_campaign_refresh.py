from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.services.campaign_refresh import refresh_campaign
from bot.store.db import transaction
from bot.store.models import Analysis, RdSnapshotRow
from tests.scenarios.digest_seed import archive, seed_campaign


def analyses_of(sessions: sessionmaker[Session], campaign_id: int) -> int:
    with transaction(sessions) as session:
        return len(
            session.scalars(select(Analysis).where(Analysis.campaign_id == campaign_id)).all()
        )


def test_a_refresh_records_the_days_snapshot_and_an_analysis_of_the_campaign(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = seed_campaign(session_factory)
    before = analyses_of(session_factory, campaign_id)
    outcome = refresh_campaign(session_factory, campaign_id, default_provider="demo", environ={})
    assert outcome is not None
    assert outcome.sample_data
    assert analyses_of(session_factory, campaign_id) == before + 1
    with transaction(session_factory) as session:
        today = session.scalars(
            select(RdSnapshotRow).where(RdSnapshotRow.day == date.today())
        ).all()
        assert len(today) == 1
        assert today[0].quality_referring_domains == outcome.report.own.quality_referring_domains


def test_an_archived_campaign_is_not_refreshed(session_factory: sessionmaker[Session]) -> None:
    campaign_id = seed_campaign(session_factory)
    archive(session_factory, campaign_id)
    assert (
        refresh_campaign(session_factory, campaign_id, default_provider="demo", environ={}) is None
    )
