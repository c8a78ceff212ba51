"""The clock builds its jobs from the campaigns in the database and posts what is due."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import JOB_DEFAULTS, Clock
from bot.slack.client import make_client
from bot.slack.jobs.digest import DigestSender
from bot.store.db import write_transaction
from bot.store.models import Campaign
from tests.scenarios.digest_seed import DUE, archive, seed_campaign
from tests.scenarios.harness import running_app


def test_sync_builds_replaces_and_removes_per_campaign_jobs(
    database_url: str, scheduler: BackgroundScheduler
) -> None:
    with running_app(database_url) as app:
        runtime = app.runtime
        now = DUE - timedelta(hours=1)
        clock = Clock(
            runtime, DigestSender(runtime, make_client(runtime.settings), owner="clock"),
            scheduler, clock=lambda: now,
        )  # fmt: skip
        clock.install()
        first = seed_campaign(runtime.sessions)
        clock.sync()
        digest_job = scheduler.get_job(f"digest:{first}")
        assert digest_job is not None
        assert digest_job.trigger.schedule.timezone == "Europe/Berlin"
        assert scheduler.get_job(f"refresh:{first}") is not None
        assert digest_job.coalesce is True
        assert digest_job.misfire_grace_time >= 3600

        with write_transaction(runtime.sessions) as session:
            campaign = session.get(Campaign, first)
            assert campaign is not None
            campaign.timezone = "America/New_York"
            campaign.digest_hour = 8
        clock.sync()
        changed = scheduler.get_job(f"digest:{first}")
        assert changed is not None
        assert changed.trigger.schedule.timezone == "America/New_York"
        assert changed.trigger.schedule.hour == 8

        archive(runtime.sessions, first)
        clock.sync()
        assert scheduler.get_job(f"digest:{first}") is None
        assert scheduler.get_job(f"refresh:{first}") is None
        assert scheduler.get_job("sync-campaigns") is not None


def test_the_minute_sweep_posts_a_due_digest_once(
    database_url: str, scheduler: BackgroundScheduler
) -> None:
    with running_app(database_url) as app:
        runtime = app.runtime
        moments = iter(
            [DUE - timedelta(minutes=1), DUE + timedelta(minutes=1), DUE + timedelta(minutes=2)]
        )
        current = {"now": next(moments)}
        clock = Clock(
            runtime, DigestSender(runtime, make_client(runtime.settings), owner="clock"),
            scheduler, clock=lambda: current["now"],
        )  # fmt: skip
        seed_campaign(runtime.sessions)
        assert [o.status for o in clock.sync()] == ["not-due"]
        current["now"] = next(moments)
        assert [o.status for o in clock.sync()] == ["posted"]
        current["now"] = next(moments)
        assert [o.status for o in clock.sync()] == ["not-due"]
        assert len(app.slack.calls("chat.postMessage")) == 1


def test_missed_runs_coalesce_with_hours_of_grace() -> None:
    """The default grace of 1 s would silently skip a digest missed during a restart."""
    assert JOB_DEFAULTS["coalesce"] is True
    assert JOB_DEFAULTS["misfire_grace_time"] >= 3600
    assert JOB_DEFAULTS["max_instances"] == 1
