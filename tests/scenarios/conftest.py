"""Fixtures the clock scenarios share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import JOB_DEFAULTS


@pytest.fixture
def scheduler() -> Iterator[BackgroundScheduler]:
    """Started but paused: jobs land in the job store (replace_existing applies), never run."""
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults=JOB_DEFAULTS)
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)
