"""Stopping the real processes tests start (serve, worker) the way an operator would."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen[bytes], grace: float = 60.0) -> None:
    """SIGTERM and wait ``grace`` seconds for a clean exit (running jobs finish), then SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
