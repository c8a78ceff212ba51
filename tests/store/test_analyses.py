"""Analyses are kept as reported, findable per workspace and campaign."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.models import Campaign
from bot.store.repositories import (
    CampaignSpec,
    create_campaign,
    get_or_create_workspace,
    recent_analyses,
    record_analysis,
)


def _report(**overrides: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "keyword": "trail running shoes",
        "target_url": "https://www.shop.example/trail-shoes/",
        "provider": "demo",
        "sample_data": True,
        "own": {"url": "https://www.shop.example/trail-shoes/", "position": None},
        "results": [],
        "entry_target": 42,
        "stretch_target": 120,
        "entry_gap": 30,
        "stretch_gap": 108,
        "prospects": [],
        "flags": [{"code": "sample-data", "message": "Sample data."}],
    }
    report.update(overrides)
    return report


def test_recorded_analysis_keeps_the_report_and_its_numbers(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id

    analysis = record_analysis(session, ws, _report(entry_target=None, entry_gap=None))
    session.commit()
    session.expire_all()

    (stored,) = recent_analyses(session, ws)
    assert stored.id == analysis.id
    assert (stored.entry_target, stored.stretch_target, stored.entry_gap) == (None, 120, None)
    assert stored.target_key == "shop.example/trail-shoes"
    assert stored.sample_data is True
    assert stored.report["flags"] == [{"code": "sample-data", "message": "Sample data."}]


def test_recent_analyses_are_newest_first_and_per_campaign(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    campaign = create_campaign(session, ws, CampaignSpec("shoes", "https://shop.example/shoes"))
    start = datetime(2025, 6, 1, tzinfo=UTC)
    old = record_analysis(session, ws, _report(), campaign_id=campaign.id, now=start)
    new = record_analysis(session, ws, _report(), campaign_id=campaign.id,
                          now=start + timedelta(days=7))  # fmt: skip
    loose = record_analysis(session, ws, _report(), now=start + timedelta(days=1))

    assert [a.id for a in recent_analyses(session, ws, campaign_id=campaign.id)] == [
        new.id,
        old.id,
    ]
    assert [a.id for a in recent_analyses(session, ws)] == [new.id, loose.id, old.id]
    assert recent_analyses(session, get_or_create_workspace(session, "T2").id) == []


def test_a_campaign_of_another_workspace_is_refused(session: Session) -> None:
    ours = get_or_create_workspace(session, "T1").id
    theirs = get_or_create_workspace(session, "T2").id
    their_campaign = create_campaign(session, theirs, CampaignSpec("x", "https://x.example/"))

    with pytest.raises(LookupError):
        record_analysis(session, ours, _report(), campaign_id=their_campaign.id)


def test_report_without_the_contract_fields_is_refused(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id

    with pytest.raises(ValueError, match="entry_target"):
        record_analysis(session, ws, {"keyword": "k", "target_url": "https://x.example/"})


def test_deleting_a_campaign_keeps_its_analyses(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    campaign = create_campaign(session, ws, CampaignSpec("shoes", "https://shop.example/shoes"))
    analysis = record_analysis(session, ws, _report(), campaign_id=campaign.id)
    session.commit()

    session.execute(delete(Campaign).where(Campaign.id == campaign.id))
    session.commit()
    session.expire_all()

    (stored,) = recent_analyses(session, ws)
    assert stored.id == analysis.id
    assert stored.campaign_id is None
