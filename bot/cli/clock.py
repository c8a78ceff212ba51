"""``linkgap clock``: the one scheduler process (digests and daily refreshes).

Run exactly one (the Procfile's ``clock``); a second one would be harmless —
digest claims in the database keep every post single — but wasteful.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any

from bot.cli.help import add_command
from bot.errors import ConfigError

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "clock",
        summary="run the scheduler: weekly digests and daily data refreshes",
        description="The one scheduler process: posts each campaign's weekly digest when it "
        "is due and refreshes tracked campaigns' data daily. Run exactly one.",
        examples=("SLACK_BOT_TOKEN=xoxb-… DATABASE_URL=postgresql+psycopg://… linkgap clock",),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.composition import clock_process
    from bot.config import load_settings
    from bot.scheduler import make_scheduler
    from bot.slack.jobs.digest import PooledCharts

    settings = load_settings()
    if settings.slack_bot_token is None and not settings.oauth_enabled:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for "
            "multi-workspace installs): the clock posts digests to Slack."
        )
    logging.getLogger().setLevel(logging.INFO)
    scheduler = make_scheduler(blocking=True)
    charts = PooledCharts(processes=max(1, os.cpu_count() or 1))
    clock = clock_process(settings, scheduler, chart_renderer=charts)
    clock.install()
    log.info("linkgap clock started")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("linkgap clock stopping")
    finally:
        charts.close()
        clock.runtime.close()
    return 0
