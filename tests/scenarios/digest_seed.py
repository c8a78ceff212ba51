"""A tracked campaign with three weeks of snapshot history, for digest scenarios."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import write_transaction
from bot.store.models import Campaign
from bot.store.repositories.analyses import record_analysis
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.snapshots import upsert_snapshot
from bot.store.repositories.workspaces import get_or_create_workspace

TARGET = "https://www.example.com/trail-shoes"
#: Monday 30 Nov 2026, 09:00 in Berlin (CET, UTC+1) = 08:00 UTC.
DUE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def prospect(domain: str, competitors: int, rating: float, *, warm: bool) -> dict[str, object]:
    return {
        "domain": domain,
        "competitors_linked": competitors,
        "domain_rating": rating,
        "warm": warm,
    }


def seed_campaign(
    sessions: sessionmaker[Session],
    *,
    channel: str = "C0SEO",
    created: datetime = DUE - timedelta(days=3),
    team: str = "T0STANDIN",
    keyword: str = "trail running shoes",
) -> int:
    with write_transaction(sessions) as session:
        workspace = get_or_create_workspace(session, team)
        campaign = create_campaign(
            session,
            workspace.id,
            CampaignSpec(keyword, TARGET, channel_id=channel, timezone="Europe/Berlin"),
            now=created,
        )
        for days_ago, count in ((21, 20), (14, 24), (7, 27), (0, 31)):
            day = date(2026, 11, 30) - timedelta(days=days_ago)
            upsert_snapshot(
                session, workspace.id, TARGET, day,
                referring_domains=count + 8, quality_referring_domains=count,
                quality_domains=[f"site{i}.com" for i in range(count)],
                position=9 - days_ago // 7, provider="demo",
            )  # fmt: skip
        record_analysis(
            session,
            workspace.id,
            {
                "keyword": keyword, "target_url": TARGET, "provider": "demo", "sample_data": True,
                "entry_target": 51, "stretch_target": 283, "entry_gap": 20, "stretch_gap": 252,
                "prospects": [
                    prospect("heraldweekly.com", 5, 92, warm=False),
                    prospect("gracewest.com", 4, 86, warm=True),
                ],
            },
            campaign_id=campaign.id,
            now=DUE - timedelta(hours=3),
        )  # fmt: skip
        return campaign.id


def archive(sessions: sessionmaker[Session], campaign_id: int) -> None:
    with write_transaction(sessions) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.archived_at = DUE
