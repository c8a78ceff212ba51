"""Posting digests to Slack: exactly once per campaign and period, paced, with the chart.

The weekly digest is claimed (a unique campaign/period row) before anything is
posted. A claim taken over from a dead process first looks for a message that
carries this digest's metadata, posted since the dead claim: if Slack already
has it, it is recorded, not posted again. Posts are paced to about one per
second per channel, and slack_sdk's rate-limit handler honours ``Retry-After``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digest import chart
from bot.digest.assembly import assemble_digest
from bot.digest.chart import render_chart
from bot.digest.models import Digest, DigestInput, DigestOutcome
from bot.digest.periods import DigestPeriod, DigestSchedule, due_periods, period_for
from bot.gap.models import RdSnapshot
from bot.runtime import Runtime
from bot.services.approvals import ApprovalTarget
from bot.services.digest_data import digest_input
from bot.services.placements import find_placement
from bot.slack.blocks.digest import digest_blocks, digest_text
from bot.slack.effects import OnceEffects
from bot.slack.jobs.placement_updates import refresh_approval_message
from bot.slack.listeners.oauth import client_for_workspace
from bot.store.db import transaction, write_transaction
from bot.store.models import Campaign
from bot.store.repositories import (
    ClaimedJob,
    DigestClaim,
    claim_digest,
    last_posted_period,
    mark_failed,
    mark_posted,
    mark_posting,
    save_message,
)
from bot.store.types import utc_now

log = logging.getLogger(__name__)

METADATA_EVENT = "linkgap_digest"
#: Slack errors that mean the post definitely did not happen and retrying later may help.
_DEFINITE_FAILURES = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks"}
RETRY_FAILED_AFTER = timedelta(minutes=15)
#: Still rate limited after the client's own retries: nothing was posted, try again soon.
RETRY_RATE_LIMITED_AFTER = timedelta(minutes=1)


ChartRenderer = Callable[[list[RdSnapshot], int | None, int | None, str], bytes]


class PooledCharts:
    """Renders charts in worker processes: matplotlib holds the GIL for ~50 ms a chart, so a
    clock posting hundreds of digests at 09:00 would otherwise render them one at a time."""

    def __init__(self, processes: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context("spawn")
        )

    def __call__(
        self, history: list[RdSnapshot], entry: int | None, stretch: int | None, title: str
    ) -> bytes:
        # The chart module's own function: picklable by name into the worker processes.
        return self._pool.submit(chart.render_chart, history, entry, stretch, title).result(
            timeout=120
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class ChannelPacer:
    """About one message per second per channel: Slack's limit, kept before Slack says so."""

    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(channel, 0.0))
            self._next[channel] = slot + self._interval
        if slot > now:
            self._sleep(slot - now)


def schedule_of(campaign: Campaign) -> DigestSchedule:
    return DigestSchedule(
        campaign.digest_weekday, campaign.digest_hour, campaign.digest_minute, campaign.timezone
    )


