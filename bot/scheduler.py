"""The clock: one APScheduler 3 process that posts digests and refreshes campaign data.

Campaigns in the database are the source of truth. Every minute ``sync``
rebuilds the per-campaign jobs from them (stable ids, ``replace_existing``),
so new, changed and deleted campaigns are picked up within a minute, and
sweeps every campaign for a digest that is due and not yet posted — that is
how a digest missed during downtime, or one whose post failed, goes out (once,
late). The job store is in memory and never shared between schedulers (the
APScheduler FAQ's rule); exactly-once does not rest on it but on the digest
claims in the database, so a second clock or a restart cannot double a post.

The clock knows nothing of Slack: it tells the team through a ``Notifier``
(a protocol it owns), which the Slack jobs implement (``DigestSender``) and
the ``linkgap clock`` command hands in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor as SchedulerThreadPool
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from bot.digest.models import DigestOutcome
from bot.digest.periods import DigestSchedule
from bot.digest.trigger import DigestTrigger
from bot.errors import LinkgapError
from bot.runtime import Runtime
from bot.services.campaign_refresh import CampaignRefresh, refresh_campaign
from bot.services.search_console import default_client_factory, refresh_metrics
from bot.store.db import transaction
from bot.store.models import Campaign, Workspace
from bot.store.repositories import (
    purge_expired_cache,
    purge_expired_crawls,
    purge_processed_events,
    purge_settled_effects,
)
from bot.store.types import utc_now

log = logging.getLogger(__name__)

SYNC_EVERY = timedelta(minutes=1)
#: Digests posted at once (each channel still gets ~1 message a second).
SWEEP_THREADS = 8
#: A digest or refresh missed by up to this much (the clock was down) still runs.
MISFIRE_GRACE = timedelta(hours=6)
#: Local hour of the daily data refresh (spread over the hour by campaign id).
REFRESH_HOUR = 6
JOB_DEFAULTS = {
    "coalesce": True,
    "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
    "max_instances": 1,
}


def make_scheduler(blocking: bool = True) -> BaseScheduler:
    from apscheduler.schedulers.background import BackgroundScheduler

    kind = BlockingScheduler if blocking else BackgroundScheduler
    return kind(
        timezone=UTC,
        job_defaults=JOB_DEFAULTS,
        executors={"default": SchedulerThreadPool(SWEEP_THREADS)},
    )


Signature = tuple[int, int, int, str]


class Notifier(Protocol):
    """How the clock tells a team what happened (in Slack: ``DigestSender``)."""

    def weekly(self, campaign_id: int, now: datetime) -> DigestOutcome:
        """Post the campaign's weekly digest if one is due and not yet posted."""
        ...

    def placement_moved(self, workspace_id: int, placement_id: int, note: str) -> None:
        """Say that the refresh moved a placement (live or lost), with ``note`` as the reason."""
        ...


