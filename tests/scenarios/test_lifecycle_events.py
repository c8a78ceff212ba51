"""Every event the manifest subscribes to is answered in every mode, and acts.

``app_uninstalled`` and ``tokens_revoked`` disable the workspace (queued jobs
cancelled, no digest or refresh, no Slack client for it), in single-token and
OAuth mode alike; a later request (or a reinstall) enables it again.
``app_rate_limited`` holds the queued jobs back. Anything nobody listens to
gets a 200, never a 404 that Slack would count as a failed delivery.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import JOB_DEFAULTS, Clock
from bot.services.workspace_lifecycle import CANCELLED
from bot.slack.client import make_client
from bot.slack.jobs.digest import DigestSender
from bot.slack.listeners.oauth import NotInstalled, client_for_workspace
from bot.store.models import Job, Workspace
from tests.scenarios.digest_seed import DUE, seed_campaign
from tests.scenarios.harness import TEAM, SlackApp, running_app
from tests.scenarios.test_oauth_install import install, raw_rows, running_oauth_app

MODES = ("single-token", "oauth")
GAP = 'gap "trail running shoes" https://www.example.com/trail-shoes'


@contextmanager
def app_in(mode: str, database_url: str) -> Iterator[SlackApp]:
    if mode == "oauth":
        with running_oauth_app(database_url) as app:
            install(app, TEAM)
            yield app
    else:
        with running_app(database_url) as app:
            yield app


def lifecycle(app: SlackApp, event: dict[str, Any], event_id: str) -> int:
    """Slack's event wrapper as its docs show it (no ``authorizations`` on these events)."""
    body = {
        "token": "XXYYZZ",
        "team_id": TEAM,
        "api_app_id": "A0LINKGAP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
    }
    return app.post(json.dumps(body).encode(), "application/json").status_code


def workspace(app: SlackApp) -> Workspace:
    [row] = app.rows(Workspace, Workspace.team_id == TEAM)
    assert isinstance(row, Workspace)
    return row


def scheduled_digests(app: SlackApp) -> set[str]:
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults=JOB_DEFAULTS)
    sender = DigestSender(app.runtime, make_client(app.runtime.settings), owner="clock")
    # An hour before the seeded campaign's digest is due: sync schedules, posts nothing.
    clock = Clock(app.runtime, sender, scheduler, clock=lambda: DUE - timedelta(hours=1))
    clock.sync()
    return {job.id for job in scheduler.get_jobs() if job.id.startswith("digest:")}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0LINKGAP"]}},
    ],
    ids=lambda e: e["type"],
)
def test_losing_the_app_disables_jobs_digests_and_the_token(
    database_url: str, mode: str, event: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with app_in(mode, database_url) as app:
        assert app.command(GAP).status_code == 200  # one analysis queued
        campaign = seed_campaign(app.runtime.sessions)
        assert scheduled_digests(app) == {f"digest:{campaign}"}

        with caplog.at_level(logging.WARNING):
            assert lifecycle(app, event, event_id="Ev0LOST") == 200

        disabled = workspace(app)
        assert disabled.disabled_at is not None
        assert disabled.disabled_reason == event["type"]
        [job] = app.rows(Job)
        assert (job.status, job.error) == ("failed", CANCELLED)
        assert app.run_jobs() == 0
        assert scheduled_digests(app) == set()
        with pytest.raises(NotInstalled):
            client_for_workspace(app.runtime, disabled.id)
        [line] = [r.getMessage() for r in caplog.records if "disabled by" in r.getMessage()]
        assert f"disabled by {event['type']}: 1 queued jobs cancelled" in line
        assert "of 1 campaigns paused" in line
        if mode == "oauth":
            assert raw_rows(app, "slack_bots") == []


def test_a_request_after_a_reinstall_enables_the_workspace_again(database_url: str) -> None:
    with running_app(database_url) as app:
        app.command("help")
        campaign = seed_campaign(app.runtime.sessions)
        assert lifecycle(app, {"type": "app_uninstalled"}, event_id="Ev0GONE") == 200
        assert scheduled_digests(app) == set()

        assert app.command("help").status_code == 200  # only an installed app gets commands

        assert workspace(app).disabled_at is None
        assert scheduled_digests(app) == {f"digest:{campaign}"}
        client_for_workspace(app.runtime, workspace(app).id)


def test_reinstalling_over_oauth_enables_the_workspace_again(database_url: str) -> None:
    with running_oauth_app(database_url) as app:
        install(app, TEAM)
        app.command("help")
        assert lifecycle(app, {"type": "app_uninstalled"}, event_id="Ev0GONE") == 200
        assert workspace(app).disabled_at is not None

        install(app, TEAM)

        assert workspace(app).disabled_at is None
        assert client_for_workspace(app.runtime, workspace(app).id).token


@pytest.mark.parametrize("mode", MODES)
def test_revoking_user_tokens_only_leaves_the_workspace_enabled(
    database_url: str, mode: str
) -> None:
    with app_in(mode, database_url) as app:
        app.command("help")
        revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["U0ANA"], "bot": []}}

        assert lifecycle(app, revoked, event_id="Ev0USER") == 200

        assert workspace(app).disabled_at is None


