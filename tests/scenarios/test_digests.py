"""Weekly digests end to end: exactly once per campaign and period, against the Slack stand-in."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from bot.local.standin import StoredMessage
from bot.slack.client import make_client
from bot.slack.jobs.digest import METADATA_EVENT, DigestSender
from bot.store.repositories.digests import claim_digest, mark_posting
from tests.scenarios.digest_seed import DUE, seed_campaign
from tests.scenarios.harness import SlackApp, running_app

NO_WAIT = 0.0


def sender(app: object, owner: str) -> DigestSender:
    runtime = app.runtime  # type: ignore[attr-defined]
    return DigestSender(runtime, make_client(runtime.settings), owner=owner)


def digests(app: SlackApp) -> list[StoredMessage]:
    return [
        m
        for m in app.slack.messages("C0SEO")
        if (m.metadata or {}).get("event_type") == METADATA_EVENT
    ]


def test_the_due_digest_is_posted_once_with_its_chart(database_url: str) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        assert sender(app, "a").weekly(campaign_id, DUE - timedelta(minutes=1)).status == "not-due"
        outcome = sender(app, "a").weekly(campaign_id, DUE)
        assert outcome.status == "posted"
        assert outcome.period == "2026-W49"
        assert not outcome.late
        assert sender(app, "b").weekly(campaign_id, DUE + timedelta(hours=1)).status == "not-due"
        [message] = digests(app)
        text = str(message.blocks)
        assert "trail running shoes" in text
        assert message.metadata is not None
        assert message.metadata["event_payload"] == {
            "campaign_id": campaign_id,
            "period": "2026-W49",
        }
        assert len(app.slack.calls("files.getUploadURLExternal")) == 1
        assert len(app.slack.calls("files.completeUploadExternal")) == 1
        [chart] = app.slack.files()
        assert chart.content is not None
        assert chart.content.startswith(b"\x89PNG")


def test_concurrent_senders_post_one_digest(database_url: str) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        barrier = threading.Barrier(4)
        results: list[str] = []

        def run(n: int) -> None:
            barrier.wait()
            results.append(sender(app, f"clock-{n}").weekly(campaign_id, DUE).status)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results.count("posted") == 1
        assert len(digests(app)) == 1


def test_a_claim_left_by_a_dead_process_is_posted_once_after_the_lease(database_url: str) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        dead = claim_digest(app.runtime.sessions, campaign_id, "2026-W49", "dead", now=DUE)
        assert dead is not None
        mark_posting(app.runtime.sessions, dead, now=DUE)
        assert (
            sender(app, "b").weekly(campaign_id, DUE + timedelta(minutes=2)).status
            == "claimed-elsewhere"
        )
        assert digests(app) == []
        outcome = sender(app, "b").weekly(campaign_id, DUE + timedelta(minutes=10))
        assert outcome.status == "posted"
        assert len(digests(app)) == 1


def test_a_takeover_finds_the_dead_processes_message_instead_of_posting_again(
    database_url: str,
) -> None:
    # Slack stamps the dead process's message a minute after its claim.
    at = (DUE + timedelta(minutes=1)).timestamp()
    with running_app(database_url, slack_clock=lambda: at) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        dead = claim_digest(app.runtime.sessions, campaign_id, "2026-W49", "dead", now=DUE)
        assert dead is not None
        # The dead process got Slack's answer, then died before recording it.
        make_client(app.runtime.settings).chat_postMessage(
            channel="C0SEO",
            text="Weekly digest",
            metadata={
                "event_type": METADATA_EVENT,
                "event_payload": {"campaign_id": campaign_id, "period": "2026-W49"},
            },
        )
        outcome = sender(app, "b").weekly(campaign_id, DUE + timedelta(minutes=10))
        assert outcome.status == "recovered"
        assert len(digests(app)) == 1
        assert app.slack.calls("conversations.history")


def test_two_weeks_of_downtime_give_one_late_digest(database_url: str) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions, created=DUE - timedelta(days=40))
        back = DUE + timedelta(days=14, hours=5)
        outcome = sender(app, "a").weekly(campaign_id, back)
        assert outcome.status == "posted"
        assert outcome.late
        assert outcome.period == "2026-W51"
        assert sender(app, "a").weekly(campaign_id, back + timedelta(minutes=5)).status == "not-due"
        [message] = digests(app)
        assert "late" in str(message.blocks).lower()


def test_a_429_in_the_middle_still_posts_exactly_one_after_the_wait(database_url: str) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        app.slack.fail_next("chat.postMessage", status=429, retry_after=1)
        started = time.monotonic()
        outcome = sender(app, "a").weekly(campaign_id, DUE)
        assert outcome.status == "posted"
        assert time.monotonic() - started >= 1
        assert len(digests(app)) == 1
        assert len(app.slack.calls("chat.postMessage")) == 2  # the refused one and the retry


def test_an_archived_or_channelless_campaign_gets_nothing(database_url: str) -> None:
    from tests.scenarios.digest_seed import archive

    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        archive(app.runtime.sessions, campaign_id)
        assert sender(app, "a").weekly(campaign_id, DUE).status == "archived"
        assert digests(app) == []
