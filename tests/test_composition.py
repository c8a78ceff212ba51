"""The composition root wires each process: the clock tells the team through Slack."""

from __future__ import annotations

from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from bot.composition import clock_process, slack_process
from bot.config import load_settings
from bot.local.standin import SlackStandIn
from bot.slack.jobs.digest import DigestSender


def test_the_clock_is_built_with_the_slack_digest_sender_as_its_notifier(tmp_path: Path) -> None:
    settings = load_settings(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/clock.db", "SLACK_BOT_TOKEN": "xoxb-1-clock"}
    )
    clock = clock_process(settings, BackgroundScheduler(timezone="UTC"))
    try:
        assert isinstance(clock.notifier, DigestSender)
        assert clock.notifier.runtime is clock.runtime
        assert clock.runtime.worker is None  # the clock runs no job queue
    finally:
        clock.runtime.close()


def test_a_slack_process_runs_the_job_queue_only_when_asked(tmp_path: Path) -> None:
    with SlackStandIn() as slack:  # the Bolt app checks its token with auth.test
        settings = load_settings(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path}/app.db",
                "SLACK_BOT_TOKEN": slack.bot_token,
                "SLACK_SIGNING_SECRET": "composition-secret",
                "SLACK_API_URL": slack.api_url,
            }
        )
        for jobs in (False, True):
            runtime, app = slack_process(settings, jobs=jobs)
            try:
                assert app.client.token == slack.bot_token
                assert (runtime.worker is not None) == jobs
            finally:
                runtime.close()