class Clock:
    def __init__(
        self,
        runtime: Runtime,
        notifier: Notifier,
        scheduler: BaseScheduler,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.runtime = runtime
        self.notifier = notifier
        self.scheduler = scheduler
        self.clock = clock
        self._signatures: dict[int, Signature] = {}

    def install(self) -> None:
        """The housekeeping jobs; ``sync`` runs at once and then every minute."""
        self.scheduler.add_job(
            self.sync, "interval", seconds=int(SYNC_EVERY.total_seconds()),
            id="sync-campaigns", replace_existing=True, next_run_time=self.clock(),
        )  # fmt: skip
        self.scheduler.add_job(
            self.housekeeping, CronTrigger(hour=4, minute=17, timezone=UTC),
            id="housekeeping", replace_existing=True,
        )  # fmt: skip

    def sync(self) -> list[DigestOutcome]:
        """Rebuild the per-campaign jobs from the database, then post whatever is due."""
        with transaction(self.runtime.sessions) as session:
            rows = session.execute(
                select(
                    Campaign.id, Campaign.digest_weekday, Campaign.digest_hour,
                    Campaign.digest_minute, Campaign.timezone,
                )
                .join(Workspace, Workspace.id == Campaign.workspace_id)
                # A workspace Slack took the app away from gets no digest or refresh.
                .where(Campaign.archived_at.is_(None), Workspace.disabled_at.is_(None))
            ).all()  # fmt: skip
        current = {row.id: (row[1], row[2], row[3], row[4]) for row in rows}
        for campaign_id in set(self._signatures) - set(current):
            self._remove(campaign_id)
        for campaign_id, signature in current.items():
            if self._signatures.get(campaign_id) != signature:
                self._schedule(campaign_id, signature)
        now = self.clock()
        # Digests for different campaigns are independent: post them side by side, so one
        # channel's rate-limit wait or a slow chart does not hold up the rest.
        with ThreadPoolExecutor(max_workers=SWEEP_THREADS) as pool:
            outcomes = list(pool.map(lambda cid: self.fire_digest(cid, now), sorted(current)))
        posted = [o for o in outcomes if o.status in {"posted", "recovered"}]
        if posted:
            log.info("sync: %d digests posted or recovered", len(posted))
        return outcomes

    def _schedule(self, campaign_id: int, signature: Signature) -> None:
        weekday, hour, minute, timezone = signature
        self.scheduler.add_job(
            self.fire_digest, DigestTrigger(DigestSchedule(weekday, hour, minute, timezone)),
            args=[campaign_id], id=f"digest:{campaign_id}", replace_existing=True,
        )  # fmt: skip
        self.scheduler.add_job(
            self.refresh,
            CronTrigger(hour=REFRESH_HOUR, minute=campaign_id % 60, timezone=ZoneInfo(timezone)),
            args=[campaign_id], id=f"refresh:{campaign_id}", replace_existing=True,
        )  # fmt: skip
        self._signatures[campaign_id] = signature

    def _remove(self, campaign_id: int) -> None:
        for job_id in (f"digest:{campaign_id}", f"refresh:{campaign_id}"):
            if self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)
        self._signatures.pop(campaign_id, None)

    def fire_digest(self, campaign_id: int, now: datetime | None = None) -> DigestOutcome:
        try:
            return self.notifier.weekly(campaign_id, now or self.clock())
        except Exception:
            log.exception("campaign %s: the digest failed; the next sync retries it", campaign_id)
            return DigestOutcome(campaign_id, "failed")

    def refresh(self, campaign_id: int) -> None:
        """The daily refresh: referring domains and position, then Search Console if connected.

        Each part fails on its own, so a Search Console outage never skips the
        referring-domain snapshot (or the other way round).
        """
        try:
            refreshed = refresh_campaign(
                self.runtime.sessions,
                campaign_id,
                default_provider=self.runtime.settings.linkgap_provider,
                environ=self.runtime.environ,
                fetcher_factory=self.runtime.fetcher_factory,
                site_fetcher=lambda sample, request: self.runtime.page_fetcher(
                    sample, lambda: [request.target_url], lambda: [request.keyword]
                ),
                crawl_max_pages=self.runtime.settings.linkgap_crawl_max_pages,
            )
        except Exception:
            log.exception("campaign %s: the daily refresh failed", campaign_id)
        else:
            if refreshed is not None:
                self._announce_placements(refreshed)
        try:
            refresh_metrics(
                self.runtime.sessions, campaign_id, default_client_factory, self.clock().date()
            )
        except LinkgapError as error:
            log.warning(
                "campaign %s: Search Console refresh failed: %s", campaign_id, error.message
            )
        except Exception:
            log.exception("campaign %s: Search Console refresh failed", campaign_id)

    def _announce_placements(self, refreshed: CampaignRefresh) -> None:
        """Update the approval message of each placement the refresh moved, with a thread note."""
        notes = {
            **dict.fromkeys(refreshed.placements.live, "Live: the provider now sees this site "
                            "linking to the target page."),
            **dict.fromkeys(refreshed.placements.lost, "Lost: the provider no longer sees the "
                            "link, and the page has no link to the target any more."),
        }  # fmt: skip
        for placement_id, note in notes.items():
            try:
                self.notifier.placement_moved(refreshed.workspace_id, placement_id, note)
            except Exception:
                log.exception("placement %s: could not update its approval message", placement_id)

    def housekeeping(self) -> None:
        now = self.clock()
        with transaction(self.runtime.sessions) as session:
            purge_expired_cache(session, now)
            purge_expired_crawls(session, now)
            purge_processed_events(session, now)
            purge_settled_effects(session, now)
