"""Jobs cut off by a restart, and analyses whose provider fails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import bot.slack.jobs.gap as gap_job
from bot.jobs.worker import GENERIC_ERROR, JobWorker
from bot.services.gap_store import run_and_record
from bot.slack.jobs.gap import make_gap_handler
from bot.store.db import write_transaction
from bot.store.models import Analysis, Job, JobStatus, SlackMessage
from bot.store.repositories.jobs import claim_job, complete_job
from bot.store.repositories.workspaces import get_or_create_workspace, update_workspace_settings
from bot.store.types import utc_now
from tests.scenarios.harness import GENERAL, TEAM, SlackApp, mrkdwn_texts, running_app

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"
STACK_TRACE_SIGNS = ("Traceback", 'File "', "Error:", "Exception", "line ", "xoxb-", ".py")


class WorkerDied(BaseException):
    """The process running the job went away mid-analysis (no ``except Exception`` sees it)."""


def test_a_job_whose_worker_died_is_finished_once_by_the_next_worker(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        job = claim_job(app.runtime.sessions, "dead-host:1/0", lease=timedelta(seconds=30))
        assert job is not None

        def die(*args: Any, **kwargs: Any) -> Any:
            raise WorkerDied

        monkeypatch.setattr(gap_job, "run_and_record", die)
        with pytest.raises(WorkerDied):  # progress posted, then the process died
            make_gap_handler(app.runtime)(job)
        monkeypatch.setattr(gap_job, "run_and_record", run_and_record)
        assert len(app.slack.calls("chat.postMessage")) == 1

        # Before the lease runs out nobody else may take it.
        assert app.run_jobs() == 0
        later = JobWorker(
            app.runtime.sessions,
            {"gap": make_gap_handler(app.runtime)},
            max_workers=2,
            clock=lambda: utc_now() + timedelta(minutes=2),
        )
        assert later.run_until_idle(timeout=60) == 1
        assert later.run_until_idle(timeout=60) == 0

        (row,) = app.rows(Job)
        assert row.status == JobStatus.DONE.value
        assert row.attempts == 2
        (progress,) = app.slack.calls("chat.postMessage")  # the retry reused it
        updates = app.slack.calls("chat.update")  # progress shown again, then the report
        assert {call.params["ts"] for call in updates} == {progress.response["ts"]}
        update = updates[-1]
        report = app.slack.message(GENERAL, update.params["ts"])
        assert report is not None
        assert "Link gap: trail running shoes" in str(report.blocks)
        # The report, then the chart and the CSV in its thread.
        assert len(app.slack.messages(GENERAL, include_ephemeral=False)) == 3
        assert len(app.slack.files()) == 2
        assert app.count(Analysis) == 1
        assert app.count(SlackMessage) == 1
        # The dead worker coming back cannot finish it a second time.
        assert complete_job(app.runtime.sessions, job.id, job.lease_owner, {}) is False


def _no_stack_trace_reached_slack(app: SlackApp) -> None:
    for where, payload in app.posted():
        for text in mrkdwn_texts(payload):
            for sign in STACK_TRACE_SIGNS:
                assert sign not in text, f"{where}: {text!r}"


def test_a_provider_without_keys_replaces_progress_with_a_clear_failure(
    database_url: str,
) -> None:
    with running_app(database_url, environ={}) as app:
        with write_transaction(app.runtime.sessions) as session:
            workspace = get_or_create_workspace(session, TEAM)
            update_workspace_settings(session, workspace.id, {"provider": "dataforseo"})
        app.command(f'gap "{KEYWORD}" {TARGET}')
        assert app.run_jobs() == 1
        (job,) = app.rows(Job)
        assert job.status == JobStatus.FAILED.value
        assert job.attempts == 1
        assert job.error
        assert "DATAFORSEO" in job.error
        (progress,) = app.slack.calls("chat.postMessage")
        (update,) = app.slack.calls("chat.update")
        assert update.params["ts"] == progress.response["ts"]
        shown = app.slack.message(GENERAL, update.params["ts"])
        assert shown is not None
        assert "did not finish" in str(shown.blocks)
        assert "DATAFORSEO" in str(shown.blocks)
        assert "Analysing" not in str(shown.blocks)
        assert app.count(Analysis) == 0
        _no_stack_trace_reached_slack(app)


def test_a_crashing_provider_fails_after_its_attempts_without_leaking_the_error(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError('Traceback: File "x.py", token xoxb-secret-1234 rejected')

    monkeypatch.setattr(gap_job, "run_and_record", crash)
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        worker = JobWorker(
            app.runtime.sessions,
            {"gap": make_gap_handler(app.runtime)},
            retry_backoff=timedelta(0),
        )
        assert worker.run_until_idle(timeout=60) == 3
        (job,) = app.rows(Job)
        assert job.status == JobStatus.FAILED.value
        assert job.attempts == 3
        assert job.error == GENERIC_ERROR
        (progress,) = app.slack.calls("chat.postMessage")  # retries reuse the message
        updates = app.slack.calls("chat.update")
        assert {call.params["ts"] for call in updates} == {progress.response["ts"]}
        failures = [call for call in updates if ":x:" in str(call.params["blocks"])]
        assert failures == [updates[-1]]  # only the last attempt says it failed
        shown = app.slack.message(GENERAL, progress.response["ts"])
        assert shown is not None
        assert "something went wrong on our side" in str(shown.blocks)
        _no_stack_trace_reached_slack(app)
        assert "secret" not in str(app.posted())
