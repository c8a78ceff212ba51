"""A real ``linkgap worker`` process SIGKILLed with a Web API call in flight (SQLite, PostgreSQL).

The production layout: the web app queues the job (``serve --no-jobs``), a
separate ``linkgap worker`` process runs it. The Slack stand-in holds the
chosen call after carrying it out, so the worker is killed while it waits
for the answer: the effect is in Slack, the worker never learnt of it. A
second worker takes the job over once the lease (2 s here) has run out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import pytest

from bot.store.models import Job, JobStatus
from tests.hardening.test_crash_points import GAP_FILES, shared_files, top_level
from tests.processes import stop
from tests.scenarios.harness import GENERAL, SIGNING_SECRET, SlackApp, running_app

pytestmark = pytest.mark.crash

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"


@contextmanager
def worker_process(app: SlackApp, cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``linkgap worker`` on the app's database and Slack; stopped (TERM, then KILL) after."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": app.runtime.settings.database_url,
        "SLACK_BOT_TOKEN": app.slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": app.slack.api_url,
        "LINKGAP_PROVIDER": "demo",
        "LINKGAP_JOB_LEASE_SECONDS": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "worker", "--threads", "1", "--nice", "0"],
        cwd=cwd,  # no .env of the checkout is read
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        stop(process, grace=20)
        assert process.stderr is not None
        process.stderr.close()


def _wait_for_done(app: SlackApp, timeout: float = 60.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (job,) = app.rows(Job)
        if job.status in {JobStatus.DONE.value, JobStatus.FAILED.value}:
            return cast(Job, job)
        time.sleep(0.1)
    raise TimeoutError("the resumed worker did not finish the job")


@pytest.mark.parametrize("method", ["chat.postMessage", "files.completeUploadExternal"])
def test_a_sigkilled_worker_leaves_one_report_one_chart_and_one_csv(
    database_url: str, tmp_path: Path, method: str
) -> None:
    """Two workers share the queue; the one that claimed the job dies at ``method``."""
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        hold = app.slack.hold_next(method)
        with worker_process(app, tmp_path) as one, worker_process(app, tmp_path) as other:
            assert hold.reached.wait(60), f"no worker called {method}"
            (job,) = app.rows(Job)
            pid = int(str(job.lease_owner).split(":")[1])  # host:pid:nonce/thread
            victim, survivor = (one, other) if one.pid == pid else (other, one)
            assert victim.pid == pid
            victim.send_signal(signal.SIGKILL)
            assert victim.wait(timeout=10) == -signal.SIGKILL
            hold.release()
            job = _wait_for_done(app)
            assert survivor.poll() is None
        assert job.status == JobStatus.DONE.value, job.error
        assert job.attempts == 2
        (report,) = top_level(app, GENERAL)
        assert "Link gap: trail running shoes" in str(report.blocks)
        assert not [m for m in app.slack.messages(GENERAL) if "Analysing" in m.text]
        assert shared_files(app, GENERAL, report.ts) == GAP_FILES
