"""The job worker of a single-process install: ``linkgap worker`` as a child of ``linkgap serve``.

Analyses are CPU-heavy Python; run on threads inside the web process they
hold its GIL and Slack's acks queue behind them (measured: at 200
concurrent ``gap`` commands, 13–30 acks over Slack's 3 s with the jobs on 4
threads in the web process; see docs/performance.md). A child process at a
lower CPU priority leaves the web process's interpreter to the requests and
lets the kernel favour them on a busy machine. It claims jobs from the same
database as a separately started ``linkgap worker`` would; a child that dies
is started again, and it is stopped (finishing its running jobs) when serve
stops.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

#: Jobs the child runs at once (``linkgap worker``'s default).
THREADS = 4
#: How much lower the child's CPU priority is than serve's (``linkgap worker``'s default).
NICE = 10
#: Seconds between restarts of a child that keeps dying.
RESTART_DELAY = 5.0
#: Seconds a stopping child gets to finish its running jobs (the worker's own grace).
STOP_GRACE = 35.0


class JobProcess:
    """Keeps one ``linkgap worker`` child running until ``stop()``."""

    def __init__(self, *, threads: int = THREADS, nice: int = NICE) -> None:
        self.command = [
            sys.executable, "-m", "bot", "worker", "--threads", str(threads), "--nice", str(nice),
        ]  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None
        #: The process that started the child; gunicorn's forked workers must not stop it.
        self.owner = os.getpid()
        self._stopping = threading.Event()
        self._watcher = threading.Thread(
            target=self._watch, name="linkgap-job-process", daemon=True
        )

    def start(self) -> None:
        self._spawn()
        self._watcher.start()

    def _spawn(self) -> None:
        # stdout and stderr are serve's: the child's log lines sit beside the web's.
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL)
        log.info("job worker process %d started: %s", self.process.pid, " ".join(self.command[2:]))

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            if process is None or process.poll() is None:
                self._stopping.wait(1.0)
                continue
            log.warning(
                "job worker process %d exited with %s; starting another in %.0f s",
                process.pid,
                process.returncode,
                RESTART_DELAY,
            )
            if self._stopping.wait(RESTART_DELAY):
                return
            self._spawn()

    def stop(self) -> None:
        """SIGTERM the child (it finishes running jobs), SIGKILL it if it outstays its grace."""
        if os.getpid() != self.owner:
            return  # a forked copy of serve (a gunicorn worker) exiting: not its child
        self._stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            log.warning("job worker process %d did not stop; killing it", process.pid)
            process.kill()
            process.wait()


@contextmanager
def job_process(*, threads: int = THREADS, nice: int = NICE) -> Iterator[JobProcess]:
    """A child job worker for as long as the block runs (serve's single-process mode)."""
    child = JobProcess(threads=threads, nice=nice)
    child.start()
    try:
        yield child
    finally:
        child.stop()
