"""Kill a job or a reaction at each Slack call, resume it, and count what Slack shows.

Every case runs on SQLite and PostgreSQL against the local Slack stand-in.
A job is claimed by a worker that then dies at the chosen call (``crash_at``:
before the request leaves, or after Slack carried it out and before the
answer was read); the next worker takes the job over once the lease has run
out. A reaction event dies in its listener; Slack delivers it again. Each
effect must be in Slack exactly once: one report and no stale progress
message, one chart and one CSV in the thread, one approval message, one
thread note.

``make hardening`` runs these with ``pytest -m crash``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.jobs.worker import JobWorker
from bot.local.standin import StoredMessage
from bot.slack.app import job_handlers
from bot.slack.effects import OnceEffects
from bot.store.db import write_transaction
from bot.store.models import Job, JobStatus, Placement, SlackEffect
from bot.store.repositories.jobs import claim_job, enqueue_job
from bot.store.repositories.workspaces import get_or_create_workspace
from bot.store.types import utc_now
from tests.hardening.crash import UPLOAD, CrashPoint, Killed, crash_at, points
from tests.scenarios.digest_seed import seed_campaign
from tests.scenarios.harness import (
    ANA,
    BEN,
    GENERAL,
    PLACEMENT_TARGET,
    PROSPECT_HOST,
    SEO,
    TEAM,
    SlackApp,
    approval_message,
    placement_row,
    reaction_event,
    running_app,
)
from tests.scenarios.test_approvals import proposal_setup
from tests.scenarios.test_live_and_reopen import approved_placement
from tests.web import LocalServer

pytestmark = pytest.mark.crash

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"
APPROVE = "white_check_mark"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}

UPLOAD_STEPS = ("files.getUploadURLExternal", UPLOAD, "files.completeUploadExternal")
#: Every call of a gap job; the uploads twice: the chart first, then the CSV (``#2``).
GAP_POINTS = [
    *points("chat.postMessage", "chat.update", *UPLOAD_STEPS),
    *(CrashPoint(method, when, nth=2) for method in UPLOAD_STEPS for when in ("before", "after")),
]
GAP_FILES = [
    "linkgap-gap-chart-trail-running-shoes.png",
    "linkgap-prospects-trail-running-shoes.csv",
]


def _die_then_resume(
    app: SlackApp, monkeypatch: pytest.MonkeyPatch, point: CrashPoint
) -> tuple[Any, Counter[str]]:
    """Claim the queued job, die at ``point``, then let a fresh worker finish it after the lease.

    Returns the job row and the Web API calls counted per method after the crash.
    """
    job = claim_job(app.runtime.sessions, "dead-host:1/0", lease=timedelta(seconds=30))
    assert job is not None
    handler = job_handlers(app.runtime)[job.kind]
    with crash_at(monkeypatch, point) as record, pytest.raises(Killed):
        handler(job)
    assert record.fired, f"the job never made the call {point.id}"
    before = Counter(call.method for call in app.slack.calls())
    later = JobWorker(
        app.runtime.sessions,
        job_handlers(app.runtime),
        max_workers=1,
        clock=lambda: utc_now() + timedelta(minutes=2),
    )
    assert later.run_until_idle(timeout=60) == 1
    (row,) = app.rows(Job, Job.id == job.id)
    assert row.status == JobStatus.DONE.value, row.error
    assert row.attempts == 2
    return row, before


def top_level(app: SlackApp, channel: str) -> list[StoredMessage]:
    return [m for m in app.slack.messages(channel, include_ephemeral=False) if not m.is_reply]


def shared_files(app: SlackApp, channel: str, ts: str) -> list[str]:
    return [f.name for m in app.slack.thread(channel, ts) for f in m.files]


@pytest.mark.parametrize("point", GAP_POINTS, ids=lambda p: p.id)
def test_a_gap_job_killed_at_a_call_leaves_one_report_one_chart_and_one_csv(
    database_url: str, monkeypatch: pytest.MonkeyPatch, point: CrashPoint
) -> None:
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        _die_then_resume(app, monkeypatch, point)

        (report,) = top_level(app, GENERAL)  # no second "Analysing…" beside the report
        assert "Link gap: trail running shoes" in str(report.blocks)
        shown = [str(m.blocks) + m.text for m in app.slack.messages(GENERAL)]
        assert not [text for text in shown if "Analysing" in text]
        assert shared_files(app, GENERAL, report.ts) == GAP_FILES  # each once, in the thread
        effects = app.rows(SlackEffect)
        assert {e.key.split(":", 2)[2] for e in effects} == {"progress", "chart", "prospects-csv"}
        assert all(e.done_at is not None for e in effects)


def test_a_resumed_job_reads_slack_only_for_the_call_that_was_cut_off(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Died after Slack shared the CSV: the resumed attempt asks files.info, then stops."""
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        _, before = _die_then_resume(
            app, monkeypatch, CrashPoint("files.completeUploadExternal", "after", nth=2)
        )
        new = Counter(call.method for call in app.slack.calls()) - before
        # The progress and the chart were settled in the ledger: no history read, no second
        # post or upload.
        assert new == {"chat.update": 2, "files.info": 1}, new


