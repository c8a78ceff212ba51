"""Internal support inside a whole analysis: the crawl is kept 7 days, counted per day.

The analysis runs as the surfaces run it (``run_and_record`` with a crawl request)
on SQLite and PostgreSQL; the site is the demo's sample web behind the real
``SafeFetcher``, with a transport that counts the requests it answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.providers.registry import make_provider
from bot.report.contract import gap_contract
from bot.services.gap import GapRequest
from bot.services.gap_store import run_and_record
from bot.services.own_site import CrawlRequest
from bot.store.models import RdSnapshotRow, SiteCrawlRow
from bot.store.repositories.snapshots import internal_support_at_or_before
from bot.web.fetcher import SafeFetcher
from bot.web.sample_web import SampleWeb

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-running-shoes"


class CountingWeb(httpx.BaseTransport):
    """The sample web, counting the requests it answers; ``refuse_robots`` answers 503."""

    def __init__(self, refuse_robots: bool = False) -> None:
        self.web = SampleWeb(lambda: [TARGET], lambda: [KEYWORD])
        self.refuse_robots = refuse_robots
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.refuse_robots and request.url.path == "/robots.txt":
            return httpx.Response(503, headers={"content-type": "text/plain"}, text="busy")
        return self.web.handle_request(request)


def analyse(sessions: sessionmaker[Session], web: CountingWeb, day: date) -> dict[str, Any]:
    fetcher = SafeFetcher(transport=web)
    outcome = run_and_record(
        sessions,
        make_provider("demo"),
        GapRequest.parse(KEYWORD, TARGET),
        today=day,
        crawl=CrawlRequest(fetcher),
    )
    return gap_contract(outcome)


def test_a_crawl_is_kept_for_seven_days_and_counted_in_the_day_s_snapshot(
    session_factory: sessionmaker[Session],
) -> None:
    web = CountingWeb()
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        first = analyse(session_factory, web, date(2026, 12, 1))
    support = first["internal_support"]
    assert isinstance(support, dict)
    assert support["linking_pages"] >= 1
    assert support["opportunities"]
    assert all(KEYWORD in o["sentence"].lower() for o in support["opportunities"])
    fetched = len(web.paths)
    assert web.paths[:2] == ["/robots.txt", "/sitemap.xml"]

    with time_machine.travel("2026-12-07 09:00Z", tick=False):  # 6 days later: the stored crawl
        again = analyse(session_factory, web, date(2026, 12, 7))
    assert len(web.paths) == fetched
    assert again["internal_support"] == support

    with time_machine.travel("2026-12-08 09:01Z", tick=False):  # past 7 days: crawled again
        analyse(session_factory, web, date(2026, 12, 8))
    assert len(web.paths) == 2 * fetched

    with session_factory() as session:
        assert session.scalar(select(SiteCrawlRow.site)) == "https://www.example.com"
        rows = session.execute(select(RdSnapshotRow.day, RdSnapshotRow.internal_linking_pages))
        counts = {row.day: row.internal_linking_pages for row in rows}
        assert counts == {
            date(2026, 12, 1): support["linking_pages"],
            date(2026, 12, 7): support["linking_pages"],
            date(2026, 12, 8): support["linking_pages"],
        }


def test_a_run_without_a_crawl_keeps_the_day_s_count_and_the_digest_finds_the_last_one(
    session_factory: sessionmaker[Session],
) -> None:
    web = CountingWeb()
    with time_machine.travel("2026-12-01 09:00Z", tick=False):
        crawled = analyse(session_factory, web, date(2026, 12, 1))
        # The same day, an analysis that reads no crawl (the terminal's --no-fetch).
        run_and_record(
            session_factory, make_provider("demo"), GapRequest.parse(KEYWORD, TARGET),
            today=date(2026, 12, 1),
        )  # fmt: skip
    with time_machine.travel("2026-12-03 09:00Z", tick=False):
        run_and_record(
            session_factory, make_provider("demo"), GapRequest.parse(KEYWORD, TARGET),
            today=date(2026, 12, 3),
        )  # fmt: skip
    support = crawled["internal_support"]
    assert isinstance(support, dict)
    with session_factory() as session:
        workspace_id = session.scalar(select(RdSnapshotRow.workspace_id))
        assert workspace_id is not None
        assert internal_support_at_or_before(session, workspace_id, TARGET, date(2026, 12, 3)) == (
            date(2026, 12, 1),
            support["linking_pages"],
        )
        assert (
            internal_support_at_or_before(
                session, workspace_id, TARGET, date(2026, 12, 1) - timedelta(days=1)
            )
            is None
        )


def test_a_site_that_cannot_be_crawled_gives_null_and_says_why_and_is_tried_again(
    session_factory: sessionmaker[Session],
) -> None:
    web = CountingWeb(refuse_robots=True)
    report = analyse(session_factory, web, date(2026, 12, 1))
    assert report["internal_support"] is None
    flags = {flag["code"]: flag["message"] for flag in report["flags"]}
    assert flags["internal-support-unknown"] == (
        "Your site could not be crawled for internal support (https://www.example.com/robots.txt "
        "could not be read (The page answered HTTP 503.); not crawling.)."
    )
    analyse(session_factory, web, date(2026, 12, 1))
    assert web.paths == ["/robots.txt", "/robots.txt"]  # nothing stored: asked again
    with session_factory() as session:
        assert session.scalar(select(SiteCrawlRow.id)) is None
