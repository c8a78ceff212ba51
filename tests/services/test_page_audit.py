"""Comparable pages that cannot be read are unknown; a fault of ours is logged, never silent."""

from __future__ import annotations

import logging

import pytest

from bot.gap.models import SerpResult
from bot.gap.settings import GapSettings
from bot.services.page_audit import audit_with_competitors
from bot.web.fetcher import FetchedPage, FetchTimedOut

TARGET = "https://www.example.com/trail-shoes"
SERP = [SerpResult(i + 1, f"https://site{i}.com/trail-shoes") for i in range(3)]


def _page(url: str, words: int) -> FetchedPage:
    html = f"<html><body><main><p>{' '.join(['word'] * words)}</p></main></body></html>"
    return FetchedPage(url, 200, "text/html", html, 0.01, (), {})


class Fetcher:
    """site0 answers 1,000 words, site2 3,000; site1 fails with ``failure``."""

    def __init__(self, failure: Exception) -> None:
        self.failure = failure

    def fetch(self, url: str) -> FetchedPage:
        if "site1" in url:
            raise self.failure
        return _page(url, 3000 if "site2" in url else 1000)


def test_a_competitor_that_times_out_is_unknown_and_nothing_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        result = audit_with_competitors(
            Fetcher(FetchTimedOut("no answer")), "trail shoes", TARGET, SERP, GapSettings()
        )
    assert result.comparable_word_count == 2000  # median of 1,000 and 3,000; site1 unknown
    assert caplog.records == []


def test_a_fault_while_reading_a_competitor_is_logged_and_the_analysis_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        result = audit_with_competitors(
            Fetcher(RuntimeError("parser bug")), "trail shoes", TARGET, SERP, GapSettings()
        )
    assert result.comparable_word_count == 2000
    assert [r.getMessage() for r in caplog.records] == [
        "word count of a comparable page failed unexpectedly"
    ]
