"""Build the Bolt app: every listener registered in one visible list.

``build_app`` is shared by ``linkgap serve`` (HTTP or Socket Mode), the local
shell and the end-to-end tests, so all three run the very same listeners.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk.errors import SlackApiError

from bot.errors import LinkgapError
from bot.jobs.worker import Handler, JobWorker
from bot.runtime import Runtime
from bot.slack.blocks.mrkdwn import escape
from bot.slack.client import make_client, tokenless_client
from bot.slack.commands import all_subcommands
from bot.slack.commands.router import Router
from bot.slack.jobs.approval_repair import KIND as APPROVAL_REPAIR
from bot.slack.jobs.approval_repair import make_approval_repair_handler
from bot.slack.jobs.digest import make_digest_handler
from bot.slack.jobs.gap import make_gap_handler
from bot.slack.jobs.live import make_live_handler
from bot.slack.jobs.vet import make_vet_handler
from bot.slack.listeners import (
    actions,
    commands,
    events,
    fallback,
    lifecycle,
    middleware,
    oauth,
    reactions,
    views,
)

log = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router()
    for subcommand in all_subcommands():
        router.add(subcommand)
    return router


def build_app(runtime: Runtime, *, token_verification: bool = True) -> App:
    settings = runtime.settings
    if settings.slack_signing_secret is None:
        from bot.errors import ConfigError

        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page."
        )
    # OAuth mode (SLACK_CLIENT_ID/SECRET): each workspace's token from its installation.
    client = tokenless_client(settings) if settings.oauth_enabled else make_client(settings)
    options = oauth.oauth_app_options(runtime, client) if settings.oauth_enabled else {}
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=client,
        token_verification_enabled=token_verification,
        raise_error_for_unhandled_request=False,
        # Listeners only validate, write a row and answer (slow work is queued as jobs),
        # so they run in the request thread: no hand-off to Bolt's small listener pool,
        # and no polling for the ack.
        process_before_response=True,
        **options,
    )
    middleware.register(app, runtime)
    lifecycle.register(app, runtime)
    commands.register(app, runtime, build_router())
    events.register(app, runtime)
    reactions.register(app, runtime)
    actions.register(app, runtime)
    views.register(app, runtime)
    fallback.register(app)  # last: Bolt runs the first listener that matches

    @app.error
    def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> BoltResponse:
        if isinstance(error, LinkgapError):
            logger.info("request refused: %s", error.message)
            return BoltResponse(status=200, body=escape(error.message))
        if isinstance(error, SlackApiError):
            # Slack refused a Web API call (a user it does not know, a channel gone): one line.
            logger.warning(
                "a Web API call failed in a Slack listener (type=%s): %s",
                body.get("type") or body.get("command"),
                error.response.get("error") if error.response is not None else error,
            )
            return BoltResponse(status=200, body="Slack refused a call; it has been logged.")
        logger.error(
            "unhandled error in a Slack listener (type=%s, team=%s)",
            body.get("type") or body.get("command"),
            body.get("team_id") or body.get("team", {}).get("id"),
            exc_info=error,
        )
        return BoltResponse(
            status=200, body="Something went wrong on our side; it has been logged."
        )

    return app


def job_handlers(runtime: Runtime) -> dict[str, Handler]:
    """Every kind of slow work the Slack app queues, and what runs it."""
    return {
        "gap": make_gap_handler(runtime),
        "vet": make_vet_handler(runtime),
        "live": make_live_handler(runtime),
        "digest": make_digest_handler(runtime),
        APPROVAL_REPAIR: make_approval_repair_handler(runtime),
    }


def start_workers(runtime: Runtime) -> JobWorker:
    """The bounded pool that runs analyses after the ack (its own threads, not Bolt's)."""
    worker = JobWorker(
        runtime.sessions,
        job_handlers(runtime),
        max_workers=runtime.max_workers,
        lease=timedelta(seconds=runtime.settings.linkgap_job_lease_seconds),
    )
    runtime.worker = worker
    worker.start()
    return worker
