"""Search Console into ``campaign_metrics``: connect, import, refresh, and what the digest shows."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.digest.periods import DigestSchedule, period_for
from bot.errors import BadInput, DataFileError, ProviderAuthError
from bot.providers.search_console import DailyMetric, SearchConsoleClient
from bot.services.digest_data import digest_input
from bot.services.search_console import (
    REFRESH_DAYS,
    CampaignNotFound,
    SearchConsoleLink,
    connect_campaign,
    import_export,
    refresh_metrics,
    search_console_link,
    upsert_daily_metrics,
)
from bot.store.db import transaction, write_transaction
from bot.store.models import Campaign, CampaignMetric
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.workspaces import get_or_create_workspace
from tests.providers.test_search_console import (
    FIXTURES,
    SERVICE_ACCOUNT,
    FakeCredentials,
    write_service_account_key,
)
from tests.scenarios.digest_seed import DUE, TARGET, seed_campaign

TEAM = "T0STANDIN"
SITE = "sc-domain:example.com"
TODAY = date(2026, 11, 30)


def workspace_id(sessions: sessionmaker[Session], team: str = TEAM) -> int:
    with write_transaction(sessions) as session:
        return get_or_create_workspace(session, team).id


def campaign(sessions: sessionmaker[Session], campaign_id: int) -> Campaign:
    with transaction(sessions) as session:
        found = session.get(Campaign, campaign_id)
        assert found is not None
        return found


def stored(sessions: sessionmaker[Session], campaign_id: int) -> list[tuple[date, str, int | None]]:
    with transaction(sessions) as session:
        rows = session.execute(
            select(CampaignMetric.day, CampaignMetric.source, CampaignMetric.clicks)
            .where(CampaignMetric.campaign_id == campaign_id)
            .order_by(CampaignMetric.day, CampaignMetric.source)
        )
        return [(day, source, clicks) for day, source, clicks in rows]


class RecordingSource:
    """A ``MetricsSource`` that answers fixed days and remembers what it was asked."""

    def __init__(self, metrics: list[DailyMetric]) -> None:
        self.metrics = metrics
        self.asked: list[tuple[str, str, date, date]] = []
        self.closed = False

    def daily_metrics(
        self, page_url: str, keyword: str, start: date, end: date
    ) -> list[DailyMetric]:
        self.asked.append((page_url, keyword, start, end))
        return self.metrics

    def close(self) -> None:
        self.closed = True


# -- connect -------------------------------------------------------------------------------------


def test_connect_merges_the_link_into_the_campaigns_settings(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    team = workspace_id(session_factory)
    with write_transaction(session_factory) as session:
        campaign_id = create_campaign(
            session, team, CampaignSpec("trail running shoes", TARGET, settings={"quorum": 2})
        ).id
    key = write_service_account_key(tmp_path)

    connection = connect_campaign(session_factory, team, campaign_id, "sc-domain:Example.com", key)

    assert connection.service_account_email == SERVICE_ACCOUNT
    settings = campaign(session_factory, campaign_id).settings
    assert settings == {
        "quorum": 2,
        "search_console": {"site_url": SITE, "credentials_path": str(key.resolve())},
    }
    assert "PRIVATE KEY" not in json.dumps(settings)


def test_connecting_again_replaces_only_the_link(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    team = workspace_id(session_factory)
    with write_transaction(session_factory) as session:
        campaign_id = create_campaign(
            session, team, CampaignSpec("trail running shoes", TARGET, settings={"quorum": 2})
        ).id
    key = write_service_account_key(tmp_path)
    connect_campaign(session_factory, team, campaign_id, SITE, key)

    connect_campaign(session_factory, team, campaign_id, "https://www.example.com/", key)

    found = campaign(session_factory, campaign_id)
    assert found.settings["quorum"] == 2
    assert search_console_link(found) == SearchConsoleLink(
        "https://www.example.com/", str(key.resolve())
    )


def test_connect_refuses_a_property_without_the_campaigns_page(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = seed_campaign(session_factory)
    key = write_service_account_key(tmp_path)

    with pytest.raises(BadInput, match="not in the Search Console property"):
        connect_campaign(session_factory, workspace_id(session_factory), campaign_id,
                         "sc-domain:another.com", key)  # fmt: skip

    assert search_console_link(campaign(session_factory, campaign_id)) is None


def test_connect_refuses_a_file_that_is_not_a_service_account_key(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = seed_campaign(session_factory)
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps({"installed": {"client_id": "x"}}), encoding="utf-8")

    with pytest.raises(BadInput, match="not a service-account key"):
        connect_campaign(session_factory, workspace_id(session_factory), campaign_id, SITE, path)
    with pytest.raises(BadInput, match="does not exist"):
        connect_campaign(session_factory, workspace_id(session_factory), campaign_id, SITE,
                         tmp_path / "missing.json")  # fmt: skip


def test_another_workspaces_campaign_is_not_found(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = seed_campaign(session_factory)
    other = workspace_id(session_factory, "T0OTHER")

    with pytest.raises(CampaignNotFound):
        connect_campaign(session_factory, other, campaign_id, SITE,
                         write_service_account_key(tmp_path))  # fmt: skip
    with pytest.raises(CampaignNotFound):
        import_export(session_factory, other, campaign_id, FIXTURES / "Dates.csv")
    assert stored(session_factory, campaign_id) == []


# -- import ---------------------------------------------------------------------------------------


def test_importing_the_same_export_twice_updates_and_never_duplicates(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = seed_campaign(session_factory)
    team = workspace_id(session_factory)

    first = import_export(session_factory, team, campaign_id, FIXTURES / "Dates.csv")
    edited = tmp_path / "Dates.csv"
    edited.write_text(
        (FIXTURES / "Dates.csv").read_text().replace("2026-11-29,30,", "2026-11-29,35,")
    )
    second = import_export(session_factory, team, campaign_id, edited)

    assert (first.days, first.first_day, first.last_day) == (
        14,
        date(2026, 11, 16),
        TODAY - timedelta(1),
    )
    assert second.days == 14
    rows = stored(session_factory, campaign_id)
    assert len(rows) == 14
    assert {source for _, source, _ in rows} == {"search-console"}
    assert rows[-1] == (date(2026, 11, 29), "search-console", 35)


def test_a_bad_export_stores_nothing(session_factory: sessionmaker[Session]) -> None:
    campaign_id = seed_campaign(session_factory)

    with pytest.raises(DataFileError):
        import_export(session_factory, workspace_id(session_factory), campaign_id,
                      FIXTURES / "Queries.csv")  # fmt: skip

    assert stored(session_factory, campaign_id) == []


def test_search_console_rows_sit_beside_the_providers_estimate(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = seed_campaign(session_factory)
    day = date(2026, 11, 29)
    with write_transaction(session_factory) as session:
        upsert_daily_metrics(session, campaign_id, [DailyMetric(day, 80, None, None)],
                             source="provider-estimate")  # fmt: skip
        upsert_daily_metrics(session, campaign_id, [DailyMetric(day, 30, 410, 6.9)])

    assert stored(session_factory, campaign_id) == [
        (day, "provider-estimate", 80),
        (day, "search-console", 30),
    ]


# -- refresh --------------------------------------------------------------------------------------


def connected_campaign(sessions: sessionmaker[Session], tmp_path: Path) -> int:
    campaign_id = seed_campaign(sessions)
    connect_campaign(sessions, workspace_id(sessions), campaign_id, SITE,
                     write_service_account_key(tmp_path))  # fmt: skip
    return campaign_id


def test_refresh_asks_for_the_last_16_days_of_the_page_and_keyword_and_stores_them(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = connected_campaign(session_factory, tmp_path)
    source = RecordingSource([DailyMetric(date(2026, 11, 27), 31, 402, 6.8)])
    links: list[SearchConsoleLink] = []

    def factory(link: SearchConsoleLink) -> RecordingSource:
        links.append(link)
        return source

    written = refresh_metrics(session_factory, campaign_id, factory, TODAY)

    assert written is not None
    assert written.days == 1
    assert links[0].site_url == SITE
    assert source.asked == [
        (TARGET, "trail running shoes", TODAY - timedelta(days=REFRESH_DAYS - 1), TODAY)
    ]
    assert source.closed
    assert stored(session_factory, campaign_id) == [(date(2026, 11, 27), "search-console", 31)]


def test_refreshing_twice_updates_the_days_it_already_has(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = connected_campaign(session_factory, tmp_path)
    day = date(2026, 11, 28)
    first = [DailyMetric(day, 4, 90, 9.0)]
    second = [DailyMetric(day, 28, 395, 7.1), DailyMetric(day + timedelta(1), 30, 410, 6.9)]
    refresh_metrics(session_factory, campaign_id, lambda _link: RecordingSource(first), TODAY)
    refresh_metrics(
        session_factory, campaign_id, lambda _link: RecordingSource(second), TODAY + timedelta(1)
    )

    assert stored(session_factory, campaign_id) == [
        (day, "search-console", 28),
        (day + timedelta(1), "search-console", 30),
    ]


def test_campaigns_that_are_not_connected_are_skipped(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = seed_campaign(session_factory)

    def factory(_link: SearchConsoleLink) -> RecordingSource:
        raise AssertionError("no client for a campaign that is not connected")

    assert refresh_metrics(session_factory, campaign_id, factory, TODAY) is None
    assert refresh_metrics(session_factory, 9999, factory, TODAY) is None


def test_a_search_console_failure_stores_nothing_and_closes_the_client(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    campaign_id = connected_campaign(session_factory, tmp_path)
    body = json.loads((FIXTURES / "error_403_permission_denied.json").read_text())
    clients: list[SearchConsoleClient] = []

    def factory(link: SearchConsoleLink) -> SearchConsoleClient:
        made = SearchConsoleClient(
            FakeCredentials(),
            link.site_url,
            httpx.MockTransport(lambda _r: httpx.Response(403, json=body)),
        )
        clients.append(made)
        return made

    with pytest.raises(ProviderAuthError, match=SERVICE_ACCOUNT):
        refresh_metrics(session_factory, campaign_id, factory, TODAY)

    assert stored(session_factory, campaign_id) == []
    assert clients[0].http.client.is_closed


# -- the digest -----------------------------------------------------------------------------------


def test_the_digest_reports_imported_traffic_and_positions_from_search_console(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = seed_campaign(session_factory)
    import_export(session_factory, workspace_id(session_factory), campaign_id,
                  FIXTURES / "Dates.csv")  # fmt: skip
    with write_transaction(session_factory) as session:
        # A provider estimate for the same days loses to Search Console.
        estimate = [DailyMetric(date(2026, 11, 29), 999, None, None)]
        upsert_daily_metrics(session, campaign_id, estimate, source="provider-estimate")

    with transaction(session_factory) as session:
        found = session.get(Campaign, campaign_id)
        assert found is not None
        period = period_for(DUE, DigestSchedule(0, 9, 0, "Europe/Berlin"))
        data = digest_input(session, found, now=DUE, period=period, late=False)

    assert data.traffic is not None
    assert data.traffic.source == "search-console"
    # Search Console lags: the windows end at its latest day, Nov 29, not today (Nov 30).
    # Nov 23–29 vs Nov 16–22, from Dates.csv by hand.
    assert data.traffic.last_7_days == 26 + 22 + 24 + 19 + 31 + 28 + 30
    assert data.traffic.previous_7_days == 13 + 17 + 12 + 16 + 18 + 14 + 15
    assert data.positions is not None
    assert data.positions.now == 7.1  # mean of 7.2, 7.4, 7.25, 7, 6.8, 7.1, 6.9 = 7.09
    assert data.positions.week_ago == 8.3  # mean of 8.6, 8.4, 8.5, 8.2, 8, 8.3, 8.1