@pytest.mark.parametrize("mode", MODES)
def test_an_uninstall_from_a_team_never_seen_creates_nothing(database_url: str, mode: str) -> None:
    with app_in(mode, database_url) as app:
        assert lifecycle(app, {"type": "app_uninstalled"}, event_id="Ev0NEVER") == 200
        assert app.count(Workspace) == 0


@pytest.mark.parametrize("mode", MODES)
def test_app_rate_limited_is_logged_and_holds_the_queued_jobs(
    database_url: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    with app_in(mode, database_url) as app:
        assert app.command(GAP).status_code == 200
        minute = int(time.time()) // 60 * 60
        # The complete payload as Slack's docs show it: no inner event, no authorizations.
        body = {"token": "x", "type": "app_rate_limited", "team_id": TEAM,
                "minute_rate_limited": minute, "api_app_id": "A0LINKGAP"}  # fmt: skip

        with caplog.at_level(logging.WARNING):
            answer = app.post(json.dumps(body).encode(), "application/json")

        assert answer.status_code == 200
        [job] = app.rows(Job)
        assert job.status == "queued"
        # The minute Slack named, the next one too: not before minute + 120 s.
        assert job.available_at.timestamp() >= minute + 120
        assert app.run_jobs() == 0  # not due yet
        assert any("app_rate_limited" in r.getMessage() for r in caplog.records)


UNHANDLED: dict[str, tuple[str, dict[str, Any]]] = {
    "event nobody subscribed to": (
        "application/json",
        {"type": "event_callback", "team_id": TEAM, "event_id": "Ev0CHAN",
         "event": {"type": "channel_created", "channel": {"id": "C0NEW", "name": "new"}}},
    ),
    "button with no listener": (
        "form",
        {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "U0ANA"},
         "trigger_id": "1.2.3", "container": {"type": "message"},
         "actions": [{"action_id": "open_report", "block_id": "b", "type": "button",
                      "action_ts": "1.2"}]},
    ),
    "options request": (
        "form",
        {"type": "block_suggestion", "team": {"id": TEAM}, "user": {"id": "U0ANA"},
         "action_id": "campaign", "block_id": "b", "value": "tra"},
    ),
    "global shortcut": (
        "form",
        {"type": "shortcut", "team": {"id": TEAM}, "user": {"id": "U0ANA"},
         "callback_id": "new_campaign", "trigger_id": "1.2.3"},
    ),
    "closed modal": (
        "form",
        {"type": "view_closed", "team": {"id": TEAM}, "user": {"id": "U0ANA"},
         "view": {"id": "V0X", "type": "modal", "callback_id": "linkgap_settings"},
         "is_cleared": False},
    ),
    "modal of another app version": (
        "form",
        {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "U0ANA"},
         "view": {"id": "V0X", "type": "modal", "callback_id": "retired_modal",
                  "state": {"values": {}}}},
    ),
}  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(UNHANDLED))
def test_what_no_listener_handles_gets_200_and_a_debug_line(
    database_url: str, mode: str, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    kind, payload = UNHANDLED[name]
    with app_in(mode, database_url) as app, caplog.at_level(logging.DEBUG):
        if kind == "form":
            body = urlencode({"payload": json.dumps(payload)}).encode()
            answer = app.post(body, "application/x-www-form-urlencoded")
        else:
            answer = app.post(json.dumps(payload).encode(), "application/json")

        assert answer.status_code == 200, answer.text
        if payload["type"] == "block_suggestion":
            assert answer.json() == {"options": []}
    noted = [r for r in caplog.records if "no listener for" in r.getMessage()]
    assert [r.levelno for r in noted] == [logging.DEBUG]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("mode", MODES)
def test_every_event_the_manifest_subscribes_to_has_a_listener_of_its_own(
    database_url: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.test_manifest import manifest

    subscribed = manifest()["settings"]["event_subscriptions"]["bot_events"]
    item = {"type": "message", "channel": "C0GENERAL", "ts": "1.2"}
    with app_in(mode, database_url) as app, caplog.at_level(logging.DEBUG):
        app.command("help")
        for number, kind in enumerate(subscribed):
            event = {"type": kind, "user": "U0ANA", "reaction": "eyes", "item": item,
                     "tab": "messages", "tokens": {"oauth": ["U0ANA"]}}  # fmt: skip
            assert lifecycle(app, event, event_id=f"Ev0SUB{number}") == 200, kind
    assert not [r for r in caplog.records if "no listener for" in r.getMessage()]
