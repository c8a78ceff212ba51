"""Benchmark: how fast ``/linkgap gap`` is acknowledged, against a Bolt app that only acks.

DESIGN section 11: with 50 concurrent signed slash-command requests on 2
cores, linkgap's p99 ack latency is at most 1.5 × that of a minimal Bolt app
measured in the same run, and no ack ever takes more than Slack's 3 s, even at
200 concurrent requests. Run from the repository root:

    python -m benchmarks.slack_ack

Both apps run as real gunicorn servers (gthread workers, the worker and
thread counts of ``linkgap serve``) on loopback: linkgap through the same
``LinkgapGunicorn`` that ``linkgap serve`` starts (bound to 127.0.0.1 rather
than serve's 0.0.0.0, so nothing listens beyond this machine), with a fresh
SQLite database and the demo provider; the baseline is
``benchmarks/bare_bolt_app.py`` under ``python -m gunicorn``. A Slack stand-in
in a process of its own answers both apps' Web API calls (``auth.test`` at
start-up, the analyses' messages). Each request is a new connection carrying a freshly
signed ``/linkgap gap "<keyword> N" https://www.example.com/page-N``; latency
is from just before connecting until the whole response is read. linkgap's
job workers run the queued analyses while its acks are measured, as they
would in production; before each round the queue is left to drain, so a
round never inherits the previous round's analyses. The order of the two
apps alternates between rounds. The figures are written to
``docs/performance.md`` between the markers of its "Slash-command
acknowledgement" section (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import http.client
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.standin_process import StandInProcess

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
SECTION = "## Slash-command acknowledgement"
BEGIN = "<!-- figures written by `python -m benchmarks.slack_ack`: begin -->"
END = "<!-- figures written by `python -m benchmarks.slack_ack`: end -->"

SIGNING_SECRET = "benchmark-signing-secret"
TEAM, USER, CHANNEL = "T0STANDIN", "U0STANDIN1", "C0GENERAL"
EVENTS_PATH = "/slack/events"
ACK_LIMIT = 3.0
RATIO_TARGET = 1.5
REQUEST_TIMEOUT = 15.0
START_TIMEOUT = 60.0
DRAIN_TIMEOUT = 180.0


# -- the requests ------------------------------------------------------------------------


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 signature: HMAC-SHA256 over ``v0:{timestamp}:{body}``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def command_body(slack: StandInProcess, number: int) -> bytes:
    form = {
        "token": "unused",
        "team_id": TEAM,
        "team_domain": "standin",
        "channel_id": CHANNEL,
        "channel_name": "general",
        "user_id": USER,
        "user_name": "ana",
        "command": "/linkgap",
        "text": f'gap "link building {number}" https://www.example.com/page-{number}',
        "api_app_id": "A0LINKGAP",
        "response_url": slack.response_url(CHANNEL, user=USER),
        "trigger_id": slack.trigger_id(USER),
    }
    return urlencode(form).encode()


@dataclass(frozen=True)
class Sample:
    seconds: float
    status: int  # 0: no HTTP answer (connection error or timeout)


def post_signed(port: int, body: bytes) -> Sample:
    """One request on a new connection, signed now; timed from connect to the last byte."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(body, timestamp),
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request("POST", EVENTS_PATH, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return Sample(time.perf_counter() - started, response.status)
    except OSError:
        return Sample(time.perf_counter() - started, 0)
    finally:
        connection.close()


def concurrent_round(port: int, bodies: Sequence[bytes]) -> list[Sample]:
    """Send all ``bodies`` at once: one thread each, released together by a barrier."""
    barrier = threading.Barrier(len(bodies), timeout=30)

    def one(body: bytes) -> Sample:
        barrier.wait()
        return post_signed(port, body)

    with ThreadPoolExecutor(max_workers=len(bodies), thread_name_prefix="ack-client") as pool:
        futures = [pool.submit(one, body) for body in bodies]
        _done, pending = wait_futures(futures, timeout=30 + REQUEST_TIMEOUT + 15)
        for future in pending:
            future.cancel()
    if pending:
        raise RuntimeError(f"{len(pending)} requests neither finished nor timed out")
    return [future.result() for future in futures]


# -- the servers -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def bench_database(sqlite_url: str) -> Iterator[str]:
    """SQLite by default; with ``BENCH_DATABASE_URL`` (a PostgreSQL server URL), a throwaway
    database on that server, created for the run and dropped afterwards."""
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        yield sqlite_url
        return
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    name = f"linkgap_bench_{os.getpid()}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def serve_defaults() -> tuple[int, int]:
    """The ``--workers`` and ``--threads`` that ``linkgap serve`` uses when not told."""
    from bot.cli import serve

    parser = argparse.ArgumentParser()
    serve.register(parser.add_subparsers())
    args = parser.parse_args(["serve"])
    return int(args.workers), int(args.threads)


@dataclass
class Server:
    name: str
    command: list[str]
    environ: dict[str, str]
    ready_path: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [part.replace("{port}", str(self.port)) for part in self.command],
                cwd=ROOT,
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stop() ends gunicorn's workers too
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up:\n{self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", self.ready_path)
            status = connection.getresponse().status
        except OSError:
            return False
        finally:
            connection.close()
        return status == 200 if self.ready_path == "/healthz" else status < 500

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def serve_linkgap(bind: str, workers: int, threads: int) -> None:
    """The child process: what ``linkgap serve`` runs, bound to loopback."""
    from bot.config import load_settings
    from bot.slack.gunicorn_app import LinkgapGunicorn

    LinkgapGunicorn(load_settings(), bind=bind, workers=workers, threads=threads).run()


# -- the queue ---------------------------------------------------------------------------


class Queue:
    """Reads linkgap's job table, to start each round with no analysis left over."""

    def __init__(self, database_url: str) -> None:
        from bot.store.db import make_engine

        self.engine = make_engine(database_url)

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from bot.store.models import Job

        with self.engine.connect() as connection:
            rows = connection.execute(select(Job.status, func.count()).group_by(Job.status))
            return {str(status): int(count) for status, count in rows}

    def drain(self, timeout: float = DRAIN_TIMEOUT) -> float:
        """Wait until no job is queued or running; return how long that took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            counts = self.counts()
            if not counts.get("queued") and not counts.get("running"):
                return time.monotonic() - started
            time.sleep(0.25)
        raise RuntimeError(f"linkgap's job queue did not drain in {timeout:.0f} s: {self.counts()}")

    def close(self) -> None:
        self.engine.dispose()


# -- figures -----------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least ``fraction`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(samples: Sequence[Sample]) -> dict[str, Any]:
    seconds = [sample.seconds for sample in samples]
    return {
        "requests": len(samples),
        "non_200": sum(1 for sample in samples if sample.status != 200),
        "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "over_3s": sum(1 for value in seconds if value > ACK_LIMIT),
    }


def load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


# -- the run -----------------------------------------------------------------------------


def run(
    rounds: int, concurrency: int, burst: int, warmup: int, keep: Path | None = None
) -> dict[str, Any]:
    workers, threads = serve_defaults()
    load_at_start = load()
    with contextlib.ExitStack() as stack:
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for old in keep.glob("linkgap.db*"):  # a fresh database every run
                old.unlink()
            scratch = str(keep)
        else:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="linkgap-ack-"))
        slack = stack.enter_context(StandInProcess())
        database_url = stack.enter_context(bench_database(f"sqlite:///{scratch}/linkgap.db"))
        environ = {
            key: value
            for key, value in os.environ.items()
            if key not in {"SLACK_APP_TOKEN", "GUNICORN_CMD_ARGS", "PORT"}
        }
        environ.update(
            DATABASE_URL=database_url,
            LINKGAP_PROVIDER="demo",
            SLACK_API_URL=slack.api_url,
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
        )
        linkgap_bin = str(Path(sys.executable).with_name("linkgap"))
        # The Procfile's configuration: the web process answers Slack, a worker process
        # (lower CPU priority) runs the queued analyses on the same machine.
        linkgap = Server(
            "linkgap",
            [
                linkgap_bin, "serve", "--host", "127.0.0.1", "--port", "{port}", "--no-jobs",
                "--workers", str(workers), "--threads", str(threads),
            ],
            environ,
            "/healthz",
            Path(scratch) / "linkgap.log",
        )  # fmt: skip
        worker_log = (Path(scratch) / "worker.log").open("wb")
        stack.callback(worker_log.close)
        bare = Server(
            "bare",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "benchmarks.bare_bolt_app:app",
                "--bind",
                "127.0.0.1:{port}",
                "--worker-class",
                "gthread",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "30",
                "--graceful-timeout",
                "30",
                "--access-logfile",
                "-",
            ],
            environ,
            EVENTS_PATH,
            Path(scratch) / "bare.log",
        )
        queue: Queue | None = None
        numbers = iter(range(1, 10**9))

        def bodies(count: int) -> list[bytes]:
            return [command_body(slack, next(numbers)) for _ in range(count)]

        try:
            linkgap.start()
            worker = subprocess.Popen(
                [linkgap_bin, "worker"], cwd=ROOT, env=environ, stdout=worker_log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            stack.callback(_stop_process, worker)
            bare.start()
            queue = Queue(database_url)
            drained = queue.drain
            for server in (linkgap, bare):  # threads, connections, the workspace row, imports
                concurrent_round(server.port, bodies(warmup))
            drained()

            measured: dict[str, list[Sample]] = {"linkgap": [], "bare": []}
            per_round: list[dict[str, Any]] = []
            for number in range(rounds):
                order = (linkgap, bare) if number % 2 == 0 else (bare, linkgap)
                for server in order:
                    drained()
                    before = load()
                    samples = concurrent_round(server.port, bodies(concurrency))
                    measured[server.name] += samples
                    per_round.append(
                        {
                            "round": number + 1,
                            "app": server.name,
                            "load_before": before,
                            **summarise(samples),
                        }
                    )
                    print(json.dumps(per_round[-1]), file=sys.stderr)

            bursts: dict[str, dict[str, Any]] = {}
            for server in (linkgap, bare):
                drain_seconds = drained()
                before = load()
                samples = concurrent_round(server.port, bodies(burst))
                bursts[server.name] = {"load_before": before, **summarise(samples)}
                print(json.dumps({"burst": server.name, **bursts[server.name]}), file=sys.stderr)
            drain_seconds = drained()
            jobs = queue.counts()
            posted = slack.call_count("chat.postMessage")
        except BaseException:
            for server in (linkgap, bare):
                if server.log.exists():
                    print(f"--- {server.name} log (tail) ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            if queue is not None:
                queue.close()
            linkgap.stop()
            bare.stop()

    ours, base = summarise(measured["linkgap"]), summarise(measured["bare"])
    return {
        "machine": {"cores": os.cpu_count(), "cpu": _cpu(), "python": platform.python_version()},
        "load_average_at_start": load_at_start,
        "load_average_at_end": load(),
        "gunicorn": {"worker_class": "gthread", "workers": workers, "threads": threads},
        "rounds": rounds,
        "concurrency": concurrency,
        "linkgap": ours,
        "bare": base,
        "p99_ratio": round(ours["p99_ms"] / base["p99_ms"], 2),
        "p50_ratio": round(ours["p50_ms"] / base["p50_ms"], 2),
        "per_round": per_round,
        "burst": {"concurrency": burst, **bursts},
        "jobs_after": jobs,
        "chat_post_messages": posted,
        "last_drain_seconds": round(drain_seconds, 1),
        "p99_target_met": ours["p99_ms"] <= RATIO_TARGET * base["p99_ms"],
        "burst_target_met": bursts["linkgap"]["over_3s"] == 0 and bursts["linkgap"]["non_200"] == 0,
    }


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# -- the report --------------------------------------------------------------------------


def figures_markdown(result: dict[str, Any]) -> str:
    ours, base, burst = result["linkgap"], result["bare"], result["burst"]
    gun = result["gunicorn"]
    lines = [
        BEGIN,
        f"**Measured** ({result['machine']['cores']} cores, {result['machine']['cpu']}, "
        f"Python {result['machine']['python']}; gunicorn gthread, {gun['workers']} worker × "
        f"{gun['threads']} threads for both apps; {result['rounds']} rounds of "
        f"{result['concurrency']} concurrent requests per app, so "
        f"{ours['requests']} requests each; load average (1/5/15 min) "
        f"{_loadavg(result['load_average_at_start'])} at the start, "
        f"{_loadavg(result['load_average_at_end'])} at the end):",
        "",
        "| app | p50 (ms) | p99 (ms) | max (ms) | non-200 |",
        "|---|---|---|---|---|",
        f"| linkgap | {ours['p50_ms']} | {ours['p99_ms']} | {ours['max_ms']} | {ours['non_200']} |",
        f"| bare Bolt app | {base['p50_ms']} | {base['p99_ms']} | {base['max_ms']} "
        f"| {base['non_200']} |",
        f"| linkgap / bare | {result['p50_ratio']} | **{result['p99_ratio']}** | | |",
        "",
        "Per round (load average before the round):",
        "",
        "| round | app | p50 (ms) | p99 (ms) | max (ms) | load |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["per_round"]:
        lines.append(
            f"| {row['round']} | {row['app']} | {row['p50_ms']} | {row['p99_ms']} "
            f"| {row['max_ms']} | {row['load_before'][0]} |"
        )
    lines += [
        "",
        f"{burst['concurrency']} concurrent requests at once:",
        "",
        "| app | p50 (ms) | p99 (ms) | max (ms) | over 3 s | non-200 | load |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, label in (("linkgap", "linkgap"), ("bare", "bare Bolt app")):
        row = burst[name]
        lines.append(
            f"| {label} | {row['p50_ms']} | {row['p99_ms']} | {row['max_ms']} "
            f"| {row['over_3s']} | {row['non_200']} | {row['load_before'][0]} |"
        )
    jobs = ", ".join(f"{count} {status}" for status, count in sorted(result["jobs_after"].items()))
    verdict_p99 = "met" if result["p99_target_met"] else "**missed**"
    verdict_burst = "met" if result["burst_target_met"] else "**missed**"
    lines += [
        "",
        f"p99 target ({RATIO_TARGET} × bare): {verdict_p99}. "
        f"Never over 3 s at {burst['concurrency']} concurrent: {verdict_burst}. "
        f"Jobs afterwards: {jobs}; the stand-in received {result['chat_post_messages']} "
        "`chat.postMessage` calls.",
        END,
    ]
    return "\n".join(lines)


def _loadavg(values: Sequence[float]) -> str:
    return " / ".join(f"{value:.2f}" for value in values)


SECTION_INTRO = f"""{SECTION}

**Target** (DESIGN section 11): with 50 concurrent signed `/linkgap` requests
on 2 cores, the p99 time to acknowledge is at most 1.5 × that of a minimal Bolt
app that only acks, measured in the same run; no acknowledgement ever takes
more than Slack's 3 s, also at 200 concurrent requests.

**Method.** `python -m benchmarks.slack_ack` starts the local Slack stand-in,
then both apps as real gunicorn servers on loopback, with the same worker
class, worker and thread counts (`linkgap serve`'s defaults) and signing
secret: linkgap through the `LinkgapGunicorn` that `linkgap serve` runs (a
fresh SQLite file, the `demo` provider, `SLACK_API_URL` at the stand-in), and
the baseline `benchmarks/bare_bolt_app.py` (a `/linkgap` listener that only
calls `ack()`, behind Bolt's WSGI adapter) under `python -m gunicorn`. Every
request is `/linkgap gap "link building N" https://www.example.com/page-N`,
signed just before it is sent, on a new connection; its latency runs from the
connect to the last byte of the response. Requests of a round are released
together by a barrier. After a warm-up, each round sends 50 at once to one
app, then 50 to the other, the order alternating between rounds; p50/p99 are
nearest-rank over all rounds. linkgap's job workers run the queued analyses
(demo provider, messages posted to the stand-in) while its acks are being
measured, as in production; before each round the queue is left to drain, so
no round inherits another's analyses. The Slack stand-in runs in a process
of its own (`benchmarks/standin_process.py`), so the workers' Web API calls
never take the measuring client's GIL mid-round; the client, the stand-in,
both servers and linkgap's worker share the machine's two cores.
"""


def write_doc(result: dict[str, Any], path: Path = DOC) -> None:
    """Replace the figures between the markers, or append the whole section the first time."""
    text = path.read_text() if path.exists() else ""
    figures = figures_markdown(result)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + figures + tail
    else:
        text = text.rstrip("\n") + "\n\n" + SECTION_INTRO + "\n" + figures + "\n"
    path.write_text(text)


def main(argv: Sequence[str] | None = None, *, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md alone")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the database and server logs in DIR"
    )
    parser.add_argument("--serve-linkgap", metavar="HOST:PORT", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=8, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_linkgap:
        serve_linkgap(args.serve_linkgap, args.workers, args.threads)
        return 0
    result = run(args.rounds, args.concurrency, args.burst, args.warmup, args.keep)
    out(json.dumps(result, indent=2))
    if not args.no_write:
        write_doc(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
