"""The worker side of a decision note another delivery may have been posting.

Slack delivers a reaction event again when the first delivery has not answered
within 3 seconds, and that first delivery may still be running: about to post
"Placement 3 approved by @ben", or waiting for Slack's answer. A retry that
finds the note begun moments ago cannot tell a live delivery from a dead one,
and searching the thread right then may find nothing yet. So it queues this
job instead, due once the window has passed: by then the note is either
settled (nothing to do) or left by a delivery that died, and the ordinary
repair looks in the thread before posting it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.runtime import Runtime
from bot.services.approvals import approval_target
from bot.slack.jobs.placement_updates import repair_decision
from bot.slack.listeners.oauth import client_for_workspace
from bot.store.repositories import ClaimedJob, enqueue_job

KIND = "approval_repair"
#: How long a delivery that began a note is presumed alive: Slack's first retry comes
#: after 3 s, and a delivery's Web API calls time out well within this.
NOTE_IN_FLIGHT = timedelta(seconds=30)


def queue_approval_repair(session: Session, workspace_id: int, channel: str, ts: str) -> int:
    """Queue the repair of the approval message at ``channel``/``ts``, due after the window."""
    return enqueue_job(
        session, workspace_id, KIND, {"channel": channel, "ts": ts}, delay=NOTE_IN_FLIGHT
    )


def make_approval_repair_handler(
    runtime: Runtime,
) -> Callable[[ClaimedJob], Mapping[str, Any] | None]:
    def handle(job: ClaimedJob) -> Mapping[str, Any] | None:
        channel, ts = str(job.payload["channel"]), str(job.payload["ts"])
        target = approval_target(runtime.sessions, job.workspace_id, channel, ts)
        if target is None:  # reopened since: the new message has its own notes
            return {"repaired": False}
        repair_decision(
            client_for_workspace(runtime, job.workspace_id), runtime, job.workspace_id, target
        )
        return {"repaired": True}

    return handle
