"""``linkgap serve`` in Socket Mode: a real process connected to Slack's side over a WebSocket.

``SLACK_APP_TOKEN`` set, serve asks the stand-in's ``apps.connections.open``
for the WebSocket URL, connects to the test's ``SocketLink`` and answers
Slack's envelopes there: the same listeners, limits and lifecycle handling as
over HTTP, every envelope acknowledged well inside Slack's 3 seconds, the
analysis run by serve's child worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.local.standin import SlackStandIn
from tests.processes import stop
from tests.slack.socket_link import SocketLink

LINKGAP = str(Path(sys.executable).with_name("linkgap"))
APP_TOKEN = "xapp-1-A0STANDIN-1-socketmodetest"
PUBLISHED = Path(__file__).parents[1] / "scenarios" / "fixtures" / "slack_published.json"
#: Slack's deadline for an acknowledgement; ours must come well inside it.
ACK_DEADLINE = 3.0


@contextmanager
def socket_mode_serve(tmp_path: Path) -> Iterator[tuple[SlackStandIn, SocketLink, Path, Path]]:
    """``linkgap serve`` with an app-level token, connected; the stand-in, link, database, log."""
    database = tmp_path / "socket.db"
    log = tmp_path / "serve.log"
    with SlackStandIn() as slack, SocketLink() as link, log.open("wb") as log_file:
        slack.link_socket_mode(APP_TOKEN, link.url)
        environ = {
            **{k: v for k, v in os.environ.items() if k != "PORT"},
            "DATABASE_URL": f"sqlite:///{database}",
            "LINKGAP_PROVIDER": "demo",
            "SLACK_API_URL": slack.api_url,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_APP_TOKEN": APP_TOKEN,
            # Required as for HTTP, though nothing over the WebSocket is signed.
            "SLACK_SIGNING_SECRET": "socket-mode-test-secret",
        }
        process = subprocess.Popen(
            [LINKGAP, "serve"], env=environ, cwd=tmp_path, stdout=subprocess.DEVNULL,
            stderr=log_file,
        )  # fmt: skip
        try:
            if not link.connected.wait(60):
                pytest.fail(f"linkgap serve did not connect: {log.read_text()[-2000:]}")
            yield slack, link, database, log
        finally:
            stop(process, grace=60)


def command(slack: SlackStandIn, text: str) -> dict[str, Any]:
    """A slash command's payload as Socket Mode delivers it (the HTTP form's fields, as JSON)."""
    return {
        "token": "bHKJ2n9AW6Ju3MjciOHfbA1b",
        "team_id": "T0STANDIN",
        "team_domain": "standin",
        "channel_id": "C0GENERAL",
        "channel_name": "general",
        "user_id": "U0STANDIN1",
        "user_name": "ana",
        "command": "/linkgap",
        "text": text,
        "api_app_id": "A0STANDIN",
        "is_enterprise_install": "false",
        "response_url": slack.response_url("C0GENERAL", user="U0STANDIN1"),
        "trigger_id": slack.trigger_id("U0STANDIN1"),
    }


def jobs(database: Path) -> list[tuple[str, str]]:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT kind, status FROM jobs ORDER BY id"))
            return [(str(kind), str(status)) for kind, status in rows]
    finally:
        engine.dispose()


def test_socket_mode_acks_a_gap_command_fast_and_the_child_worker_posts_the_report(
    tmp_path: Path,
) -> None:
    with socket_mode_serve(tmp_path) as (slack, link, database, log):
        envelope = link.send(
            "slash_commands",
            command(slack, 'gap "trail running shoes" https://www.example.com/trail-shoes'),
            accepts_response_payload=True,
        )
        ack = link.ack(envelope)
        assert ack.seconds < ACK_DEADLINE
        assert "payload" not in ack.body  # an empty ack: the progress message is in the channel
        slack.wait_for("chat.update", timeout=90)  # the progress message became the report
        (report,) = [m for m in slack.messages("C0GENERAL") if m.thread_ts is None]
        assert "Link gap: trail running shoes" in str(report.blocks)
        deadline = time.monotonic() + 30
        while jobs(database) != [("gap", "done")] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert jobs(database) == [("gap", "done")]
    assert "Traceback" not in log.read_text()


def test_socket_mode_refuses_a_typo_and_an_oversized_command_in_its_ack(tmp_path: Path) -> None:
    with socket_mode_serve(tmp_path) as (slack, link, database, _):
        typo = link.ack(
            link.send("slash_commands", command(slack, "gpa x"), accepts_response_payload=True)
        )
        huge = link.ack(
            link.send(
                "slash_commands",
                command(slack, "gap " + "x" * 5_000),
                accepts_response_payload=True,
            )
        )
        assert typo.seconds < ACK_DEADLINE
        assert huge.seconds < ACK_DEADLINE
        assert typo.body["payload"]["text"] == "Did you mean `/linkgap gap x`? Nothing was run."
        assert huge.body["payload"]["text"].startswith(
            "That command is 5,004 characters long; the limit is 4,000."
        )
        assert typo.body["payload"]["response_type"] == "ephemeral"
        assert jobs(database) == []  # nothing paid for was queued


def test_socket_mode_acks_every_published_payload_and_handles_the_lifecycle_events(
    tmp_path: Path,
) -> None:
    """Slack's own example payloads (stored with their sources), as Socket Mode envelopes."""
    published = json.loads(PUBLISHED.read_text())
    with socket_mode_serve(tmp_path) as (_, link, _, log):
        for example in published:
            if example["name"] == "url_verification":
                continue  # an HTTP handshake: Socket Mode has none
            if "form" in example:
                kind, payload = "slash_commands", dict(example["form"])
            else:
                kind, payload = "events_api", example["json"]
            ack = link.ack(link.send(kind, payload, accepts_response_payload=kind != "events_api"))
            assert ack.seconds < ACK_DEADLINE, example["name"]
        # The uninstall and the rate limit were handled, not just acknowledged.
        written = log.read_text()
        assert "app_rate_limited" in written or "rate limited" in written
        assert "uninstalled" in written
    assert "Traceback" not in log.read_text()
