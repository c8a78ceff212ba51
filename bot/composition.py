"""The composition root: the one place that builds a process's runtime and wires its parts.

Every process (``linkgap serve`` and its gunicorn workers, ``linkgap worker``,
``linkgap clock``, ``linkgap digest --due``, the local shell) gets its
``Runtime``, Bolt app, job workers, digest sender and clock from here, so the
wiring — which Slack client posts for which workspace, which notifier the
clock tells — is written once. It sits above Slack and the clock and imports
both; nothing below imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App

from bot.config import Settings
from bot.jobs.worker import default_worker_id
from bot.runtime import Runtime
from bot.scheduler import Clock
from bot.slack.app import build_app, start_workers
from bot.slack.jobs.digest import ChartRenderer, DigestSender
from bot.slack.listeners.oauth import client_for_workspace
from bot.slack.server import make_wsgi_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


def slack_process(
    settings: Settings,
    *,
    migrate: bool = True,
    environ: Mapping[str, str] | None = None,
    jobs: bool = False,
) -> tuple[Runtime, App]:
    """The runtime and Bolt app of a process that answers Slack; ``jobs`` also runs the queue."""
    runtime = Runtime.create(settings, migrate=migrate, environ=environ)
    app = build_app(runtime)
    if jobs:
        start_workers(runtime)
    return runtime, app


def slack_wsgi(settings: Settings) -> WSGIApplication:
    """A gunicorn worker's WSGI app (the database was migrated before the fork)."""
    runtime, app = slack_process(settings, migrate=False)
    return make_wsgi_app(runtime, app)


def job_process(settings: Settings, *, threads: int | None = None) -> Runtime:
    """The runtime of a ``linkgap worker``: the job queue running on ``threads`` threads."""
    runtime = Runtime.create(settings)
    if threads is not None:
        runtime.max_workers = max(1, threads)
    start_workers(runtime)
    return runtime


def digest_sender(runtime: Runtime, *, chart_renderer: ChartRenderer | None = None) -> DigestSender:
    """Posts digests (and the clock's placement notes) with each workspace's own client."""
    return DigestSender(
        runtime,
        owner=default_worker_id(),
        chart_renderer=chart_renderer,
        clients=lambda workspace_id: client_for_workspace(runtime, workspace_id),
    )


def digest_process(settings: Settings) -> DigestSender:
    """A one-off ``linkgap digest --due``: the sender, with its runtime (``sender.runtime``)."""
    return digest_sender(Runtime.create(settings))


def clock_process(
    settings: Settings, scheduler: BaseScheduler, *, chart_renderer: ChartRenderer | None = None
) -> Clock:
    """The clock, telling the team through Slack (``DigestSender`` is its notifier)."""
    runtime = Runtime.create(settings)
    return Clock(runtime, digest_sender(runtime, chart_renderer=chart_renderer), scheduler)
