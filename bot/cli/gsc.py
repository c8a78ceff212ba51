"""``linkgap gsc connect|import|refresh``: Search Console data for campaigns tracked from here.

Campaign ids are those of the local workspace (the CLI's and ``linkgap shell``'s). Exit codes
are the CLI's: 2 for bad input (unknown campaign, wrong file), 3 when Search Console fails.
"""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.help import add_command
from bot.errors import BadInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.services.search_console import MetricsWritten


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "gsc",
        summary="Google Search Console traffic and positions for a campaign's digest",
        description="Connect a campaign to Search Console, import an export, or refresh now.",
        examples=(
            "linkgap gsc connect 1 --site sc-domain:example.com --credentials key.json",
            "linkgap gsc import 1 ~/Downloads/Performance.zip",
            "linkgap gsc refresh 1",
        ),
    )
    actions = parser.add_subparsers(dest="gsc_action", required=True, metavar="ACTION")
    connect = add_command(
        actions,
        "connect",
        summary="link a campaign to a Search Console property via a service-account key",
        description="Link a campaign to a property; the key file's path is stored, not the key.",
        examples=("linkgap gsc connect 1 --site sc-domain:example.com --credentials key.json",),
    )
    connect.add_argument("campaign_id", type=int, metavar="CAMPAIGN_ID")
    connect.add_argument(
        "--site", required=True, help="the property: sc-domain:example.com or https://…/"
    )
    connect.add_argument(
        "--credentials", required=True, type=Path, help="the service account's JSON key file"
    )
    connect.set_defaults(handler=run_connect)
    imported = add_command(
        actions,
        "import",
        summary="store a Performance export (the zip or its Chart.csv / Dates.csv)",
        description="Store the days of a Search Console Performance export for a campaign; "
        "filter the report to the campaign's page and query before exporting.",
        examples=("linkgap gsc import 1 ~/Downloads/Performance.zip",),
    )
    imported.add_argument("campaign_id", type=int, metavar="CAMPAIGN_ID")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.set_defaults(handler=run_import)
    refresh = add_command(
        actions,
        "refresh",
        summary="fetch the recent days from the Search Console API now",
        description="Fetch the days the digest needs (two weeks plus Search Console's "
        "two-to-three-day lag) for a connected campaign, instead of waiting for the daily "
        "refresh.",
        examples=("linkgap gsc refresh 1",),
    )
    refresh.add_argument("campaign_id", type=int, metavar="CAMPAIGN_ID")
    refresh.set_defaults(handler=run_refresh)


def _sessions() -> AbstractContextManager[sessionmaker[Session]]:
    from bot.config import load_settings
    from bot.store.migrate import migrated_sessions

    return migrated_sessions(load_settings().database_url)


def _not_found(campaign_id: int) -> BadInput:
    return BadInput(
        f"There is no campaign {campaign_id} in the local workspace (campaigns tracked from "
        "this terminal or linkgap shell); check the id."
    )


def _local_workspace_id(sessions: sessionmaker[Session], campaign_id: int) -> int:
    """The workspace of a campaign tracked on this machine (terminal or ``linkgap shell``)."""
    from bot.store.db import transaction
    from bot.store.repositories import find_local_campaign

    with transaction(sessions) as session:
        campaign = find_local_campaign(session, campaign_id)
        if campaign is None:
            raise _not_found(campaign_id)
        return campaign.workspace_id


def _span(written: MetricsWritten) -> str:
    if written.first_day is None or written.last_day is None:
        return ""
    return f" ({written.first_day} … {written.last_day})"


def run_connect(args: argparse.Namespace) -> int:
    from bot.services.search_console import REFRESH_DAYS, CampaignNotFound, connect_campaign

    with _sessions() as sessions:
        workspace_id = _local_workspace_id(sessions, args.campaign_id)
        try:
            connection = connect_campaign(
                sessions, workspace_id, args.campaign_id, args.site, args.credentials
            )
        except CampaignNotFound:
            raise _not_found(args.campaign_id) from None
    site = connection.link.site_url
    print(
        f"Campaign {connection.campaign_id} (“{connection.keyword}”) is connected to the "
        f"Search Console property {site}."
    )
    print(
        f"Give {connection.service_account_email} access: Search Console → Settings → "
        f"Users and permissions → Add user (Restricted is enough) for {site}."
    )
    print(f"Then fetch the last {REFRESH_DAYS} days: linkgap gsc refresh {connection.campaign_id}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from bot.services.search_console import CampaignNotFound, import_export

    with _sessions() as sessions:
        workspace_id = _local_workspace_id(sessions, args.campaign_id)
        try:
            written = import_export(sessions, workspace_id, args.campaign_id, args.file)
        except CampaignNotFound:
            raise _not_found(args.campaign_id) from None
    if written.days == 0:
        print(f"{args.file.name} has no days to import; nothing stored.")
    else:
        print(
            f"Imported {written.days} days{_span(written)} of Search Console data into campaign "
            f"{args.campaign_id}; days already stored were updated."
        )
    return 0


def run_refresh(args: argparse.Namespace, *, today: date | None = None) -> int:
    from bot.services.search_console import (
        REFRESH_DAYS,
        default_client_factory,
        refresh_metrics,
        search_console_link,
    )
    from bot.store.db import transaction
    from bot.store.repositories import get_campaign
    from bot.store.types import utc_now

    with _sessions() as sessions:
        workspace_id = _local_workspace_id(sessions, args.campaign_id)
        with transaction(sessions) as session:
            campaign = get_campaign(session, workspace_id, args.campaign_id)
            if campaign is None:
                raise _not_found(args.campaign_id)
            if campaign.archived_at is not None:
                raise BadInput(f"Campaign {args.campaign_id} is archived.")
            if search_console_link(campaign) is None:
                raise BadInput(
                    f"Campaign {args.campaign_id} is not connected to Search Console; run "
                    f"linkgap gsc connect {args.campaign_id} --site sc-domain:example.com "
                    "--credentials key.json first (or import an export with linkgap gsc import)."
                )
            keyword, page = campaign.keyword, campaign.target_url
        written = refresh_metrics(
            sessions, args.campaign_id, default_client_factory, today or utc_now().date()
        )
    if written is None:  # archived or disconnected meanwhile
        raise BadInput(f"Campaign {args.campaign_id} is no longer connected.")
    if written.days == 0:
        print(
            f"Search Console has no impressions for “{keyword}” on {page} in the last "
            f"{REFRESH_DAYS} days; nothing stored."
        )
    else:
        print(
            f"Stored {written.days} days{_span(written)} of Search Console data for campaign "
            f"{args.campaign_id}."
        )
    return 0
