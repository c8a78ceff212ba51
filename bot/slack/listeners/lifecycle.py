"""Slack's app lifecycle events, answered in every mode: uninstalls, revoked tokens, rate limits.

``app_uninstalled`` and ``tokens_revoked`` (when a bot token is among the
revoked) disable the workspace (``bot.services.workspace_lifecycle``): its
queued jobs are cancelled and the clock skips its digests and refreshes. In
OAuth mode the stored tokens are forgotten too, by Bolt's own revocation
handlers; with a single ``SLACK_BOT_TOKEN`` the token lives in the
environment, and the disabled mark is what stops its use. ``app_rate_limited``
(Slack is dropping events for the workspace) holds the workspace's queued
jobs back for the minute Slack named and one more. Each is logged in one line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.listener.builtins import TokenRevocationListeners

from bot.runtime import Runtime
from bot.services.workspace_lifecycle import (
    TOKENS_REVOKED,
    UNINSTALLED,
    back_off,
    disable,
    rate_limited_until,
)
from bot.slack.listeners.middleware import forget_workspace
from bot.store.types import utc_now

log = logging.getLogger(__name__)


def _disable(runtime: Runtime, context: BoltContext, reason: str, tokens: str) -> None:
    team = context.team_id or context.enterprise_id or "an unknown team"
    workspace_id = context.get("workspace_id")
    if workspace_id is None:
        log.warning("Slack sent %s for %s, a workspace linkgap has no data for", reason, team)
        return
    done = disable(runtime.sessions, int(workspace_id), reason, utc_now())
    forget_workspace(runtime, int(workspace_id))
    log.warning(
        "workspace %s (%s) disabled by %s%s: %d queued jobs cancelled, digests and daily "
        "refreshes of %d campaigns paused, %s",
        workspace_id,
        team,
        reason,
        "" if done.newly else " (already disabled)",
        done.jobs_cancelled,
        done.campaigns_paused,
        tokens,
    )


def register(app: App, runtime: Runtime) -> None:
    store = app.installation_store
    revocation = TokenRevocationListeners(store) if store is not None else None
    forgotten = "stored tokens forgotten" if revocation else "SLACK_BOT_TOKEN no longer used"

    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        if revocation is not None:
            revocation.handle_app_uninstalled_events(context)
        _disable(runtime, context, UNINSTALLED, forgotten)

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        if revocation is not None:
            revocation.handle_tokens_revoked_events(event, context)
        tokens = event.get("tokens")
        if isinstance(tokens, dict) and tokens.get("bot"):
            _disable(runtime, context, TOKENS_REVOKED, forgotten)
        else:
            log.info("Slack revoked user tokens only in %s: nothing to disable", context.team_id)

    @app.middleware
    def app_rate_limited(
        body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        """Not an ``event_callback``, so no event listener sees it: answered here."""
        if body.get("type") != "app_rate_limited":
            next()
            return None
        workspace_id = context.get("workspace_id")
        until = rate_limited_until(body.get("minute_rate_limited"), utc_now())
        held = 0 if workspace_id is None else back_off(runtime.sessions, int(workspace_id), until)
        log.warning(
            "Slack is rate-limiting events for %s (app_rate_limited, minute %s): "
            "%d queued jobs held until %s",
            body.get("team_id"),
            body.get("minute_rate_limited"),
            held,
            f"{until:%H:%M:%S} UTC",
        )
        return BoltResponse(status=200, body="")
