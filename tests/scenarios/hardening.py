"""``make hardening``: every hostile or odd request tried against the real app, and a table.

Run as ``python -m tests.scenarios.hardening`` (``--no-burst`` to skip the
part that starts ``linkgap serve``). It replays, through the production WSGI
entry point and signed like Slack signs:

- Slack's published example payloads (``fixtures/slack_published.json``,
  each with the page it came from);
- the malformed bodies, the forged and odd timestamps and the size limits of
  ``tests/scenarios/hostile.py``;
- command text at and over its limits (4,000 characters, control characters,
  a 400,000-character word);
- the lifecycle events and requests no listener handles;
- requests whose team ids are empty, and an org-wide (Enterprise Grid) one;
- the crash points: every test marked ``crash`` (a job killed at each Slack
  call, resumed, its effect checked to have happened once), run as it is;

then sends 200 concurrent ``gap`` commands to a real ``linkgap serve`` in each
mode: the default one (analyses in its child worker) and the Procfile one
(``serve --no-jobs`` beside a ``linkgap worker``). A request is *handled*
when it gets the answer its row expects (the status, and for commands the
refusal's words), no 5xx, and no traceback or ERROR line in the log while it
ran; a burst request when it is a 200 inside Slack's 3 s, and a burst row
names its acks' p50, p99 and slowest. The table lists per group
how many were tried, handled and failed; the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.scenarios.harness import TEAM, SlackApp, running_app
from tests.scenarios.hostile import (
    FORM,
    JSON,
    LIMITS,
    MALFORMED,
    UNVERIFIED,
    Case,
    published,
)

ACK_LIMIT = 3.0
BURST = 200


@dataclass(frozen=True)
class Probe:
    """A request and what its answer must say for it to count as handled."""

    case: Case
    #: Words the answer's body must contain (a command's refusal says what was wrong).
    says: str = ""


@dataclass
class Row:
    group: str
    tried: int = 0
    handled: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.tried - self.handled


def _command(text: str, team: str = TEAM, **extra: str) -> bytes:
    form = {"team_id": team, "user_id": "U0STANDIN1", "channel_id": "C0GENERAL",
            "command": "/linkgap", "text": text, **extra}  # fmt: skip
    return urlencode(form).encode()


def _event(event: dict[str, Any], event_id: str, **envelope: Any) -> bytes:
    body = {"token": "x", "team_id": TEAM, "api_app_id": "A0LINKGAP",
            "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
            "event": event, **envelope}  # fmt: skip
    return json.dumps(body).encode()


def _interaction(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


TARGET = "https://www.example.com/trail-shoes"
COMMAND_TEXT = [
    Probe(Case("command text", "4,000 characters", _command("gap " + "k" * 3996), FORM, 200)),
    Probe(
        Case("command text", "4,001 characters", _command("gap " + "k" * 3997), FORM, 200),
        says="the limit is 4,000",
    ),
    Probe(
        Case("command text", "one 400,000-character word", _command("x" * 400_000), FORM, 200),
        says="the limit is 4,000",
    ),
    Probe(
        Case("command text", "NUL", _command(f'gap "trail\x00shoes" {TARGET}'), FORM, 200),
        says="control character (U+0000)",
    ),
    Probe(
        Case("command text", "ESC", _command(f"gap \x1b[31m {TARGET}"), FORM, 200),
        says="control character (U+001B)",
    ),
]

_USER = {"id": "U0STANDIN1", "team_id": TEAM}
EVENTS = [
    Probe(Case("events", "app_uninstalled", _event(
        {"type": "app_uninstalled"}, "Ev0H1"), JSON, 200)),
    Probe(Case("events", "tokens_revoked", _event(
        {"type": "tokens_revoked", "tokens": {"bot": ["U0LINKGAP"]}}, "Ev0H2"), JSON, 200)),
    Probe(Case("events", "app_rate_limited", json.dumps(
        {"token": "x", "type": "app_rate_limited", "team_id": TEAM,
         "minute_rate_limited": 1518467820, "api_app_id": "A0LINKGAP"}).encode(), JSON, 200)),
    Probe(Case("events", "an event type nobody subscribed to", _event(
        {"type": "channel_created", "channel": {"id": "C0NEW"}}, "Ev0H3"), JSON, 200)),
    Probe(Case("events", "a button with no listener", _interaction(
        {"type": "block_actions", "team": {"id": TEAM}, "user": _USER,
         "actions": [{"action_id": "gone", "block_id": "b", "type": "button"}]}), FORM, 200)),
    Probe(Case("events", "an options request", _interaction(
        {"type": "block_suggestion", "team": {"id": TEAM}, "user": _USER,
         "action_id": "campaign", "block_id": "b", "value": "tr"}), FORM, 200)),
    Probe(Case("events", "a shortcut", _interaction(
        {"type": "shortcut", "team": {"id": TEAM}, "user": _USER, "callback_id": "x",
         "trigger_id": "1.2"}), FORM, 200)),
    Probe(Case("events", "a closed modal", _interaction(
        {"type": "view_closed", "team": {"id": TEAM}, "user": _USER,
         "view": {"id": "V0X", "type": "modal", "callback_id": "gone"}}), FORM, 200)),
]  # fmt: skip

IDENTITY = [
    Probe(
        Case("identity", "command with empty team_id", _command("help", team=""), FORM, 200),
        says="names no Slack workspace",
    ),
    Probe(Case("identity", "event with empty team ids", _event(
        {"type": "app_home_opened", "user": "U0STANDIN1", "tab": "home"}, "Ev0H4", team_id="",
        authorizations=[{"team_id": "", "user_id": "U0LINKGAP", "is_bot": True}]), JSON, 200)),
    Probe(Case("identity", "button with empty team", _interaction(
        {"type": "block_actions", "team": {"id": ""}, "user": {"id": "U0STANDIN1"},
         "actions": [{"action_id": "gone", "block_id": "b", "type": "button"}]}), FORM, 200)),
    Probe(Case("identity", "org-wide command", _command(
        "help", team="T0GRIDA", enterprise_id="E0GRID", is_enterprise_install="true"), FORM, 200)),
]  # fmt: skip


def probes(app: SlackApp) -> list[Probe]:
    """Every request of the WSGI part, Slack's own examples first."""
    from tests.scenarios.test_door import stand_in_urls

    cases = published(stand_in_urls(app)) + MALFORMED + UNVERIFIED + LIMITS
    return [Probe(case) for case in cases] + COMMAND_TEXT + EVENTS + IDENTITY


