"""A campaign's whole life from Slack: track with options, edit, untrack, resume.

Signed commands into the real app; the clock (the real ``Clock`` on a paused
scheduler) shows that an untracked campaign gets no digest or refresh and
that an edited schedule is the one honoured; a vote shows an edited quorum.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import Clock
from bot.slack.client import make_client
from bot.slack.jobs.digest import DigestSender
from bot.store.models import Campaign, Job
from tests.scenarios.digest_seed import DUE, seed_campaign
from tests.scenarios.harness import (
    BEN,
    CHLOE,
    ON_TOPIC_PAGE,
    PROSPECT_HOST,
    SlackApp,
    placement_row,
    propose,
    running_app,
    serving_pages,
    track_campaign,
    votes_of,
    wait_until,
)

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"


def clock_at(app: SlackApp, scheduler: BackgroundScheduler, now: dict[str, Any]) -> Clock:
    runtime = app.runtime
    sender = DigestSender(runtime, make_client(runtime.settings), owner="clock")
    return Clock(runtime, sender, scheduler, clock=lambda: now["now"])


def shown(answer: dict[str, Any]) -> str:
    return str(answer["blocks"])


def test_track_takes_quorum_schedule_zone_and_topic_and_echoes_every_setting(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        answer = app.command(
            f'track "{KEYWORD}" {TARGET} quorum 2 digest fri 16:30 tz Europe/Berlin '
            'topic "trail" "running" brand Example'
        ).json()
        assert answer["response_type"] == "in_channel"
        (campaign,) = app.rows(Campaign)
        assert (campaign.digest_weekday, campaign.digest_hour, campaign.digest_minute) == (
            4,
            16,
            30,
        )
        assert campaign.timezone == "Europe/Berlin"
        assert campaign.settings == {"quorum": 2}
        assert campaign.topic_terms == ["trail", "running"]
        text = shown(answer)
        assert f"Campaign *{campaign.id}* tracks" in text
        assert "Weekly digest: Fridays 16:30 (Europe/Berlin)" in text
        assert "quorum 2 (2 approvers must agree)" in text
        assert "Topic terms: trail, running" in text
        assert "Brand terms: Example" in text


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ("quorum 0", "`quorum` needs a number of approvers from 1 to 20"),
        ("quorum two", "“two” is not one"),
        ("digest funday 09:00", "“funday” is not a weekday"),
        ("digest monday 9pm", "“9pm” is not one"),
        ("tz Mars/Olympus", "“Mars/Olympus” is not a time zone name"),
        ("quorom 2", "Did you mean `quorum`?"),
    ],
)
def test_bad_campaign_options_are_refused_and_nothing_is_created(
    database_url: str, options: str, says: str
) -> None:
    with running_app(database_url) as app:
        answer = app.command(f'track "{KEYWORD}" {TARGET} {options}').json()
        assert answer["response_type"] == "ephemeral"
        assert says in answer["text"]
        assert app.count(Campaign) == 0
        assert app.count(Job) == 0


def test_untrack_stops_digests_and_refresh_and_track_resumes_the_same_campaign(
    database_url: str, scheduler: BackgroundScheduler
) -> None:
    with running_app(database_url) as app:
        stopped = seed_campaign(app.runtime.sessions)
        kept = seed_campaign(app.runtime.sessions, keyword="trail shoes")
        answer = app.command(f"untrack {stopped}").json()
        assert answer["response_type"] == "in_channel"
        assert f"Campaign *{stopped}*" in shown(answer)
        assert "no more weekly digests or daily refreshes" in shown(answer)
        assert "State: untracked" in shown(answer)

        now = {"now": DUE + timedelta(minutes=1)}  # both were due at DUE
        clock = clock_at(app, scheduler, now)
        outcomes = clock.sync()
        assert [(o.campaign_id, o.status) for o in outcomes] == [(kept, "posted")]
        assert scheduler.get_job(f"digest:{stopped}") is None
        assert scheduler.get_job(f"refresh:{stopped}") is None
        assert scheduler.get_job(f"refresh:{kept}") is not None
        listed = shown(app.command("campaigns").json())
        assert "_untracked: no digests or refreshes_" in listed

        again = app.command(f"untrack {stopped}").json()
        assert "already untracked" in again["text"]

        resumed = app.command(f'track "{KEYWORD}" {TARGET} tz Europe/Berlin').json()
        assert resumed["response_type"] == "in_channel"
        assert f"Campaign *{stopped}* tracks again" in shown(resumed)
        assert "Its history is kept" in shown(resumed)
        assert len(app.rows(Campaign)) == 2
        clock.sync()
        assert scheduler.get_job(f"digest:{stopped}") is not None


def test_an_edited_schedule_is_the_one_the_clock_honours(
    database_url: str, scheduler: BackgroundScheduler
) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)  # Mondays 09:00 Europe/Berlin
        answer = app.command(f"edit {campaign_id} digest tuesday 07:30 tz UTC").json()
        assert answer["response_type"] == "in_channel"
        assert "Weekly digest: Tuesdays 07:30 (UTC)" in shown(answer)
        now = {"now": DUE + timedelta(minutes=1)}  # the old time: Monday 09:01 in Berlin
        clock = clock_at(app, scheduler, now)
        assert [o.status for o in clock.sync()] == ["not-due"]
        now["now"] = DUE + timedelta(days=1, hours=-0.5, minutes=1)  # Tuesday 07:31 UTC
        assert [o.status for o in clock.sync()] == ["posted"]
        assert len(app.slack.calls("chat.postMessage")) == 1


def test_an_edited_quorum_applies_to_the_next_vote(database_url: str) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(
            app, {"/trail-shoes-review": ON_TOPIC_PAGE}, hosts=(PROSPECT_HOST,)
        ) as server,
    ):
        campaign = track_campaign(app)  # approvers ana and ben, quorum 1
        answer = app.command(f"edit {campaign.id} quorum 2").json()
        assert "quorum 2 (2 approvers must agree)" in shown(answer)
        placement, message = propose(app, server, user=CHLOE)
        app.react(message, "white_check_mark", BEN, event_id="Ev0EDIT1")
        wait_until(lambda: len(votes_of(app, placement.id)) >= 1, what="one vote")
        time.sleep(0.3)
        assert placement_row(app, placement.id).status == "proposed"
        app.react(message, "white_check_mark", "U0STANDIN1", event_id="Ev0EDIT2")
        wait_until(
            lambda: placement_row(app, placement.id).status == "approved", what="the approval"
        )


def test_edit_without_a_change_or_an_unknown_campaign_is_refused(database_url: str) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        assert "Say what to change" in app.command(f"edit {campaign_id}").json()["text"]
        assert "There is no campaign 99" in app.command("edit 99 quorum 2").json()["text"]
        assert "Give the campaign's number first" in app.command("edit quorum 2").json()["text"]
        (campaign,) = app.rows(Campaign)
        assert campaign.settings in ({}, None)