class DigestSender:
    """What the clock posts to Slack: weekly digests, and the placements its refresh moved.

    It is the Slack implementation of the clock's ``Notifier`` protocol.
    """

    def __init__(
        self,
        runtime: Runtime,
        client: WebClient | None = None,
        *,
        owner: str,
        pacer: ChannelPacer | None = None,
        charts: bool = True,
        chart_renderer: ChartRenderer | None = None,
        clients: Callable[[int], WebClient] | None = None,
    ) -> None:
        """``client`` posts for every workspace (one bot token); ``clients`` picks the
        installation's client by workspace id (multi-workspace installs)."""
        if clients is None:
            if client is None:
                raise ValueError("a DigestSender needs a client or a clients resolver")
            single = client
            clients = lambda _workspace_id: single  # noqa: E731
        self.runtime = runtime
        self.clients = clients
        self.owner = owner
        self.pacer = pacer or ChannelPacer()
        self.charts = charts
        self.render = chart_renderer or render_chart

    # -- placements the daily refresh moved ------------------------------------------------

    def placement_moved(self, workspace_id: int, placement_id: int, note: str) -> None:
        """The approval message shows the new status, and ``note`` goes into its thread."""
        ref = find_placement(self.runtime.sessions, workspace_id, placement_id)
        refresh_approval_message(
            self.clients(workspace_id),
            self.runtime,
            workspace_id,
            ApprovalTarget(ref.placement_id, ref.campaign_id, ref.approvers, ref.usergroup),
            thread_note=note,
        )

    # -- the weekly digest ----------------------------------------------------------------

    def weekly(self, campaign_id: int, now: datetime) -> DigestOutcome:
        """Post the campaign's due weekly digest, if any, exactly once across all processes."""
        with transaction(self.runtime.sessions) as session:
            campaign = session.get(Campaign, campaign_id)
            if campaign is None or campaign.archived_at is not None or not campaign.channel_id:
                return DigestOutcome(campaign_id, "archived")
            last = last_posted_period(session, campaign_id)
            due = due_periods(now, schedule_of(campaign), last, since=campaign.created_at)
            workspace_id = campaign.workspace_id
        if not due:
            return DigestOutcome(campaign_id, "not-due")
        period, late = due[0].period, due[0].late
        if due[0].skipped:
            log.info(
                "campaign %s: periods %s were missed and are not posted",
                campaign_id,
                due[0].skipped,
            )
        claim = claim_digest(
            self.runtime.sessions, campaign_id, period.key, self.owner, now=now, late=late
        )
        if claim is None:
            return DigestOutcome(campaign_id, "claimed-elsewhere", period.key)
        channel = str(campaign.channel_id)
        client = self.clients(workspace_id)
        if claim.takeover and claim.previous_claimed_at is not None:
            found = self._already_posted(
                client, channel, campaign_id, period.key, claim.previous_claimed_at
            )
            if found is not None:
                # The dead process may have died before the chart: attach it (once) first.
                data, digest = self._compose(campaign_id, now, period, late)
                self._attach_chart(client, workspace_id, channel, found, data, digest)
                mark_posted(self.runtime.sessions, claim, channel_id=channel, ts=found, now=now)
                log.info(
                    "campaign %s: digest %s was already in Slack; recorded it",
                    campaign_id,
                    period.key,
                )
                return DigestOutcome(campaign_id, "recovered", period.key, late, found)
        mark_posting(self.runtime.sessions, claim, now=now)
        return self._post_claimed(
            client, claim, workspace_id, campaign_id, channel, period, late, now
        )

    def _post_claimed(
        self,
        client: WebClient,
        claim: DigestClaim,
        workspace_id: int,
        campaign_id: int,
        channel: str,
        period: DigestPeriod,
        late: bool,
        now: datetime,
    ) -> DigestOutcome:
        data, digest = self._compose(campaign_id, now, period, late)
        try:
            ts = self._post(client, channel, digest, campaign_id, period.key)
        except SlackApiError as error:
            code = str(error.response.get("error"))
            if code in _DEFINITE_FAILURES or code == "ratelimited":
                wait = RETRY_RATE_LIMITED_AFTER if code == "ratelimited" else RETRY_FAILED_AFTER
                mark_failed(self.runtime.sessions, claim, error=code, retry_at=now + wait)
                log.warning(
                    "campaign %s: digest %s not posted (%s); will retry",
                    campaign_id,
                    period.key,
                    code,
                )
                return DigestOutcome(campaign_id, "failed", period.key, late)
            raise  # outcome unknown: the claim stays "posting" and a takeover checks Slack first
        self._remember(campaign_id, channel, ts, digest)
        # Before the claim is marked posted: a process dying in between leaves the claim
        # "posting", so the takeover finds the digest and still attaches the chart, once.
        self._attach_chart(client, workspace_id, channel, ts, data, digest)
        mark_posted(self.runtime.sessions, claim, channel_id=channel, ts=ts, now=now)
        return DigestOutcome(campaign_id, "posted", period.key, late, ts)

    # -- on demand ------------------------------------------------------------------------

    def on_demand(
        self, campaign_id: int, now: datetime, channel: str, *, effect_key: str | None = None
    ) -> DigestOutcome:
        """A digest now, for ``/linkgap digest``: not claimed, so the weekly one still comes.

        With ``effect_key`` (the job's) the post and its chart are once-only
        effects: a resumed job finds them in the channel instead of posting again.
        """
        with transaction(self.runtime.sessions) as session:
            campaign = session.get(Campaign, campaign_id)
            if campaign is None:
                return DigestOutcome(campaign_id, "archived")
            period = period_for(now, schedule_of(campaign))
            workspace_id = campaign.workspace_id
        client = self.clients(workspace_id)
        data, digest = self._compose(campaign_id, now, period, False)
        if effect_key is None:
            ts = self._post(client, channel, digest, campaign_id, None)
            self._remember(campaign_id, channel, ts, digest)
            self._attach_chart(client, workspace_id, channel, ts, data, digest)
            return DigestOutcome(campaign_id, "posted", period.key, False, ts)
        once = OnceEffects(self.runtime.sessions, client, workspace_id)
        self.pacer.wait(channel)
        posted = once.post(
            f"{effect_key}:digest",
            channel=channel,
            blocks=digest_blocks(digest),
            text=digest_text(digest),
            metadata=_metadata(campaign_id, None),
        )
        self._remember(campaign_id, posted.channel, posted.ts, digest)
        png = self._chart_png(data, digest)
        if png is not None:
            _upload_chart(once, f"{effect_key}:chart", posted.channel, posted.ts, png, digest)
        status = "recovered" if posted.recovered else "posted"
        return DigestOutcome(campaign_id, status, period.key, False, posted.ts)

    # -- pieces ---------------------------------------------------------------------------

    def _compose(
        self, campaign_id: int, now: datetime, period: DigestPeriod, late: bool
    ) -> tuple[DigestInput, Digest]:
        with transaction(self.runtime.sessions) as session:
            campaign = session.get(Campaign, campaign_id)
            assert campaign is not None
            data = digest_input(session, campaign, now=now, period=period, late=late)
        return data, assemble_digest(data)

    def _post(
        self, client: WebClient, channel: str, digest: Digest, campaign_id: int, period: str | None
    ) -> str:
        self.pacer.wait(channel)
        answer = client.chat_postMessage(
            channel=channel,
            blocks=digest_blocks(digest),
            text=digest_text(digest),
            metadata=_metadata(campaign_id, period),
        )
        return str(answer["ts"])

    def _already_posted(
        self, client: WebClient, channel: str, campaign_id: int, period: str, since: datetime
    ) -> str | None:
        try:
            answer = client.conversations_history(
                channel=channel,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=200,
            )
        except SlackApiError as error:
            log.warning(
                "could not read %s to check for digest %s: %s",
                channel,
                period,
                error.response.get("error"),
            )
            return None
        messages: list[dict[str, Any]] = answer.get("messages") or []
        for message in messages:
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and payload.get("campaign_id") == campaign_id
                and payload.get("period") == period
            ):
                return str(message["ts"])
        return None

    def _remember(self, campaign_id: int, channel: str, ts: str, digest: Digest) -> None:
        with write_transaction(self.runtime.sessions) as session:
            campaign = session.get(Campaign, campaign_id)
            if campaign is None:
                return
            save_message(
                session,
                campaign.workspace_id,
                kind="digest",
                channel_id=channel,
                ts=ts,
                content={"text": digest_text(digest)},
                subject_id=campaign_id,
            )

    def _chart_png(self, data: DigestInput, digest: Digest) -> bytes | None:
        """The digest's chart, or ``None`` without charts or history (or when rendering fails)."""
        if not self.charts or not data.history:
            return None
        try:
            return self.render(
                [RdSnapshot(s.day, s.quality_referring_domains) for s in data.history],
                data.entry_target,
                data.stretch_target,
                f"Quality referring domains: {digest.keyword}",
            )
        except Exception:  # the digest is posted; a missing chart is logged, not retried
            log.exception("could not draw the chart of a %s digest", digest.keyword)
            return None

    def _attach_chart(
        self, client: WebClient, workspace_id: int, channel: str, ts: str,
        data: DigestInput, digest: Digest,
    ) -> None:  # fmt: skip
        """The chart in the digest's thread, a once-only effect keyed by the digest message."""
        png = self._chart_png(data, digest)
        if png is None:
            return
        once = OnceEffects(self.runtime.sessions, client, workspace_id)
        try:
            _upload_chart(once, f"digest:{channel}:{ts}:chart", channel, ts, png, digest)
        except Exception:  # the digest is posted; a missing chart is logged, not retried
            log.exception("could not attach the chart to digest %s", ts)


def _upload_chart(
    once: OnceEffects, key: str, channel: str, ts: str, png: bytes, digest: Digest
) -> None:
    once.upload(
        key,
        channel=channel,
        thread_ts=ts,
        content=png,
        filename=f"linkgap-digest-{digest.period.key}.png",
        title=f"Quality referring domains, {digest.period.key}",
    )


def _metadata(campaign_id: int, period: str | None) -> dict[str, Any]:
    """The digest's message metadata: a takeover of a dead weekly claim looks for it."""
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"campaign_id": campaign_id, "period": period or "on-demand"},
    }


def make_digest_handler(runtime: Runtime) -> Callable[[ClaimedJob], Mapping[str, Any] | None]:
    """``/linkgap digest``: an on-demand digest, posted by the job workers."""

    def handle(job: ClaimedJob) -> Mapping[str, Any] | None:
        sender = DigestSender(
            runtime, client_for_workspace(runtime, job.workspace_id), owner=f"job-{job.id}"
        )
        outcome = sender.on_demand(
            int(job.payload["campaign_id"]),
            utc_now(),
            str(job.payload["channel_id"]),
            effect_key=f"job:{job.id}",
        )
        return {"status": outcome.status, "ts": outcome.ts}

    return handle
