"""Benchmark: the weekly digests of 1,000 campaigns, posted by the clock against the Slack stand-in.

DESIGN section 11 target: 1,000 digests rendered and posted within 60 s, 429
``Retry-After`` honoured. Read with Slack's pacing of about one message per
second per channel honoured: 1,000 campaigns in one channel would need 1,000 s
of pacing alone, so the campaigns are spread over 100 channels (10 each, a
floor of ~9 s of pacing). Run from the repository root:

    python -m benchmarks.digests                 # SQLite in a temp directory
    BENCH_DATABASE_URL=postgresql+psycopg://... python -m benchmarks.digests

Each campaign has 90 days of daily snapshots (150 quality domains growing to
300, a few lost along the way), an analysis with 25 prospects and 12 weeks of
earlier digests already posted. The database is seeded once; every scenario
starts from a fresh copy of it (SQLite) or a fresh schema (PostgreSQL), in a
fresh process, so its memory figures are its own. The stand-in runs in a
process of its own too (its memory of messages and files is not the clock's).

Scenarios, all with the clock's real ``DigestSender`` and ``make_client``:

- ``executor``: what the clock does at the digest hour, when every campaign's
  ``DigestTrigger`` job fires in the scheduler's ``ThreadPoolExecutor(8)``:
  8 threads calling ``Clock.fire_digest(campaign_id, now)``; with charts,
  then without (``DigestSender(charts=False)``).
- ``sync``: ``Clock.sync()`` once with a fixed ``now``, the sweep that posts
  whatever is due (after downtime, or when it runs before the jobs fire).

A 429 with ``Retry-After: 1`` is queued for ``chat.postMessage`` at the start
and after every 20th digest posted: 50 in a run of 1,000, spread over it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from typing import Any

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin: every digest is due
TIMEZONE = "Europe/Berlin"
CAMPAIGNS = 1_000
CHANNELS = 100
HISTORY_DAYS = 90
FIRST_DOMAINS, LAST_DOMAINS = 150, 300
PROSPECTS = 25
EARLIER_DIGESTS = 12
FAULT_EVERY = 20
THREADS = 8  # bot.scheduler.make_scheduler's ThreadPoolExecutor
TARGET_SECONDS = 60.0
SCENARIO_TIMEOUT = 900.0
CHECKPOINTS = (250, 500, 750, 1_000)


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _memory() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc."""
    values: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def _channel(n: int) -> str:
    return f"C{n:08d}"


# -- seeding ------------------------------------------------------------------------------


