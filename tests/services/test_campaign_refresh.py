from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.digest.periods import DigestSchedule, period_for
from bot.providers.base import Provider
from bot.providers.registry import make_provider
from bot.services import campaign_refresh
from bot.services.campaign_refresh import refresh_campaign
from bot.services.digest_data import digest_input
from bot.services.gap import GapRequest
from bot.services.gap_store import WorkspaceRef
from bot.services.providers import cached
from bot.store.db import transaction, write_transaction
from bot.store.models import Analysis, Campaign, RdSnapshotRow
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.placements import (
    NewPlacement,
    create_placement,
    get_placement,
    transition,
)
from bot.store.repositories.workspaces import get_or_create_workspace
from bot.web.fetcher import SafeFetcher
from bot.web.fetchers import fetcher_for
from tests.providers.live_fixtures import APIS, COLD_REQUESTS, ENVIRON, KEYWORD, TARGET
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
    assert outcome.gap.sample_data
    assert outcome.placements.live == outcome.placements.lost == ()
    assert analyses_of(session_factory, campaign_id) == before + 1
    with transaction(session_factory) as session:
        today = session.scalars(
            select(RdSnapshotRow).where(RdSnapshotRow.day == date.today())
        ).all()
        assert len(today) == 1
        own = outcome.gap.report.own
        assert today[0].quality_referring_domains == own.quality_referring_domains


def test_an_archived_campaign_is_not_refreshed(session_factory: sessionmaker[Session]) -> None:
    campaign_id = seed_campaign(session_factory)
    archive(session_factory, campaign_id)
    assert (
        refresh_campaign(session_factory, campaign_id, default_provider="demo", environ={}) is None
    )


def test_a_live_refresh_marks_placements_the_provider_sees_live_at_no_extra_cost(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DataForSEO's documented shapes: trailhub.net links to the target page, runclub.co.uk not."""
    api = APIS["dataforseo"]()

    def live_provider(
        _settings: object, _default: str, sessions: sessionmaker[Session], workspace: WorkspaceRef,
        **_options: object,
    ) -> Provider:  # fmt: skip
        inner = make_provider(
            "dataforseo", environ=ENVIRON["dataforseo"], transport=httpx.MockTransport(api)
        )
        return cached(inner, sessions, workspace)

    monkeypatch.setattr(campaign_refresh, "workspace_provider", live_provider)
    with write_transaction(session_factory) as session:
        workspace = get_or_create_workspace(session, "T1")
        campaign = create_campaign(session, workspace.id, CampaignSpec(KEYWORD, TARGET))
        ids = []
        for domain in ("trailhub.net", "runclub.co.uk"):
            placement = create_placement(
                session, workspace.id,
                NewPlacement(campaign_id=campaign.id, prospect_url=f"https://{domain}/post",
                             prospect_domain=domain, target_url=TARGET, anchor="trail shoes",
                             anchor_class="partial", placement_type="in-content",
                             proposed_by="U1", verdict="pass", checks=[]),
            )  # fmt: skip
            transition(
                session, workspace.id, placement.id, from_statuses=["proposed"],
                to_status="approved",
            )  # fmt: skip
            ids.append(placement.id)
        campaign_id, workspace_id = campaign.id, workspace.id

    refreshed = refresh_campaign(
        session_factory, campaign_id, default_provider="dataforseo", environ={},
        fetcher_factory=lambda: pytest.fail("no live placement needed a page check"),
    )  # fmt: skip

    assert refreshed is not None
    assert refreshed.workspace_id == workspace_id
    assert refreshed.placements.live == (ids[0],)
    assert refreshed.placements.lost == ()
    assert len(api.requests) == COLD_REQUESTS  # the target page's domains came from the cache
    with transaction(session_factory) as session:
        found = [get_placement(session, workspace_id, i) for i in ids]
        assert [p.status for p in found if p] == ["live", "approved"]


def test_a_refresh_reads_the_own_site_s_crawl_and_the_digest_counts_it_week_to_week(
    session_factory: sessionmaker[Session],
) -> None:
    """The demo's sample web answers the crawl; the digest reads the day's count back."""
    campaign_id = seed_campaign(session_factory)
    asked: list[tuple[bool, str, str]] = []

    def site_fetcher(sample: bool, request: GapRequest) -> SafeFetcher:
        asked.append((sample, request.target_url, request.keyword))
        return fetcher_for(sample, lambda: [request.target_url], lambda: [request.keyword])

    outcome = refresh_campaign(
        session_factory, campaign_id, default_provider="demo", environ={},
        site_fetcher=site_fetcher,
    )  # fmt: skip
    assert outcome is not None
    support = outcome.gap.report.internal_support
    assert support is not None
    assert asked == [(True, outcome.gap.report.target_url, "trail running shoes")]
    now = datetime.now(UTC)
    with transaction(session_factory) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        schedule = DigestSchedule(weekday=0, hour=9, minute=0, timezone="Europe/Berlin")
        data = digest_input(
            session, campaign, now=now, period=period_for(now, schedule), late=False
        )
    assert [count for _, count in data.internal_support_counts] == [len(support.linking_pages)]


def test_the_digest_reads_the_analysis_s_link_plan_and_the_domains_already_proposed(
    session_factory: sessionmaker[Session],
) -> None:
    """The next step pitches the stored plan's head, minus sites the team already proposed."""
    campaign_id = seed_campaign(session_factory)
    outcome = refresh_campaign(session_factory, campaign_id, default_provider="demo", environ={})
    assert outcome is not None
    plan = outcome.gap.report.plan
    assert plan is not None
    assert len(plan.prospects) >= 2
    first = plan.prospects[0].domain
    with write_transaction(session_factory) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        create_placement(
            session, campaign.workspace_id,
            NewPlacement(campaign_id=campaign_id, prospect_url=f"https://{first}/post",
                         prospect_domain=first, target_url=campaign.target_url,
                         anchor="trail shoes", anchor_class="partial",
                         placement_type="in-content", proposed_by="U1", verdict="pass",
                         checks=[]),
        )  # fmt: skip
    now = datetime.now(UTC)
    schedule = DigestSchedule(weekday=0, hour=9, minute=0, timezone="Europe/Berlin")
    with transaction(session_factory) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        data = digest_input(
            session, campaign, now=now, period=period_for(now, schedule), late=False
        )
    assert list(data.plan_domains) == [entry.domain for entry in plan.prospects]
    assert data.proposed_domains == frozenset({first})