@pytest.fixture
def prospect_server(database_url: str) -> Iterator[tuple[SlackApp, LocalServer]]:
    """A campaign whose approvers are ana and ben, and a prospect page served on loopback."""
    with proposal_setup(database_url, approvers=(ANA, BEN)) as (app, server):
        yield app, server


def _queue_vet(app: SlackApp, server: LocalServer) -> None:
    prospect = server.url("/trail-shoes-review", PROSPECT_HOST)
    answer = app.command(f'vet {prospect} {PLACEMENT_TARGET} "these trail shoe tests" in-content')
    assert "Vetting the placement" in answer.json()["text"], answer.json()


@pytest.mark.parametrize("point", points("chat.postMessage"), ids=lambda p: p.id)
def test_a_vet_job_killed_at_its_approval_post_leaves_one_approval_message(
    prospect_server: tuple[SlackApp, LocalServer],
    monkeypatch: pytest.MonkeyPatch,
    point: CrashPoint,
) -> None:
    app, server = prospect_server
    _queue_vet(app, server)
    _die_then_resume(app, monkeypatch, point)
    (posted,) = top_level(app, SEO)
    (placement,) = app.rows(Placement)
    assert approval_message(app, placement.id).ts == posted.ts
    assert f"Placement {placement.id}" in str(posted.blocks) + posted.text


def _approved(app: SlackApp, server: LocalServer) -> tuple[Any, StoredMessage]:
    _queue_vet(app, server)
    assert app.run_jobs() == 1
    (placement,) = app.rows(Placement)
    message = approval_message(app, placement.id)
    return placement, message


@pytest.mark.parametrize("point", points("chat.update", "chat.postMessage"), ids=lambda p: p.id)
def test_a_reaction_killed_after_the_vote_is_repaired_by_slacks_retry_with_one_note(
    prospect_server: tuple[SlackApp, LocalServer],
    monkeypatch: pytest.MonkeyPatch,
    point: CrashPoint,
) -> None:
    """The vote commits, then the process dies at chat.update or at the thread note;
    Slack retries the event (no 200 came back) and the message catches up, noted once."""
    app, server = prospect_server
    placement, message = _approved(app, server)
    app.slack.add_reaction(message, APPROVE, BEN)
    event = reaction_event(message, APPROVE, BEN)
    with crash_at(monkeypatch, point) as record, pytest.raises(Killed):
        app.event(event, event_id="Ev0KILLED")
    assert record.fired
    assert placement_row(app, placement.id).status == "approved"  # committed before the call

    answer = app.event(event, event_id="Ev0KILLED", headers=RETRY)
    assert answer.status_code == 200
    shown = app.slack.message(message.channel, message.ts)
    assert shown is not None
    assert "approved" in (str(shown.blocks) + shown.text).lower()
    if point.method == "chat.postMessage":
        # The note was begun seconds ago: the retry cannot tell a dead delivery from one
        # still posting, so it leaves the note to a repair once the window has passed.
        assert [m.text for m in app.slack.thread(message.channel, message.ts)] == (
            [f"Placement {placement.id} approved by <@{BEN}>."] if point.when == "after" else []
        )
        assert let_the_in_flight_window_pass(app) == 1
        assert app.run_jobs() == 1
    notes = [m.text for m in app.slack.thread(message.channel, message.ts)]
    assert notes == [f"Placement {placement.id} approved by <@{BEN}>."]

    # Slack's second retry, or any later reaction, changes nothing more.
    app.event(event, event_id="Ev0KILLED", headers=RETRY)
    assert len(app.slack.thread(message.channel, message.ts)) == 1


