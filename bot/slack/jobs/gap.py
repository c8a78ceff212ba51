"""The worker side of ``/linkgap gap``: progress message, analysis, report, chart, prospects CSV.

Runs on the job workers, never on Bolt's listener threads. A retried job (its
process died, even mid-call) finds the progress message, the chart and the CSV
the dead attempt left in Slack and reuses them (``bot.slack.effects``), so a
restart never leaves a second "analysing…", chart or CSV behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.errors import LinkgapError
from bot.report.gap_chart import TOP_RESULTS, gap_chart, render_gap_chart
from bot.report.outcome import GapOutcome
from bot.report.prospects_csv import prospects_csv
from bot.runtime import Runtime
from bot.services.gap import GapRequest
from bot.services.gap_store import WorkspaceRef, load_workspace_settings, run_and_record
from bot.services.own_site import CrawlRequest
from bot.services.providers import workspace_provider
from bot.slack.blocks.messages import (
    failure_blocks,
    gap_report_blocks,
    gap_report_text,
    progress_blocks,
)
from bot.slack.blocks.mrkdwn import escape
from bot.slack.effects import OnceEffects
from bot.slack.listeners.oauth import client_for_workspace
from bot.store.db import transaction
from bot.store.repositories import ClaimedJob, save_message, update_message_content
from bot.web.fetcher import PageFetcher, SiteFetcher

log = logging.getLogger(__name__)
#: The crawl's progress line is updated at most this often (Slack's chat.update limits).
PROGRESS_EVERY_SECONDS = 3.0
MESSAGE_KIND = "gap-report"
_NO_CHANNEL_ACCESS = {"not_in_channel", "channel_not_found", "is_archived"}


class ReportMessage:
    """Where this job's progress message lives: a channel message, or the command's response_url.

    The progress message is a once-only effect keyed by the job: an attempt
    resumed after a crash finds the message the dead one posted (by its
    metadata, even when the crash came before its ``ts`` was stored) and turns
    that one into the report, so no "Analysing…" is ever left beside it.
    """

    def __init__(
        self, runtime: Runtime, client: WebClient, job: ClaimedJob, response_url: str | None
    ) -> None:
        self.runtime = runtime
        self.client = client
        self.job = job
        self.response_url = response_url
        self.effects = OnceEffects(runtime.sessions, client, job.workspace_id)
        self.channel: str | None = None
        self.ts: str | None = None

    def show_progress(self, blocks: list[dict[str, Any]], text: str, channel: str) -> None:
        try:
            posted = self.effects.post(
                f"job:{self.job.id}:progress", channel=channel, blocks=blocks, text=text
            )
        except SlackApiError as error:
            if error.response.get("error") not in _NO_CHANNEL_ACCESS or not self.response_url:
                raise
            log.info(
                "cannot post in %s (%s); answering through response_url",
                channel,
                error.response.get("error"),
            )
            self._webhook(blocks, text, replace=False)
            return
        self.channel, self.ts = posted.channel, posted.ts
        with transaction(self.runtime.sessions) as session:
            save_message(
                session,
                self.job.workspace_id,
                kind=MESSAGE_KIND,
                channel_id=self.channel,
                ts=self.ts,
                content={"blocks": blocks, "text": text},
                subject_id=self.job.id,
            )
        if posted.recovered:  # it may still show what the dead attempt last put there
            self.replace(blocks, text)

    def replace(self, blocks: list[dict[str, Any]], text: str) -> None:
        """``chat.update`` the message in place: the same content twice is one effect."""
        if self.channel is None or self.ts is None:
            self._webhook(blocks, text, replace=True)
            return
        self.client.chat_update(channel=self.channel, ts=self.ts, blocks=blocks, text=text)
        with transaction(self.runtime.sessions) as session:
            update_message_content(
                session,
                self.job.workspace_id,
                self.channel,
                self.ts,
                {"blocks": blocks, "text": text},
            )

    def _webhook(self, blocks: list[dict[str, Any]], text: str, *, replace: bool) -> None:
        if not self.response_url:
            return
        WebhookClient(self.response_url).send(
            text=text, blocks=blocks, response_type="in_channel", replace_original=replace
        )


def _slug(keyword: str) -> str:
    """The keyword as a file name part: ``trail-running-shoes``."""
    return "-".join(keyword.lower().split())[:60] or "keyword"


def _attach_chart(message: ReportMessage, outcome: GapOutcome) -> None:
    """The report's chart in its thread, shared once per job.

    Drawn here, on the job worker, never on a listener thread. A chart that cannot
    be drawn or shared is logged and left out: the report is already posted and
    the prospects CSV still follows.
    """
    if message.channel is None:
        return
    report = outcome.report
    try:
        chart = gap_chart(report)
        message.effects.upload(
            f"job:{message.job.id}:chart",
            channel=message.channel,
            thread_ts=message.ts,
            content=render_gap_chart(chart),
            filename=f"linkgap-gap-chart-{_slug(report.keyword)}.png",
            title=f"Quality referring domains of the top {TOP_RESULTS} for “{report.keyword}”",
            initial_comment="Your page against the top results at a glance: each bar is a "
            "page's quality referring domains (grey: not comparable, the reason above it; "
            "red: your page), the dashed lines are the entry and stretch targets.",
            alt_text=chart.alt_text,
        )
    except Exception:
        log.exception("could not attach the chart to the gap report of job %s", message.job.id)


def _attach_prospects(message: ReportMessage, outcome: GapOutcome) -> None:
    """The full prospect list as a CSV in the report's thread, shared once per job."""
    if not outcome.report.prospects or message.channel is None:
        return
    message.effects.upload(
        f"job:{message.job.id}:prospects-csv",
        channel=message.channel,
        thread_ts=message.ts,
        content=prospects_csv(outcome.report),
        filename=f"linkgap-prospects-{_slug(outcome.report.keyword)}.csv",
        title=f"All {len(outcome.report.prospects)} prospects for “{outcome.report.keyword}”",
        initial_comment="The full prospect list (domains linking to competitors, not to you).",
    )