def seed(url: str, campaigns: int, channels: int) -> dict[str, Any]:
    """Workspace, campaigns, snapshot history, analyses and earlier digests, in bulk."""
    from sqlalchemy import insert

    from bot.digest.periods import DigestSchedule, period_for, previous_period
    from bot.gap.urls import normalise_url
    from bot.store.db import make_engine, make_session_factory, write_transaction
    from bot.store.migrate import upgrade
    from bot.store.models import DigestPost, RdSnapshotRow
    from bot.store.repositories.analyses import record_analysis
    from bot.store.repositories.campaigns import CampaignSpec, create_campaign
    from bot.store.repositories.workspaces import get_or_create_workspace

    started = time.monotonic()
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    schedule = DigestSchedule(0, 9, 0, TIMEZONE)
    current = period_for(NOW, schedule)
    earlier = [previous_period(current, schedule)]
    while len(earlier) < EARLIER_DIGESTS:
        earlier.append(previous_period(earlier[-1], schedule))
    today = NOW.date()
    snapshot_rows = 0
    batch = 50
    for start in range(0, campaigns, batch):
        with write_transaction(sessions) as session:
            workspace = get_or_create_workspace(session, "T0STANDIN")
            snapshots: list[dict[str, Any]] = []
            posts: list[dict[str, Any]] = []
            for n in range(start, min(start + batch, campaigns)):
                target = f"https://www.shop{n % 97}.example/guides/page-{n}"
                campaign = create_campaign(
                    session,
                    workspace.id,
                    CampaignSpec(
                        f"benchmark keyword {n}", target,
                        channel_id=_channel(n % channels), timezone=TIMEZONE,
                    ),
                    now=NOW - timedelta(days=HISTORY_DAYS + 10),
                )  # fmt: skip
                domains = [f"site{k:04d}-{n % 89}.example.com" for k in range(LAST_DOMAINS + 20)]
                for d in range(HISTORY_DAYS):
                    count = FIRST_DOMAINS + (LAST_DOMAINS - FIRST_DOMAINS) * d // (HISTORY_DAYS - 1)
                    lost = d // 9  # a domain lost every ~9 days
                    quality = domains[lost : lost + count]
                    snapshots.append({
                        "workspace_id": workspace.id, "page_key": normalise_url(target),
                        "day": today - timedelta(days=HISTORY_DAYS - 1 - d),
                        "referring_domains": count + 40, "quality_referring_domains": count,
                        "quality_domains": quality, "position": max(1, 30 - d // 4),
                        "provider": "demo", "recorded_at": NOW - timedelta(days=HISTORY_DAYS - d),
                    })  # fmt: skip
                record_analysis(
                    session, workspace.id,
                    {
                        "keyword": f"benchmark keyword {n}", "target_url": target,
                        "provider": "demo", "sample_data": True,
                        "entry_target": 340, "stretch_target": 520,
                        "entry_gap": 40, "stretch_gap": 220,
                        "prospects": [
                            {"domain": f"prospect{p}-{n % 53}.example.org",
                             "competitors_linked": 2 + p % 5, "domain_rating": 30 + p * 2,
                             "warm": p % 4 == 0}
                            for p in range(PROSPECTS)
                        ],
                    },
                    campaign_id=campaign.id, now=NOW - timedelta(days=1),
                )  # fmt: skip
                for period in earlier:
                    posts.append({
                        "campaign_id": campaign.id, "period": period.key, "status": "posted",
                        "late": False, "attempts": 1, "claimed_at": period.scheduled_at,
                        "posted_at": period.scheduled_at, "channel_id": _channel(n % channels),
                        "ts": f"{period.scheduled_at.timestamp():.6f}",
                    })  # fmt: skip
            session.execute(insert(RdSnapshotRow), snapshots)
            session.execute(insert(DigestPost), posts)
            snapshot_rows += len(snapshots)
    engine.dispose()
    return {"seconds": time.monotonic() - started, "snapshots": snapshot_rows}


# -- the Slack stand-in, in a process of its own --------------------------------------------


def standin_main(conn: Connection, channels: int, fault_every: int, deadline: float) -> None:
    """Serve the stand-in until told to stop; answer ``report`` with what it received."""
    from bot.local.standin import SlackStandIn, StandInChannel

    with SlackStandIn(
        channels=[StandInChannel(_channel(n), f"seo-{n}") for n in range(channels)]
    ) as slack:
        posted = [0]
        lock = threading.Lock()

        def on_change(change: Any) -> None:
            message = change.message or {}
            if change.kind != "posted" or "metadata" not in message:
                return
            with lock:
                posted[0] += 1
                if fault_every and posted[0] % fault_every == 0:
                    slack.fail_next("chat.postMessage", status=429, retry_after=1, times=1)

        slack.subscribe(on_change)
        if fault_every:
            slack.fail_next("chat.postMessage", status=429, retry_after=1, times=1)
        conn.send(slack.api_url)
        while time.monotonic() < deadline:
            if not conn.poll(1.0):
                continue
            command = conn.recv()
            if command == "report":
                conn.send(_standin_report(slack))
            elif command == "stop":
                break
    conn.close()


def _standin_report(slack: Any) -> dict[str, Any]:
    from bot.slack.jobs.digest import METADATA_EVENT

    digests: Counter[tuple[int, str]] = Counter()
    per_channel: dict[str, list[float]] = defaultdict(list)
    for message in slack.messages(include_ephemeral=False):
        meta = message.metadata or {}
        if meta.get("event_type") != METADATA_EVENT:
            continue
        payload = meta["event_payload"]
        digests[(int(payload["campaign_id"]), str(payload["period"]))] += 1
        per_channel[message.channel].append(float(message.ts))
    gaps = []
    for times in per_channel.values():
        ordered = sorted(times)
        gaps += [later - earlier for earlier, later in itertools.pairwise(ordered)]
    posts = slack.calls("chat.postMessage")
    first_refusal: dict[int, float] = {}
    accepted: dict[int, float] = {}
    for call in posts:
        meta = call.params.get("metadata")
        if isinstance(meta, str):
            meta = json.loads(meta)
        campaign = int(meta["event_payload"]["campaign_id"])
        if call.status == 429:
            first_refusal.setdefault(campaign, call.time)
        elif call.ok:
            accepted.setdefault(campaign, call.time)
    waits = [accepted[c] - t for c, t in first_refusal.items() if c in accepted]
    return {
        "digests": {f"{c}:{p}": n for (c, p), n in digests.items()},
        "post_calls": len(posts),
        "refused_429": sum(1 for c in posts if c.status == 429),
        "refused_campaigns": len(first_refusal),
        "refused_then_posted": len(waits),
        "retry_wait_min": min(waits, default=None),
        "retry_wait_max": max(waits, default=None),
        "channel_gap_min": min(gaps, default=None),
        "channel_gaps_under_1s": sum(1 for gap in gaps if gap < 0.9),
        "files": len(slack.files()),
        "upload_completions": len(slack.calls("files.completeUploadExternal")),
        "history_calls": len(slack.calls("conversations.history")),
        "errors": len(slack.errors),
    }


# -- one measured scenario, in a fresh process --------------------------------------------


def scenario_main(conn: Connection, url: str, api_url: str, mode: str, charts: bool) -> None:
    conn.send(run_scenario(url, api_url, mode, charts))
    conn.close()


def run_scenario(url: str, api_url: str, mode: str, charts: bool) -> dict[str, Any]:
    import resource

    from sqlalchemy import func, select

    import bot.slack.jobs.digest as digest_post
    from bot.config import load_settings
    from bot.digest.chart import render_chart
    from bot.gap.models import RdSnapshot
    from bot.local.standin import DEFAULT_BOT_TOKEN
    from bot.runtime import Runtime
    from bot.scheduler import Clock, make_scheduler
    from bot.slack.client import make_client
    from bot.store.db import transaction
    from bot.store.models import Campaign, DigestPost

    settings = load_settings({
        "DATABASE_URL": url, "SLACK_BOT_TOKEN": DEFAULT_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": "benchmark", "SLACK_API_URL": api_url,
    })  # fmt: skip
    runtime = Runtime.create(settings, migrate=False, environ={})
    # A long-running clock has matplotlib's fonts loaded; do that outside the timing.
    render_chart([RdSnapshot(NOW.date(), 1)], 1, 2, "warm-up")

    local = threading.local()
    phases: list[dict[str, float]] = []
    phases_lock = threading.Lock()

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                record = getattr(local, "record", None)
                if record is not None:
                    record[name] = record.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    # Timers around the product's own functions (they call the originals unchanged).
    for stage, function in (
        ("read", "digest_input"),
        ("assemble", "assemble_digest"),
        ("chart_render", "render_chart"),
    ):
        setattr(digest_post, function, timed(stage, getattr(digest_post, function)))

    class TimedPacer(digest_post.ChannelPacer):
        def wait(self, channel: str) -> None:
            timed("pace", super().wait)(channel)

    class TimedSender(digest_post.DigestSender):
        def weekly(self, campaign_id: int, now: datetime) -> Any:
            local.record = {}
            started = time.perf_counter()
            try:
                return super().weekly(campaign_id, now)
            finally:
                local.record["total"] = time.perf_counter() - started
                with phases_lock:
                    phases.append(local.record)
                local.record = None

        def _compose(self, *args: Any) -> Any:
            return timed("compose", super()._compose)(*args)

        def _post(self, *args: Any) -> Any:
            return timed("post", super()._post)(*args)

        def _attach_chart(self, *args: Any) -> None:
            timed("chart", super()._attach_chart)(*args)

    # As `linkgap clock` builds it: charts rendered in one process per core.
    chart_pool = digest_post.PooledCharts(processes=max(1, os.cpu_count() or 1)) if charts else None
    sender = TimedSender(
        runtime, make_client(settings), owner="benchmark-clock", pacer=TimedPacer(),
        charts=charts, chart_renderer=chart_pool,
    )  # fmt: skip
    memory: dict[str, tuple[float, float]] = {"start": _memory()}
    done = [0]
    done_lock = threading.Lock()

    class CountingClock(Clock):
        def fire_digest(self, campaign_id: int, now: datetime | None = None) -> Any:
            outcome = super().fire_digest(campaign_id, now)
            with done_lock:
                done[0] += 1
                if done[0] in CHECKPOINTS:
                    memory[f"after {done[0]}"] = _memory()
            return outcome

    scheduler = make_scheduler(blocking=False)  # never started: sync only adds its jobs
    clock = CountingClock(runtime, sender, scheduler, clock=lambda: NOW)
    with transaction(runtime.sessions) as session:
        ids = list(session.scalars(select(Campaign.id).order_by(Campaign.id)))
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    if mode == "sync":
        outcomes = clock.sync()
        timed_out = False
    else:
        with ThreadPoolExecutor(THREADS, thread_name_prefix="clock") as pool:
            futures = [pool.submit(clock.fire_digest, campaign_id, NOW) for campaign_id in ids]
            finished, pending = wait(futures, timeout=SCENARIO_TIMEOUT)
            for future in pending:
                future.cancel()
        outcomes = [f.result() for f in finished]
        timed_out = bool(pending)
    wall = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    memory["end"] = _memory()
    with transaction(runtime.sessions) as session:
        claims = dict(
            session.execute(
                select(DigestPost.status, func.count())
                .where(DigestPost.period == "2026-W49")
                .group_by(DigestPost.status)
            ).all()
        )
    if chart_pool is not None:
        chart_pool.close()
    runtime.close()
    return {
        "mode": mode, "charts": charts, "wall": wall, "timed_out": timed_out,
        "cpu": (cpu_after.ru_utime - cpu_before.ru_utime)
        + (cpu_after.ru_stime - cpu_before.ru_stime),
        "outcomes": dict(Counter(o.status for o in outcomes)), "claims": claims,
        "memory": memory, "phases": phases, "campaigns": len(ids),
    }  # fmt: skip


# -- the driver ---------------------------------------------------------------------------


def _summary(phases: list[dict[str, float]]) -> dict[str, tuple[float, float, float]]:
    """Per phase: mean, p50 and p95 in ms over the digests (0 where a digest had none)."""
    names = ["total", "compose", "read", "assemble", "post", "pace", "chart", "chart_render"]
    out = {}
    for name in names:
        values = sorted(p.get(name, 0.0) * 1000 for p in phases)
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        out[name] = (statistics.fmean(values), statistics.median(values), p95)
    out["other"] = (
        statistics.fmean(
            (p["total"] - p.get("compose", 0) - p.get("post", 0) - p.get("chart", 0)) * 1000
            for p in phases
        ),
        0.0,
        0.0,
    )
    return out


class Database:
    """A seeded template and a fresh copy per scenario (SQLite file, or PostgreSQL schema)."""

    def __init__(self, base_url: str | None, workdir: str) -> None:
        self.base_url = base_url
        self.workdir = workdir
        self.template = os.path.join(workdir, "template.db")
        self.schemas: list[str] = []

    def seed(self, campaigns: int, channels: int) -> dict[str, Any]:
        if self.base_url is None:
            return seed(f"sqlite:///{self.template}", campaigns, channels)
        return {}

    def fresh(self, campaigns: int, channels: int) -> tuple[str, dict[str, Any]]:
        if self.base_url is None:
            path = os.path.join(self.workdir, f"run-{uuid.uuid4().hex[:8]}.db")
            shutil.copyfile(self.template, path)
            return f"sqlite:///{path}", {}
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from bot.store.db import make_engine

        schema = f"lgbench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(self.base_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        self.schemas.append(schema)
        url = make_url(self.base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False)
        return rendered, seed(rendered, campaigns, channels)

    def drop(self) -> None:
        if self.base_url is None or not self.schemas:
            return
        from sqlalchemy import text

        from bot.store.db import make_engine

        admin = make_engine(self.base_url)
        with admin.begin() as connection:
            for schema in self.schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def run_one(
    context: Any, url: str, mode: str, charts: bool, channels: int, fault_every: int
) -> dict[str, Any]:
    deadline = time.monotonic() + SCENARIO_TIMEOUT + 120
    standin_conn, standin_child = context.Pipe()
    standin = context.Process(
        target=standin_main, args=(standin_child, channels, fault_every, deadline), daemon=True
    )
    standin.start()
    try:
        if not standin_conn.poll(60):
            raise RuntimeError("the Slack stand-in did not start")
        api_url = standin_conn.recv()
        load_before = _load()
        result_conn, result_child = context.Pipe()
        worker = context.Process(
            target=scenario_main, args=(result_child, url, api_url, mode, charts), daemon=False
        )
        worker.start()
        try:
            if not result_conn.poll(SCENARIO_TIMEOUT + 60):
                raise RuntimeError(f"scenario {mode} did not finish in time")
            result: dict[str, Any] = result_conn.recv()
        finally:
            worker.join(timeout=30)
            if worker.is_alive():
                worker.terminate()
                worker.join(timeout=10)
        result["load_before"], result["load_after"] = load_before, _load()
        standin_conn.send("report")
        if not standin_conn.poll(60):
            raise RuntimeError("the Slack stand-in did not report")
        result["slack"] = standin_conn.recv()
        standin_conn.send("stop")
    finally:
        standin.join(timeout=30)
        if standin.is_alive():
            standin.terminate()
            standin.join(timeout=10)
    return result


def check(result: dict[str, Any]) -> list[str]:
    """What must hold; an empty list when it all does."""
    slack = result["slack"]
    campaigns = result["campaigns"]
    problems = []
    digests = slack["digests"]
    this_week = {k: n for k, n in digests.items() if k.endswith(":2026-W49")}
    if len(this_week) != campaigns or any(n != 1 for n in this_week.values()):
        problems.append(
            f"{len(this_week)} campaigns got this week's digest, "
            f"{sum(1 for n in this_week.values() if n > 1)} more than once (want {campaigns}, once)"
        )
    if len(digests) != len(this_week):
        problems.append(f"{len(digests) - len(this_week)} digests for another period")
    if slack["refused_then_posted"] != slack["refused_campaigns"]:
        problems.append("a campaign refused with 429 was not posted afterwards")
    if slack["retry_wait_min"] is not None and slack["retry_wait_min"] < 1.0:
        problems.append(f"a retry came {slack['retry_wait_min']:.2f} s after a Retry-After: 1")
    if result["claims"].get("posted") != campaigns:
        problems.append(f"digest claims: {result['claims']}")
    if result["timed_out"]:
        problems.append("timed out")
    if slack["errors"]:
        problems.append(f"the stand-in raised {slack['errors']} errors")
    if result["wall"] > TARGET_SECONDS:
        problems.append(f"{result['wall']:.1f} s, over the {TARGET_SECONDS:.0f} s target")
    return problems


def report(result: dict[str, Any]) -> None:
    slack = result["slack"]
    name = f"{result['mode']}, charts {'on' if result['charts'] else 'off'}"
    verdict = "within" if result["wall"] <= TARGET_SECONDS else "OVER"
    print(
        f"\n== {name}: {result['wall']:.1f} s wall ({verdict} {TARGET_SECONDS:.0f} s), "
        f"CPU {result['cpu']:.1f} s, load {result['load_before']} -> {result['load_after']}"
    )
    print(f"   outcomes {result['outcomes']}; claims {result['claims']}")
    this_week = sum(1 for k in slack["digests"] if k.endswith(":2026-W49"))
    print(
        f"   stand-in: {this_week} distinct digests, {sum(slack['digests'].values())} messages; "
        f"{slack['post_calls']} chat.postMessage calls, {slack['refused_429']} answered 429, "
        f"{slack['refused_campaigns']} campaigns refused, {slack['refused_then_posted']} of them "
        f"posted on retry "
        f"(wait {slack['retry_wait_min'] or 0:.2f}-{slack['retry_wait_max'] or 0:.2f} s); "
        f"{slack['files']} charts; {slack['channel_gaps_under_1s']} consecutive digests in one "
        f"channel under 0.9 s apart (min {slack['channel_gap_min'] or 0:.2f} s)"
    )
    memory = "; ".join(
        f"{k} {rss:.0f} (peak {hwm:.0f})" for k, (rss, hwm) in result["memory"].items()
    )
    print(f"   RSS MB: {memory}")
    summary = _summary(result["phases"])
    print(
        "   per digest ms (mean / p50 / p95): "
        + "; ".join(
            f"{k} {m:.1f}/{p:.1f}/{q:.1f}" if k != "other" else f"other {m:.1f}"
            for k, (m, p, q) in summary.items()
        )
    )
    problems = check(result)
    print("   checks: all hold" if not problems else "   TARGET MISSED: " + "; ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=CAMPAIGNS)
    parser.add_argument("--channels", type=int, default=CHANNELS)
    parser.add_argument("--scenarios", default="executor-charts,executor-nocharts,sync-charts")
    parser.add_argument("--fault-every", type=int, default=FAULT_EVERY)
    parser.add_argument("--json", help="also write the raw results (with per-digest timings) here")
    args = parser.parse_args(argv)
    context = multiprocessing.get_context("spawn")
    base_url = os.environ.get("BENCH_DATABASE_URL") or None
    print(
        f"{args.campaigns} campaigns over {args.channels} channels, {HISTORY_DAYS} days of "
        f"snapshots ({FIRST_DOMAINS}->{LAST_DOMAINS} quality domains), {PROSPECTS} prospects; "
        f"a 429 (Retry-After: 1) at the start and after every {args.fault_every}th digest; "
        f"database {'PostgreSQL' if base_url else 'SQLite'}; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}; load {_load()}"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="linkgap-digests-") as workdir:
        database = Database(base_url, workdir)
        try:
            seeded = database.seed(args.campaigns, args.channels)
            if seeded:
                print(
                    f"seeded {seeded['snapshots']} snapshots in {seeded['seconds']:.1f} s "
                    f"({os.path.getsize(database.template) / 1e6:.0f} MB)"
                )
            for scenario in args.scenarios.split(","):
                mode, _, chart = scenario.partition("-")
                url, seeded = database.fresh(args.campaigns, args.channels)
                if seeded:
                    print(f"seeded {seeded['snapshots']} snapshots in {seeded['seconds']:.1f} s")
                result = run_one(
                    context, url, mode, chart != "nocharts", args.channels, args.fault_every
                )
                report(result)
                results.append(result)
                if base_url is None:
                    os.remove(url.removeprefix("sqlite:///"))
        finally:
            database.drop()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out)
    return 0 if all(not check(r) for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