def test_a_retry_arriving_while_the_first_delivery_posts_the_note_adds_no_second_note(
    prospect_server: tuple[SlackApp, LocalServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a crash: the first delivery is slow, so Slack delivers the event again while
    the first has recorded its note's intent and not yet posted it. One note in the end."""
    app, server = prospect_server
    placement, message = _approved(app, server)
    app.slack.add_reaction(message, APPROVE, BEN)
    event = reaction_event(message, APPROVE, BEN)
    begun, go = threading.Event(), threading.Event()
    original = OnceEffects._begin

    def slow_after_the_intent(self: OnceEffects, key: str, *args: Any) -> Any:
        state = original(self, key, *args)
        if not begun.is_set():  # the first delivery: intent committed, call not yet made
            begun.set()
            assert go.wait(30)
        return state

    monkeypatch.setattr(OnceEffects, "_begin", slow_after_the_intent)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(app.event, event, event_id="Ev0SLOW")
        assert begun.wait(30), "the first delivery never began its note"
        retry = app.event(event, event_id="Ev0SLOW", headers=RETRY)
        assert retry.status_code == 200
        assert app.slack.thread(message.channel, message.ts) == []  # the retry left it alone
        go.set()
        assert first.result(timeout=30).status_code == 200
    notes = [m.text for m in app.slack.thread(message.channel, message.ts)]
    assert notes == [f"Placement {placement.id} approved by <@{BEN}>."]
    # The retry left a repair for after the window; it finds the note settled.
    assert let_the_in_flight_window_pass(app) == 1
    assert app.run_jobs() == 1
    assert len(app.slack.thread(message.channel, message.ts)) == 1
    (repair,) = [job for job in app.rows(Job) if job.kind == "approval_repair"]
    assert repair.status == JobStatus.DONE.value


def let_the_in_flight_window_pass(app: SlackApp) -> int:
    """Make the queued approval repairs due now, as they are once their window has passed."""
    with write_transaction(app.runtime.sessions) as session:
        repairs = session.scalars(select(Job).where(Job.kind == "approval_repair")).all()
        for job in repairs:
            job.available_at = utc_now()
        return len(repairs)


def test_a_retried_reaction_event_is_processed_when_the_first_delivery_died_before_the_vote(
    prospect_server: tuple[SlackApp, LocalServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Died at the approvers lookup, before anything was stored: the retry decides."""
    app, server = prospect_server
    placement, message = _approved(app, server)
    app.slack.add_reaction(message, APPROVE, BEN)
    event = reaction_event(message, APPROVE, BEN)
    with monkeypatch.context() as patch:

        def die(*args: Any, **kwargs: Any) -> Any:
            raise Killed("apply_reaction")

        patch.setattr("bot.slack.listeners.reactions.apply_reaction", die)
        with pytest.raises(Killed):
            app.event(event, event_id="Ev0EARLY")
    assert placement_row(app, placement.id).status == "proposed"
    app.event(event, event_id="Ev0EARLY", headers=RETRY)
    assert placement_row(app, placement.id).status == "approved"
    notes = [m.text for m in app.slack.thread(message.channel, message.ts)]
    assert notes == [f"Placement {placement.id} approved by <@{BEN}>."]


@pytest.mark.parametrize("point", points("chat.update", "chat.postMessage"), ids=lambda p: p.id)
def test_a_live_check_killed_at_a_call_notes_the_live_link_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch, point: CrashPoint
) -> None:
    page = (
        f'<html><body><main><p>See <a href="{PLACEMENT_TARGET}">this</a>.</p></main></body></html>'
    )
    with approved_placement(database_url, {"/roundup": page}) as (app, server, placement, message):
        live_url = server.url("/roundup", PROSPECT_HOST)
        app.command(f"live {placement.id} {live_url}", user=ANA)
        _die_then_resume(app, monkeypatch, point)

        assert placement_row(app, placement.id).status == "live"
        shown = app.slack.message(message.channel, message.ts)
        assert shown is not None
        assert "*Live* at" in str(shown.blocks)
        notes = [reply.text for reply in app.slack.thread(SEO, message.ts)]
        assert notes == [
            f"Placement {placement.id} approved by <@{BEN}>.",
            f"Live at {live_url}, checked for <@{ANA}>.",
        ]


@pytest.mark.parametrize(
    "point",
    points("chat.postMessage", "files.completeUploadExternal"),
    ids=lambda p: p.id,
)
def test_an_on_demand_digest_killed_at_a_call_is_posted_once_with_one_chart(
    database_url: str, monkeypatch: pytest.MonkeyPatch, point: CrashPoint
) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions, channel=SEO)
        with write_transaction(app.runtime.sessions) as session:
            workspace = get_or_create_workspace(session, TEAM)
            enqueue_job(
                session, workspace.id, "digest", {"campaign_id": campaign_id, "channel_id": SEO}
            )
        _die_then_resume(app, monkeypatch, point)

        (digest,) = top_level(app, SEO)
        assert digest.metadata is not None
        assert digest.metadata["event_payload"]["campaign_id"] == campaign_id
        (chart,) = shared_files(app, SEO, digest.ts)
        assert chart.startswith("linkgap-digest-")
