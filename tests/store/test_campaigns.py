"""Campaigns: one active campaign per keyword and page, and never visible to another workspace."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import BadInput
from bot.store.db import transaction
from bot.store.models import Campaign
from bot.store.repositories import (
    CampaignExists,
    CampaignSpec,
    archive_campaign,
    create_campaign,
    get_campaign,
    get_or_create_workspace,
    list_campaigns,
)

SHOES = CampaignSpec("trail running shoes", "https://www.shop.example/trail-shoes/")


def test_new_campaign_gets_a_monday_nine_oclock_digest_and_a_normalised_target(
    session: Session,
) -> None:
    workspace = get_or_create_workspace(session, "T1")

    campaign = create_campaign(session, workspace.id, SHOES, created_by="U1")

    assert (campaign.digest_weekday, campaign.digest_hour, campaign.digest_minute) == (0, 9, 0)
    assert campaign.timezone == "UTC"
    assert campaign.target_key == "shop.example/trail-shoes"
    assert campaign.created_by == "U1"
    assert campaign.archived_at is None


def test_json_lists_round_trip(session_factory: sessionmaker[Session]) -> None:
    spec = CampaignSpec(
        "shoes",
        "https://shop.example/shoes",
        approvers=["U1", "U2", "U1"],
        brand_terms=["Acme"],
        topic_terms=["running", "trail"],
        settings={"quorum": 2},
    )
    with transaction(session_factory) as session:
        workspace_id = get_or_create_workspace(session, "T1").id
        campaign_id = create_campaign(session, workspace_id, spec).id

    with session_factory() as session:
        stored = get_campaign(session, workspace_id, campaign_id)
        assert stored is not None
        assert stored.approvers == ["U1", "U2"]
        assert stored.brand_terms == ["Acme"]
        assert stored.topic_terms == ["running", "trail"]
        assert stored.settings == {"quorum": 2}


def test_tracking_the_same_keyword_and_page_twice_is_refused(session: Session) -> None:
    workspace = get_or_create_workspace(session, "T1")
    first = create_campaign(session, workspace.id, SHOES)
    same_thing = CampaignSpec("Trail  Running SHOES", "http://shop.example/trail-shoes")

    with pytest.raises(CampaignExists) as caught:
        create_campaign(session, workspace.id, same_thing)

    assert caught.value.campaign_id == first.id
    assert session.scalar(select(func.count()).select_from(Campaign)) == 1


def test_an_archived_campaign_can_be_tracked_again(session: Session) -> None:
    workspace = get_or_create_workspace(session, "T1")
    first = create_campaign(session, workspace.id, SHOES)
    assert archive_campaign(session, workspace.id, first.id)

    second = create_campaign(session, workspace.id, SHOES)

    assert second.id != first.id
    assert [c.id for c in list_campaigns(session, workspace.id)] == [second.id]
    assert len(list_campaigns(session, workspace.id, include_archived=True)) == 2


def test_a_workspace_never_sees_another_workspaces_campaigns(session: Session) -> None:
    ours = get_or_create_workspace(session, "T-OURS")
    theirs = get_or_create_workspace(session, "T-THEIRS")
    their_campaign = create_campaign(session, theirs.id, SHOES)
    our_campaign = create_campaign(session, ours.id, SHOES)  # same pair, other tenant: allowed

    assert get_campaign(session, ours.id, their_campaign.id) is None
    assert [c.id for c in list_campaigns(session, ours.id)] == [our_campaign.id]
    assert archive_campaign(session, ours.id, their_campaign.id) is False
    assert get_campaign(session, theirs.id, their_campaign.id) is not None
    assert their_campaign.archived_at is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"keyword": "   "}, "keyword is empty"),
        ({"keyword": "k" * 201}, "limit is 200"),
        ({"target_url": "ftp://shop.example/"}, "http"),
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"digest_weekday": 7}, "weekday"),
        ({"digest_hour": 24}, "digest time"),
    ],
)
def test_bad_campaign_input_is_refused_and_nothing_is_written(
    session: Session, change: dict[str, object], message: str
) -> None:
    workspace = get_or_create_workspace(session, "T1")
    spec = CampaignSpec(**{**SHOES.__dict__, **change})

    with pytest.raises(BadInput, match=message):
        create_campaign(session, workspace.id, spec)

    assert list_campaigns(session, workspace.id) == []


def test_archiving_records_when(session: Session) -> None:
    workspace = get_or_create_workspace(session, "T1")
    campaign = create_campaign(session, workspace.id, SHOES)
    when = datetime(2025, 5, 5, 8, 30, tzinfo=UTC)

    archive_campaign(session, workspace.id, campaign.id, now=when)

    assert campaign.archived_at == when
    assert archive_campaign(session, workspace.id, campaign.id) is False
