"""``linkgap serve`` as the Procfile runs it: a real gunicorn process answering signed commands."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.local.standin import SlackStandIn
from tests.processes import stop

SECRET = "serve-test-secret"
LINKGAP = str(Path(sys.executable).with_name("linkgap"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(time.time()))
    base = f"v0:{timestamp}:".encode() + body
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest(),
        "Content-Type": "application/x-www-form-urlencoded",
    }


@contextmanager
def serving(
    tmp_path: Path, *options: str
) -> Iterator[tuple[str, SlackStandIn, Path, subprocess.Popen[bytes]]]:
    """``linkgap serve OPTIONS`` on a free loopback port, its database, stand-in and process."""
    database = tmp_path / "serve.db"
    port = free_port()
    log = tmp_path / "serve.log"
    with SlackStandIn() as slack, log.open("wb") as log_file:
        environ = {
            **{k: v for k, v in os.environ.items() if k not in {"SLACK_APP_TOKEN", "PORT"}},
            "DATABASE_URL": f"sqlite:///{database}",
            "LINKGAP_PROVIDER": "demo",
            "SLACK_API_URL": slack.api_url,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SECRET,
        }
        process = subprocess.Popen(
            [LINKGAP, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "2",
             *options],
            env=environ, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=log_file,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"linkgap serve did not start: {log.read_text()[-2000:]}")
            yield base, slack, database, process
        finally:
            stop(process, grace=60)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, SlackStandIn, Path]]:
    """``linkgap serve --no-jobs`` on a free loopback port, its database and the stand-in."""
    with serving(tmp_path, "--no-jobs") as (base, slack, database, _):
        yield base, slack, database


def gap_command(slack: SlackStandIn) -> bytes:
    return urlencode(
        {
            "team_id": "T0STANDIN",
            "channel_id": "C0GENERAL",
            "user_id": "U0STANDIN1",
            "command": "/linkgap",
            "text": 'gap "trail running shoes" https://www.example.com/trail-shoes',
            "response_url": slack.response_url("C0GENERAL", user="U0STANDIN1"),
            "trigger_id": slack.trigger_id("U0STANDIN1"),
        }
    ).encode()


def test_serve_answers_a_signed_command_fast_and_queues_the_analysis(
    served: tuple[str, SlackStandIn, Path], tmp_path: Path
) -> None:
    base, slack, database = served
    body = gap_command(slack)

    started = time.monotonic()
    answer = httpx.post(f"{base}/slack/events", content=body, headers=signed(body), timeout=10)
    elapsed = time.monotonic() - started
    forged = httpx.post(
        f"{base}/slack/events", content=body, headers=signed(body, "wrong"), timeout=10
    )

    assert answer.status_code == 200
    assert elapsed < 3
    assert forged.status_code == 401
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            jobs = connection.execute(text("SELECT kind, status FROM jobs")).all()
    finally:
        engine.dispose()
    assert [tuple(job) for job in jobs] == [("gap", "queued")]  # --no-jobs: the worker runs it
    # No control socket at gunicorn's one path per user, which a second server would take.
    assert "Control socket" not in (tmp_path / "serve.log").read_text()


def test_serve_answers_every_hostile_request_with_its_status_and_no_traceback(
    served: tuple[str, SlackStandIn, Path], tmp_path: Path
) -> None:
    """The door's cases over real HTTP to gunicorn: the same status as through WSGI."""
    from tests.scenarios.hostile import LIMITS, MALFORMED, UNVERIFIED, timestamp_for

    base, _, _ = served
    with httpx.Client(base_url=base, timeout=10) as client:
        for case in MALFORMED + UNVERIFIED + LIMITS:
            timestamp = timestamp_for(case)
            key = (SECRET if case.signed else "not-the-secret").encode()
            mac = hmac.new(key, f"v0:{timestamp}:".encode() + case.body, hashlib.sha256)
            headers = {
                "Content-Type": case.content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": "v0=" + mac.hexdigest(),
            }
            answer = client.post("/slack/events", content=case.body, headers=headers)
            assert answer.status_code == case.expect, (case.name, answer.text)
            assert answer.json()["error"], case.name
        assert client.get("/healthz").status_code == 200  # every worker thread still serves
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log
    assert "refused a request to /slack/events" in log


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def nice_of(pid: int) -> int:
    # /proc/PID/stat: the 19th field is the nice value (after the parenthesised name).
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


def test_serve_without_no_jobs_runs_the_jobs_in_a_child_worker_at_lower_priority(
    tmp_path: Path,
) -> None:
    with serving(tmp_path) as (base, slack, database, process):
        body = gap_command(slack)
        answer = httpx.post(f"{base}/slack/events", content=body, headers=signed(body), timeout=10)
        assert answer.status_code == 200
        slack.wait_for("chat.update", timeout=60)  # the progress message became the report

        workers = [
            child for child in children(process.pid)
            if b"worker" in Path(f"/proc/{child}/cmdline").read_bytes()
        ]  # fmt: skip
        assert len(workers) == 1
        assert nice_of(workers[0]) >= nice_of(process.pid) + 10
        group = Path(f"/proc/{process.pid}/autogroup")
        if group.exists():  # the child shares serve's scheduling group and leaves it as it was
            assert Path(f"/proc/{workers[0]}/autogroup").read_text() == group.read_text()
            assert group.read_text() == Path("/proc/self/autogroup").read_text()
        assert wait_for_jobs(database) == [("gap", "done")]
    # serve stopped: its child worker stopped with it (no orphan left claiming jobs).
    deadline = time.monotonic() + 10
    while Path(f"/proc/{workers[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{workers[0]}").exists()


def wait_for_jobs(database: Path, timeout: float = 30) -> list[tuple[str, str]]:
    """The jobs' (kind, status) once none is queued or running."""
    engine = create_engine(f"sqlite:///{database}")
    try:
        deadline = time.monotonic() + timeout
        while True:
            with engine.connect() as connection:
                jobs = [
                    tuple(row) for row in connection.execute(text("SELECT kind, status FROM jobs"))
                ]
            if (
                all(status in {"done", "failed"} for _, status in jobs)
                or time.monotonic() > deadline
            ):
                return jobs
            time.sleep(0.1)
    finally:
        engine.dispose()
