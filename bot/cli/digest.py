"""``linkgap digest --due [--at ISO-TIME]``: post every digest due at that time once, then exit.

For platforms that run cron jobs instead of a clock process: run it every few
minutes; the claims make every run after the first a no-op for that period.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from bot.cli.help import add_command
from bot.errors import BadInput, ConfigError


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "digest",
        summary="post the weekly digests that are due, then exit",
        description="Post every weekly digest due now (or at --at) once, then exit: for "
        "platforms that run cron jobs instead of a clock process. Runs after the first "
        "are no-ops for that week.",
        examples=(
            "linkgap digest --due",
            "linkgap digest --due --at 2026-11-30T09:00:00+01:00",
        ),
    )
    parser.add_argument("--due", action="store_true", required=True, help="post what is due")
    parser.add_argument(
        "--at", help="act as if it were this time (ISO 8601, e.g. 2026-11-30T09:00:00+01:00)"
    )
    parser.set_defaults(handler=run)


def parse_instant(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--at {text!r} is not an ISO time such as 2026-11-30T09:00:00Z.") from None
    if moment.tzinfo is None:
        raise BadInput("--at needs a time zone, e.g. 2026-11-30T09:00:00Z or …+01:00.")
    return moment.astimezone(UTC)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from bot.composition import digest_process
    from bot.config import load_settings
    from bot.store.db import transaction
    from bot.store.models import Campaign

    now = parse_instant(args.at)
    settings = load_settings()
    if settings.slack_bot_token is None and not settings.oauth_enabled:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for "
            "multi-workspace installs): digests are posted to Slack."
        )
    sender = digest_process(settings)
    runtime = sender.runtime
    try:
        with transaction(runtime.sessions) as session:
            ids = list(
                session.scalars(
                    select(Campaign.id).where(Campaign.archived_at.is_(None)).order_by(Campaign.id)
                )
            )
        posted = 0
        for campaign_id in ids:
            outcome = sender.weekly(campaign_id, now)
            if outcome.status in {"posted", "recovered"}:
                posted += 1
                late = " (late)" if outcome.late else ""
                print(f"campaign {campaign_id}: {outcome.status} {outcome.period}{late}")
            elif outcome.status == "failed":
                print(
                    f"campaign {campaign_id}: not posted for {outcome.period}; a later run retries"
                )
        print(f"{posted} digests posted for {len(ids)} campaigns at {now:%Y-%m-%d %H:%M} UTC")
    finally:
        runtime.close()
    return 0
