"""``linkgap worker``: the process that runs the slow work Slack requests queue.

Analyses, vettings, live-link checks and on-demand digests are CPU and
network heavy; running them in the web process would make every ack wait
behind them (one Python interpreter, one GIL). In production they run here,
in their own process, at a lower CPU priority than the web process, claiming
jobs from the shared database (``serve --no-jobs`` for the web). A job whose
worker died is taken over by another once its lease runs out.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import Any

from bot.cli.help import add_command

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "worker",
        summary="run the job workers (analyses, vettings, live checks, digests on demand)",
        description="Claim and run the slow work that Slack requests queue, from the shared "
        "database, at a lower CPU priority than the web process. Run one or more beside "
        "`linkgap serve --no-jobs`.",
        examples=("linkgap worker", "linkgap worker --threads 8 --nice 5"),
    )
    parser.add_argument("--threads", type=int, default=4, help="jobs run at once (default 4)")
    parser.add_argument(
        "--nice",
        type=int,
        default=10,
        help="lower CPU priority so web acks stay fast on a shared machine (default 10; 0 = none)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.priority import lower_priority
    from bot.composition import job_process
    from bot.config import load_settings

    lower_priority(args.nice)
    logging.getLogger().setLevel(logging.INFO)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    runtime = job_process(load_settings(), threads=args.threads)
    log.info("linkgap worker started with %d threads", runtime.max_workers)
    try:
        stop.wait()
    finally:
        log.info("linkgap worker stopping: finishing running jobs")
        runtime.close()
    return 0
