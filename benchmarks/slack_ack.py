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
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.ack_processes import (
    ROOT,
    Queue,
    Server,
    bench_database,
    serve_defaults,
    serve_linkgap,
    stop_process,
)
from benchmarks.ack_report import (
    RATIO_TARGET,
    Sample,
    cpu_name,
    load,
    summarise,
    write_doc,
)
from benchmarks.standin_process import StandInProcess

SIGNING_SECRET = "benchmark-signing-secret"
TEAM, USER, CHANNEL = "T0STANDIN", "U0STANDIN1", "C0GENERAL"
EVENTS_PATH = "/slack/events"
REQUEST_TIMEOUT = 15.0


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


# -- the run -----------------------------------------------------------------------------


#: The two ways to run linkgap, and the flags of ``linkgap serve`` for each.
MODES = {
    # The single-command install: serve starts its own job worker (a child process).
    "default": (),
    # The Procfile: the web answers Slack, a `linkgap worker` process runs the analyses.
    "procfile": ("--no-jobs",),
}


def run(
    rounds: int, concurrency: int, burst: int, warmup: int, keep: Path | None = None
) -> dict[str, Any]:
    workers, threads = serve_defaults()
    load_at_start = load()
    with contextlib.ExitStack() as stack:
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for old in keep.glob("*.db*"):  # fresh databases every run
                old.unlink()
            scratch = str(keep)
        else:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="linkgap-ack-"))
        slack = stack.enter_context(StandInProcess())
        base_environ = {
            key: value
            for key, value in os.environ.items()
            if key not in {"SLACK_APP_TOKEN", "GUNICORN_CMD_ARGS", "PORT"}
        }
        base_environ.update(
            LINKGAP_PROVIDER="demo",
            SLACK_API_URL=slack.api_url,
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
        )
        linkgap_bin = str(Path(sys.executable).with_name("linkgap"))
        servers: dict[str, Server] = {}
        environs: dict[str, dict[str, str]] = {}
        for mode, options in MODES.items():
            # Each mode its own database, so one mode's worker never runs the other's jobs.
            url = stack.enter_context(bench_database(f"sqlite:///{scratch}/{mode}.db", mode))
            environs[mode] = {**base_environ, "DATABASE_URL": url}
            servers[mode] = Server(
                mode,
                [
                    linkgap_bin, "serve", "--host", "127.0.0.1", "--port", "{port}",
                    "--workers", str(workers), "--threads", str(threads), *options,
                ],
                environs[mode],
                "/healthz",
                Path(scratch) / f"{mode}.log",
            )  # fmt: skip
        worker_log = (Path(scratch) / "worker.log").open("wb")
        stack.callback(worker_log.close)
        servers["bare"] = Server(
            "bare",
            [
                sys.executable, "-m", "gunicorn", "benchmarks.bare_bolt_app:app",
                "--bind", "127.0.0.1:{port}", "--worker-class", "gthread",
                "--workers", str(workers), "--threads", str(threads),
                "--timeout", "30", "--graceful-timeout", "30", "--access-logfile", "-",
            ],
            {**base_environ, "DATABASE_URL": environs["default"]["DATABASE_URL"]},
            EVENTS_PATH,
            Path(scratch) / "bare.log",
        )  # fmt: skip
        queues: list[Queue] = []
        numbers = iter(range(1, 10**9))

        def bodies(count: int) -> list[bytes]:
            return [command_body(slack, next(numbers)) for _ in range(count)]

        def drained() -> float:
            return sum(queue.drain() for queue in queues)

        try:
            for server in servers.values():
                server.start()
            worker = subprocess.Popen(
                [linkgap_bin, "worker"], cwd=ROOT, env=environs["procfile"], stdout=worker_log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            stack.callback(stop_process, worker)
            queues = [Queue(environs[mode]["DATABASE_URL"]) for mode in MODES]
            for server in servers.values():  # threads, connections, the workspace row, imports
                concurrent_round(server.port, bodies(warmup))
            drained()

            measured: dict[str, list[Sample]] = {name: [] for name in servers}
            per_round: list[dict[str, Any]] = []
            names = list(servers)
            for number in range(rounds):
                # Rotate which app goes first, so none always follows the same neighbour.
                order = names[number % len(names) :] + names[: number % len(names)]
                for name in order:
                    drained()
                    before = load()
                    samples = concurrent_round(servers[name].port, bodies(concurrency))
                    measured[name] += samples
                    per_round.append(
                        {"round": number + 1, "app": name, "load_before": before,
                         **summarise(samples)}
                    )  # fmt: skip
                    print(json.dumps(per_round[-1]), file=sys.stderr)

            bursts: dict[str, dict[str, Any]] = {}
            for name, server in servers.items():
                drained()
                before = load()
                samples = concurrent_round(server.port, bodies(burst))
                bursts[name] = {"load_before": before, **summarise(samples)}
                print(json.dumps({"burst": name, **bursts[name]}), file=sys.stderr)
            drain_seconds = drained()
            jobs = {mode: queue.counts() for mode, queue in zip(MODES, queues, strict=True)}
            posted = slack.call_count("chat.postMessage")
        except BaseException:
            for server in servers.values():
                if server.log.exists():
                    print(f"--- {server.name} log (tail) ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            for queue in queues:
                queue.close()
            for server in servers.values():
                server.stop()

    summaries = {name: summarise(samples) for name, samples in measured.items()}
    base = summaries["bare"]
    checks = []
    for mode in MODES:
        ours = summaries[mode]
        checks.append(
            {
                "mode": mode,
                "p99_ratio": round(ours["p99_ms"] / base["p99_ms"], 2),
                "p50_ratio": round(ours["p50_ms"] / base["p50_ms"], 2),
                "p99_target_met": ours["p99_ms"] <= RATIO_TARGET * base["p99_ms"],
                "acks_target_met": ours["over_3s"] == 0
                and ours["non_200"] == 0
                and bursts[mode]["over_3s"] == 0
                and bursts[mode]["non_200"] == 0,
            }
        )
    return {
        "machine": {
            "cores": os.cpu_count(),
            "cpu": cpu_name(),
            "python": platform.python_version(),
        },
        "load_average_at_start": load_at_start,
        "load_average_at_end": load(),
        "gunicorn": {"worker_class": "gthread", "workers": workers, "threads": threads},
        "rounds": rounds,
        "concurrency": concurrency,
        "apps": summaries,
        "checks": checks,
        "per_round": per_round,
        "burst": {"concurrency": burst, **bursts},
        "jobs_after": jobs,
        "chat_post_messages": posted,
        "last_drain_seconds": round(drain_seconds, 1),
    }


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
    problems = missed(result)
    for problem in problems:
        out(f"TARGET MISSED: {problem}")
    return 1 if problems else 0


def missed(result: dict[str, Any]) -> list[str]:
    """The targets ``result`` misses, per mode: the p99 ratio to the bare app, no ack over 3 s."""
    problems = []
    for check in result["checks"]:
        if not check["p99_target_met"]:
            problems.append(
                f"{check['mode']} mode: p99 {check['p99_ratio']} x the bare Bolt app's "
                f"(target {RATIO_TARGET} x)"
            )
        if not check["acks_target_met"]:
            problems.append(f"{check['mode']} mode: an ack over 3 s (or not 200)")
    return problems


if __name__ == "__main__":
    sys.exit(main())
