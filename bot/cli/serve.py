"""``linkgap serve``: the Slack app over HTTP on gunicorn, or over Socket Mode.

HTTP: gunicorn (threads worker) serves ``/slack/events`` and ``/healthz`` on
``$PORT``. The queued work runs in ``linkgap worker`` processes (``--no-jobs``
here, as the Procfile does) or, for a single-command install, in one
``linkgap worker`` child that serve starts at a lower CPU priority
(``bot.cli.job_process``), never on threads of the web process. Jobs are
claimed from the shared database, so any number of processes is correct on
PostgreSQL. Socket Mode is used instead when ``SLACK_APP_TOKEN`` is set (one
process, with the same child worker unless ``--no-jobs``).
"""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, Any

from bot.cli.help import add_command
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "serve",
        summary="run the Slack app (HTTP on $PORT, or Socket Mode with SLACK_APP_TOKEN)",
        description="Serve /slack/events and /healthz on gunicorn, or connect over Socket "
        "Mode when SLACK_APP_TOKEN is set. Needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN "
        "(or the OAuth client settings); see docs/slack-setup.md.",
        examples=(
            "linkgap serve --no-jobs --port 3000   # with `linkgap worker` alongside",
            "SLACK_APP_TOKEN=xapp-… linkgap serve   # Socket Mode, one process",
        ),
    )
    parser.add_argument("--host", default="0.0.0.0", help="interface to listen on (default: all)")
    parser.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    parser.add_argument(
        "--no-jobs",
        action="store_true",
        help="don't start a job worker process (run `linkgap worker` instead; recommended)",
    )
    parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="request threads per process")
    parser.set_defaults(handler=run)


def _require_slack(settings: Settings) -> None:
    """One workspace needs its bot token; several (OAuth) need the client id, secret and key."""
    if settings.oauth_enabled:
        from bot.slack.listeners.oauth import require_oauth_settings

        require_oauth_settings(settings)
        required: tuple[tuple[str, object], ...] = (
            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        )
    else:
        required = (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
        )
    missing = [name for name, value in required if value is None]
    if missing:
        raise ConfigError(
            f"{' and '.join(missing)} not set: copy them from your Slack app's settings "
            "(see docs/slack-setup.md)."
        )


def run(args: argparse.Namespace) -> int:
    from bot.config import load_settings

    settings = load_settings()
    _require_slack(settings)
    # A server's log is for its operator: refusals, uninstalls and rate limits are warnings
    # they must see, so serve logs from INFO up (as `linkgap worker` and `clock` do).
    logging.getLogger().setLevel(logging.INFO)
    if settings.slack_app_token is not None:
        return _socket_mode(settings, jobs=not args.no_jobs)
    from bot.composition import slack_wsgi
    from bot.slack.gunicorn_app import LinkgapGunicorn

    port = args.port or settings.port
    server = LinkgapGunicorn(
        settings, slack_wsgi, bind=f"{args.host}:{port}", workers=args.workers,
        threads=args.threads,
    )  # fmt: skip
    if args.no_jobs:
        server.run()
        return 0
    from bot.cli.job_process import job_process

    with job_process():  # the single-process install's jobs, in a child at lower priority
        server.run()
    return 0


def _socket_mode(settings: Settings, *, jobs: bool) -> int:
    from contextlib import nullcontext

    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.cli.job_process import job_process
    from bot.collector import freeze_startup_heap
    from bot.composition import slack_process

    runtime, app = slack_process(settings)
    freeze_startup_heap()
    try:
        with job_process() if jobs else nullcontext():
            assert settings.slack_app_token is not None
            handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
            handler.start()  # type: ignore[no-untyped-call]
    finally:
        runtime.close()
    return 0