def _crawl_request(
    runtime: Runtime,
    fetcher: PageFetcher,
    message: ReportMessage,
    request: GapRequest,
    user_id: str,
) -> CrawlRequest | None:
    """The crawl of the own site, its progress shown in the "analysing…" message."""
    max_pages = runtime.settings.linkgap_crawl_max_pages
    if not max_pages or not isinstance(fetcher, SiteFetcher):
        return None
    text = f"Analysing the link gap for {escape(request.keyword)}…"
    shown = [time.monotonic()]

    def progress(done: int, planned: int) -> None:
        if time.monotonic() - shown[0] < PROGRESS_EVERY_SECONDS:
            return
        shown[0] = time.monotonic()
        stage = f"Crawling your site for internal support: {done:,} of {planned:,} pages read"
        try:
            message.replace(
                progress_blocks(request.keyword, request.target_url, user_id, stage), text
            )
        except Exception:  # a progress line that fails to show must not stop the crawl
            log.warning("could not show the crawl's progress", exc_info=True)

    return CrawlRequest(fetcher, max_pages=max_pages, progress=progress)


def make_gap_handler(runtime: Runtime) -> Callable[[ClaimedJob], Mapping[str, Any] | None]:
    def handle(job: ClaimedJob) -> Mapping[str, Any] | None:
        payload = job.payload
        client = client_for_workspace(runtime, job.workspace_id)
        request = GapRequest.parse(
            payload["keyword"],
            payload["target_url"],
            payload.get("country", "us"),
            payload.get("language", "en"),
        )
        workspace = WorkspaceRef(str(payload["team_id"]), payload.get("enterprise_id"))
        message = ReportMessage(runtime, client, job, payload.get("response_url"))
        user_id = str(payload.get("user_id", ""))
        message.show_progress(
            progress_blocks(request.keyword, request.target_url, user_id),
            f"Analysing the link gap for {escape(request.keyword)}…",
            str(payload["channel_id"]),
        )
        try:
            stored = load_workspace_settings(runtime.sessions, workspace)
            provider = workspace_provider(
                stored,
                runtime.settings.linkgap_provider,
                runtime.sessions,
                workspace,
                environ=runtime.environ,
            )
            fetcher = runtime.page_fetcher(
                provider.sample_data, lambda: [request.target_url], lambda: [request.keyword]
            )
            outcome = run_and_record(
                runtime.sessions,
                provider,
                request,
                workspace=workspace,
                campaign_id=payload.get("campaign_id"),
                created_by=payload.get("user_id"),
                fetcher=fetcher,
                crawl=_crawl_request(runtime, fetcher, message, request, user_id),
            )
        except LinkgapError as error:
            message.replace(failure_blocks(request.keyword, error.message), escape(error.message))
            raise
        except Exception:
            if job.is_last_attempt:
                reason = "something went wrong on our side; it has been logged. Try again later."
                message.replace(failure_blocks(request.keyword, reason), reason)
            raise
        blocks = gap_report_blocks(
            outcome, min_competitors=stored.analysis_settings().prospect_min_competitors
        )
        message.replace(blocks, gap_report_text(outcome))
        _attach_chart(message, outcome)
        _attach_prospects(message, outcome)
        return {"channel": message.channel, "ts": message.ts}

    return handle
