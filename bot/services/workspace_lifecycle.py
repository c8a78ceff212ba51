"""What happens to a workspace when Slack takes the app away from it, or throttles it.

Slack tells the app with events: ``app_uninstalled``, ``tokens_revoked`` (a
bot token among the revoked ones) and ``app_rate_limited``. The first two
disable the workspace in one transaction: the mark on its row (read by the
clock, so no digest or daily refresh runs for it, and by the job clients, so
no job can post for it) and its queued jobs cancelled. A workspace that
installs or uses the app again is enabled, its campaigns resuming where they
were: nothing of its data is deleted by an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import write_transaction
from bot.store.models import Campaign
from bot.store.repositories import cancel_queued_jobs, disable_workspace, hold_queued_jobs

#: The reasons a workspace is disabled: the Slack events that say so.
UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
#: What a cancelled job tells whoever looks at it.
CANCELLED = (
    "linkgap was removed from this Slack workspace, so this task was cancelled; "
    "reinstall linkgap and run it again."
)
#: Slack counts the Events API limit per minute: wait out the minute it named, and one more.
RATE_LIMIT_PAUSE = timedelta(minutes=1)


@dataclass(frozen=True)
class Disabled:
    """What disabling a workspace stopped: for the log line an operator reads."""

    newly: bool
    jobs_cancelled: int
    campaigns_paused: int


def disable(
    sessions: sessionmaker[Session], workspace_id: int, reason: str, now: datetime
) -> Disabled:
    """Disable the workspace and cancel its queued jobs, in one transaction."""
    with write_transaction(sessions) as session:
        newly = disable_workspace(session, workspace_id, reason, now)
        cancelled = cancel_queued_jobs(session, workspace_id, CANCELLED, now)
        campaigns = session.scalar(
            select(func.count())
            .select_from(Campaign)
            .where(Campaign.workspace_id == workspace_id, Campaign.archived_at.is_(None))
        )
    return Disabled(newly, cancelled, int(campaigns or 0))


def rate_limited_until(minute_rate_limited: object, now: datetime) -> datetime:
    """When to resume: the end of the minute Slack named plus one, never earlier than a minute."""
    try:
        named = datetime.fromtimestamp(float(str(minute_rate_limited)), now.tzinfo)
    except (TypeError, ValueError, OverflowError, OSError):
        named = now
    return max(named + 2 * RATE_LIMIT_PAUSE, now + RATE_LIMIT_PAUSE)


def back_off(sessions: sessionmaker[Session], workspace_id: int, until: datetime) -> int:
    """Hold the workspace's queued jobs until ``until``; how many were held."""
    with write_transaction(sessions) as session:
        return hold_queued_jobs(session, workspace_id, until)
