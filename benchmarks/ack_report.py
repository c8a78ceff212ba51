"""The figures of the ack benchmark: percentiles, summaries, and its section of performance.md."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.ack_processes import ROOT

DOC = ROOT / "docs" / "performance.md"
SECTION = "## Slash-command acknowledgement"
BEGIN = "<!-- figures written by `python -m benchmarks.slack_ack`: begin -->"
END = "<!-- figures written by `python -m benchmarks.slack_ack`: end -->"
ACK_LIMIT = 3.0
RATIO_TARGET = 1.5
#: How the figures name each app the benchmark runs.
LABELS = {
    "default": "linkgap, default (`serve`)",
    "procfile": "linkgap, Procfile (`serve --no-jobs` + `worker`)",
    "bare": "bare Bolt app",
}


@dataclass(frozen=True)
class Sample:
    seconds: float
    status: int  # 0: no HTTP answer (connection error or timeout)


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


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# -- the report --------------------------------------------------------------------------


def figures_markdown(result: dict[str, Any]) -> str:
    apps, burst, gun = result["apps"], result["burst"], result["gunicorn"]
    requests = apps["bare"]["requests"]
    lines = [
        BEGIN,
        f"**Measured** ({result['machine']['cores']} cores, {result['machine']['cpu']}, "
        f"Python {result['machine']['python']}; gunicorn gthread, {gun['workers']} worker × "
        f"{gun['threads']} threads for every app; {result['rounds']} rounds of "
        f"{result['concurrency']} concurrent requests per app, so {requests} requests each; "
        f"load average (1/5/15 min) {_loadavg(result['load_average_at_start'])} at the start, "
        f"{_loadavg(result['load_average_at_end'])} at the end):",
        "",
        "| app | p50 (ms) | p99 (ms) | max (ms) | over 3 s | non-200 | p50 / bare | p99 / bare |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = {check["mode"]: check for check in result["checks"]}
    for name, row in apps.items():
        check = ratios.get(name)
        p50, p99 = (check["p50_ratio"], f"**{check['p99_ratio']}**") if check else ("", "")
        lines.append(
            f"| {LABELS[name]} | {row['p50_ms']} | {row['p99_ms']} | {row['max_ms']} "
            f"| {row['over_3s']} | {row['non_200']} | {p50} | {p99} |"
        )
    lines += [
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
    for name in apps:
        row = burst[name]
        lines.append(
            f"| {LABELS[name]} | {row['p50_ms']} | {row['p99_ms']} | {row['max_ms']} "
            f"| {row['over_3s']} | {row['non_200']} | {row['load_before'][0]} |"
        )
    verdicts = []
    for check in result["checks"]:
        p99 = "met" if check["p99_target_met"] else "**missed**"
        acks = "met" if check["acks_target_met"] else "**missed**"
        verdicts.append(f"{check['mode']} mode: p99 ≤ {RATIO_TARGET} × bare {p99}, "
                        f"no ack over 3 s {acks}")  # fmt: skip
    jobs = "; ".join(
        f"{mode}: " + ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        for mode, counts in result["jobs_after"].items()
    )
    lines += [
        "",
        ". ".join(verdicts) + f". Jobs afterwards: {jobs}; the stand-in received "
        f"{result['chat_post_messages']} `chat.postMessage` calls.",
        END,
    ]
    return "\n".join(lines)


def _loadavg(values: Sequence[float]) -> str:
    return " / ".join(f"{value:.2f}" for value in values)


SECTION_INTRO = f"""{SECTION}

**Target**: with 50 concurrent signed `/linkgap` requests
on 2 cores, the p99 time to acknowledge is at most 1.5 × that of a minimal Bolt
app that only acks, measured in the same run; no acknowledgement ever takes
more than Slack's 3 s, also at 200 concurrent requests; in the default
(`linkgap serve`) and the Procfile (`serve --no-jobs` + `worker`) mode alike.

**Method.** `python -m benchmarks.slack_ack` starts the local Slack stand-in,
then three apps as real gunicorn servers on loopback, with the same worker
class, worker and thread counts (`linkgap serve`'s defaults) and signing
secret: linkgap in its **default** mode (`linkgap serve`, which runs the
analyses in a `linkgap worker` child process it starts), linkgap in the
**Procfile** mode (`linkgap serve --no-jobs` beside a separately started
`linkgap worker`), each with a fresh SQLite file of its own, the `demo`
provider and `SLACK_API_URL` at the stand-in, and the baseline
`benchmarks/bare_bolt_app.py` (a `/linkgap` listener that only calls
`ack()`, behind Bolt's WSGI adapter) under `python -m gunicorn`. Every
request is `/linkgap gap "link building N" https://www.example.com/page-N`,
signed just before it is sent, on a new connection; its latency runs from the
connect to the last byte of the response. Requests of a round are released
together by a barrier. After a warm-up, each round sends 50 at once to each
app in turn, the order rotating between rounds; p50/p99 are nearest-rank
over all rounds. linkgap's workers run the queued analyses (demo provider,
messages posted to the stand-in) while its acks are being measured, as in
production; before each round both queues are left to drain, so no round
inherits another's analyses. Then 200 requests at once go to each app. The
run exits non-zero when either mode's p99 is over 1.5 × the bare app's or any
of its acks (rounds or burst) takes over 3 s or is not a 200. The Slack
stand-in runs in a process of its own (`benchmarks/standin_process.py`), so
the workers' Web API calls never take the measuring client's GIL mid-round;
the client, the stand-in, the three servers and linkgap's workers share the
machine's two cores.

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
