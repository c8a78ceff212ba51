"""A campaign's Search Console link, and its daily metrics brought into ``campaign_metrics``.

Connecting stores where the data lives (the property and the key file's path, never the key)
in the campaign's settings; importing an export or refreshing from the API upserts one
``search-console`` row per day, so doing either twice updates rows and never duplicates them.
The digest (``bot.services.digest_data``) prefers these rows to the provider's estimate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.errors import BadInput
from bot.providers.search_console import (
    DailyMetric,
    SearchConsoleClient,
    load_service_account,
    page_in_property,
    read_service_account_info,
    validate_site_url,
)
from bot.providers.search_console_export import read_performance_export
from bot.store.db import transaction, write_transaction
from bot.store.models import Campaign
from bot.store.repositories import get_campaign, upsert_campaign_metrics
from bot.store.types import utc_now

log = logging.getLogger(__name__)

SOURCE = "search-console"
#: Key of the link in ``Campaign.settings``.
SETTINGS_KEY = "search_console"
#: Days fetched per refresh: the digest's 14 plus the 2–3 days Search Console lags behind.
REFRESH_DAYS = 16


@dataclass(frozen=True, slots=True)
class SearchConsoleLink:
    """Where a campaign's Search Console data comes from."""

    site_url: str
    credentials_path: str


@dataclass(frozen=True, slots=True)
class Connection:
    link: SearchConsoleLink
    campaign_id: int
    keyword: str
    target_url: str
    #: The account to add as a user of the property (``client_email`` of the key).
    service_account_email: str


@dataclass(frozen=True, slots=True)
class MetricsWritten:
    """What an import or refresh stored: days written (new or updated) and their range."""

    campaign_id: int
    days: int
    first_day: date | None
    last_day: date | None


class MetricsSource(Protocol):
    """What a refresh asks of Search Console (``SearchConsoleClient`` in production)."""

    def daily_metrics(
        self, page_url: str, keyword: str, start: date, end: date
    ) -> list[DailyMetric]: ...

    def close(self) -> None: ...


ClientFactory = Callable[[SearchConsoleLink], MetricsSource]


class CampaignNotFound(BadInput):
    """No campaign with this id in the workspace."""

    def __init__(self, campaign_id: int) -> None:
        super().__init__(f"There is no campaign {campaign_id} in this workspace.")
        self.campaign_id = campaign_id


def default_client_factory(link: SearchConsoleLink) -> SearchConsoleClient:
    """A live client from the stored link (reads the key file now, so a moved file is noticed)."""
    return SearchConsoleClient.from_service_account_file(Path(link.credentials_path), link.site_url)


def search_console_link(campaign: Campaign) -> SearchConsoleLink | None:
    """The campaign's link, or ``None`` when it is not connected."""
    stored = (campaign.settings or {}).get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return None
    site_url, credentials_path = stored.get("site_url"), stored.get("credentials_path")
    if not isinstance(site_url, str) or not isinstance(credentials_path, str):
        return None
    return SearchConsoleLink(site_url, credentials_path)


def _campaign(session: Session, workspace_id: int, campaign_id: int) -> Campaign:
    campaign = get_campaign(session, workspace_id, campaign_id)
    if campaign is None:
        raise CampaignNotFound(campaign_id)
    return campaign


def connect_campaign(
    sessions: sessionmaker[Session],
    workspace_id: int,
    campaign_id: int,
    site_url: str,
    credentials_path: Path | str,
) -> Connection:
    """Link a campaign to a Search Console property read with a service-account key.

    The key file is checked (a readable service-account key) and its absolute path stored,
    not its content, merged into the campaign's other settings.
    """
    site = validate_site_url(site_url)
    path = Path(credentials_path).expanduser().resolve()
    info = read_service_account_info(path)
    load_service_account(path)  # the private key must parse, too
    link = SearchConsoleLink(site, str(path))
    with write_transaction(sessions) as session:
        campaign = _campaign(session, workspace_id, campaign_id)
        if campaign.archived_at is not None:
            raise BadInput(f"Campaign {campaign_id} is archived; track it again to connect it.")
        if not page_in_property(site, campaign.target_url):
            raise BadInput(
                f"The campaign's page {campaign.target_url} is not in the Search Console "
                f"property {site}; give the property that contains it (sc-domain:… covers "
                "every subdomain and protocol)."
            )
        settings: dict[str, Any] = dict(campaign.settings or {})
        settings[SETTINGS_KEY] = {
            "site_url": link.site_url,
            "credentials_path": link.credentials_path,
        }
        campaign.settings = settings
        session.flush()
        return Connection(
            link=link,
            campaign_id=campaign.id,
            keyword=campaign.keyword,
            target_url=campaign.target_url,
            service_account_email=str(info["client_email"]),
        )


def upsert_daily_metrics(
    session: Session,
    campaign_id: int,
    metrics: Sequence[DailyMetric],
    *,
    source: str = SOURCE,
    now: datetime | None = None,
) -> MetricsWritten:
    """One row per (campaign, day, source): new days inserted, known days overwritten."""
    recorded_at = now or utc_now()
    rows = [
        {
            "campaign_id": campaign_id,
            "day": metric.day,
            "source": source,
            "clicks": metric.clicks,
            "impressions": metric.impressions,
            "position": metric.position,
            "recorded_at": recorded_at,
        }
        for metric in metrics
    ]
    upsert_campaign_metrics(session, rows)
    days = sorted(metric.day for metric in metrics)
    return MetricsWritten(
        campaign_id, len(days), days[0] if days else None, days[-1] if days else None
    )


def import_export(
    sessions: sessionmaker[Session], workspace_id: int, campaign_id: int, path: Path | str
) -> MetricsWritten:
    """Store a Performance export's days (the zip or its daily table) for the campaign."""
    with transaction(sessions) as session:
        _campaign(session, workspace_id, campaign_id)
    metrics = read_performance_export(path)
    with write_transaction(sessions) as session:
        _campaign(session, workspace_id, campaign_id)
        return upsert_daily_metrics(session, campaign_id, metrics)


def refresh_metrics(
    sessions: sessionmaker[Session],
    campaign_id: int,
    client_factory: ClientFactory = default_client_factory,
    today: date | None = None,
) -> MetricsWritten | None:
    """Fetch the last ``REFRESH_DAYS`` days from the API and store them.

    ``None`` when the campaign is gone, archived or not connected, so a scheduler can call
    it for every campaign. Search Console errors propagate as ``ProviderError``s. No
    database transaction is held while the API answers.
    """
    with transaction(sessions) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None or campaign.archived_at is not None:
            return None
        link = search_console_link(campaign)
        if link is None:
            return None
        page_url, keyword = campaign.target_url, campaign.keyword
    end = today or utc_now().date()
    start = end - timedelta(days=REFRESH_DAYS - 1)
    client = client_factory(link)
    try:
        metrics: Sequence[DailyMetric] = client.daily_metrics(page_url, keyword, start, end)
    finally:
        client.close()
    with write_transaction(sessions) as session:
        if session.get(Campaign, campaign_id) is None:
            return None
        written = upsert_daily_metrics(session, campaign_id, metrics)
    log.info(
        "campaign %s: %d Search Console days stored for %s … %s",
        campaign_id, written.days, start, end,
    )  # fmt: skip
    return written