class _Trouble(logging.Handler):
    """Collects what must never appear while a request is handled: tracebacks and ERRORs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()[:120]}")


@contextmanager
def _watching_the_log() -> Iterator[_Trouble]:
    trouble, root = _Trouble(), logging.getLogger()
    level = root.level
    root.addHandler(trouble)
    root.setLevel(logging.DEBUG)
    try:
        yield trouble
    finally:
        root.removeHandler(trouble)
        root.setLevel(level)


def replay(app: SlackApp, probe: Probe) -> str | None:
    """Send one probe; ``None`` when it was handled, else what went wrong."""
    from tests.scenarios.test_door import send

    with _watching_the_log() as trouble:
        started = time.monotonic()
        response = send(app, probe.case)
        seconds = time.monotonic() - started
    if response.status_code != probe.case.expect:
        return f"HTTP {response.status_code}, expected {probe.case.expect}"
    if probe.says and probe.says not in response.text:
        return f"the answer does not say {probe.says!r}"
    if trouble.lines:
        return trouble.lines[0]
    if seconds > ACK_LIMIT:
        return f"answered in {seconds:.1f} s"
    return None


def run_wsgi(database_url: str) -> list[Row]:
    """Every probe against one running app (single-token mode, the production WSGI app)."""
    rows: dict[str, Row] = {}
    with running_app(database_url) as app:
        for probe in probes(app):
            row = rows.setdefault(probe.case.group, Row(probe.case.group))
            row.tried += 1
            problem = replay(app, probe)
            if problem is None:
                row.handled += 1
            else:
                row.failures.append(f"{probe.case.name}: {problem}")
    return list(rows.values())


#: The two ways to run linkgap, and the flags of ``linkgap serve`` for each (as the ack benchmark).
BURST_MODES = {
    # The single-command install: serve starts its own job worker (a child process).
    "default": (),
    # The Procfile: the web answers Slack, a separately started `linkgap worker` runs the jobs.
    "Procfile": ("--no-jobs",),
}


def run_burst(mode: str = "default", count: int = BURST) -> Row:
    """``count`` concurrent ``gap`` commands to a real ``linkgap serve`` (gunicorn) in ``mode``."""
    from benchmarks.ack_processes import Server, stop_process
    from benchmarks.ack_report import summarise
    from benchmarks.slack_ack import SIGNING_SECRET, command_body, concurrent_round
    from benchmarks.standin_process import StandInProcess

    row = Row(f"burst of {count} gap commands, {mode} mode")
    with (
        tempfile.TemporaryDirectory(prefix="linkgap-hardening-") as scratch,
        StandInProcess() as slack,
    ):
        environ = {
            "PATH": "/usr/bin:/bin", "LINKGAP_PROVIDER": "demo", "SLACK_API_URL": slack.api_url,
            "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "DATABASE_URL": f"sqlite:///{scratch}/linkgap.db",
        }  # fmt: skip
        linkgap = str(Path(sys.executable).with_name("linkgap"))
        server = Server(
            "linkgap",
            [linkgap, "serve", "--host", "127.0.0.1", "--port", "{port}", *BURST_MODES[mode]],
            environ, "/healthz", Path(scratch) / "serve.log",
        )  # fmt: skip
        server.start()
        worker = None
        worker_log = Path(scratch) / "worker.log"
        try:
            if mode != "default":
                with worker_log.open("wb") as out:
                    worker = subprocess.Popen(
                        [linkgap, "worker"], env=environ, stdout=out, stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL, start_new_session=True,
                    )  # fmt: skip
            samples = concurrent_round(server.port, [command_body(slack, n) for n in range(count)])
        finally:
            if worker is not None:
                stop_process(worker)
            server.stop()
        log = server.log.read_text(errors="replace")
        if worker_log.exists():
            log += worker_log.read_text(errors="replace")
    row.tried = len(samples)
    late = [s for s in samples if s.status != 200 or s.seconds > ACK_LIMIT]
    row.handled = row.tried - len(late)
    row.failures += [f"HTTP {s.status} after {s.seconds:.2f} s" for s in late[:5]]
    if "Traceback" in log:
        row.handled = 0
        row.failures.append("a traceback in linkgap's log")
    figures = summarise(samples)
    row.group += (
        f" (ack p50 {figures['p50_ms'] / 1000:.2f} s, p99 {figures['p99_ms'] / 1000:.2f} s, "
        f"max {figures['max_ms'] / 1000:.2f} s)"
    )
    return row


def run_crash_points() -> Row | None:
    """The crash tests (``pytest -m crash``: kill at a Slack call, resume, one effect each).

    Run as they are, in a pytest of their own, and counted from its JUnit
    report; ``None`` when no test carries the ``crash`` mark.
    """
    import xml.etree.ElementTree as ElementTree

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="linkgap-crash-") as scratch:
        report = Path(scratch) / "crash.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "-m", "crash", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", "tests"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        if not report.exists():
            return Row("crash points", 1, 0, ["pytest -m crash did not run"])
        cases = ElementTree.parse(report).getroot().iter("testcase")
        row = Row("crash points (pytest -m crash)")
        for case in cases:
            if case.find("skipped") is not None:
                continue
            row.tried += 1
            if case.find("failure") is None and case.find("error") is None:
                row.handled += 1
            else:
                row.failures.append(str(case.get("name")))
    return row if row.tried else None


def table(rows: Sequence[Row]) -> str:
    """The Markdown table docs/operations.md reproduces."""
    lines = ["| group | tried | handled | failed |", "|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.group} | {row.tried} | {row.handled} | {row.failed} |")
    tried, handled = sum(r.tried for r in rows), sum(r.handled for r in rows)
    lines.append(f"| **total** | **{tried}** | **{handled}** | **{tried - handled}** |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-burst", action="store_true", help="skip the 200-command burst")
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="linkgap-hardening-") as scratch:
        rows = run_wsgi(f"sqlite:///{scratch}/linkgap.db")
    crash = run_crash_points()
    if crash is not None:
        rows.append(crash)
    if not args.no_burst:
        rows += [run_burst(mode) for mode in BURST_MODES]
    out(table(rows))
    for row in rows:
        for failure in row.failures:
            out(f"FAILED {row.group}: {failure}")
    return 1 if any(row.failed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
