"""The processes of the ack benchmark: both apps' gunicorn servers and linkgap's job queue.

``Server`` starts a command in its own process group on a free loopback port
and waits until it answers; ``Queue`` reads linkgap's job table so that each
measured round starts with no analysis left over from the previous one.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
DRAIN_TIMEOUT = 600.0


# -- the servers -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def bench_database(sqlite_url: str, label: str) -> Iterator[str]:
    """SQLite by default; with ``BENCH_DATABASE_URL`` (a PostgreSQL server URL), a throwaway
    database on that server, created for the run and dropped afterwards. ``label`` tells
    apart the databases of one run (each mode has its own)."""
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        yield sqlite_url
        return
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    name = f"linkgap_bench_{os.getpid()}_{label}"
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
        if process is not None:
            stop_process(process)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process's group (gunicorn's workers too), SIGKILL if it lingers."""
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
    from bot.composition import slack_wsgi
    from bot.config import load_settings
    from bot.slack.gunicorn_app import LinkgapGunicorn

    LinkgapGunicorn(load_settings(), slack_wsgi, bind=bind, workers=workers, threads=threads).run()


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
