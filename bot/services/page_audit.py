"""The own-page audit of an analysis, plus the comparable pages' word counts it is judged against.

Pages are fetched only through the safe fetcher, a few at a time, and a page
that cannot be fetched is simply unknown: the audit reports it as a flag and
the analysis goes on.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.errors import LinkgapError
from bot.gap.comparable import TargetSite, excluded_reason
from bot.gap.models import PageAudit, SerpResult
from bot.gap.settings import GapSettings
from bot.web.audit import audit_page
from bot.web.fetcher import PageFetcher
from bot.web.html import parse_html

log = logging.getLogger(__name__)

MAX_PARALLEL_FETCHES = 5
#: Word counts of fewer pages than this say nothing about "the comparable median".
MIN_PAGES_FOR_MEDIAN = 2


@dataclass(frozen=True)
class AuditResult:
    audit: PageAudit
    comparable_word_count: int | None


def _word_count(fetcher: PageFetcher, url: str) -> int | None:
    try:
        page = fetcher.fetch(url)
        return parse_html(page.text, page.url).word_count
    except LinkgapError:  # refused, timed out or not a page: this competitor's length is unknown
        return None
    except Exception:  # a fault of ours is logged, but one competitor must not stop the analysis
        log.exception("word count of a comparable page failed unexpectedly")
        return None


def audit_with_competitors(
    fetcher: PageFetcher,
    keyword: str,
    target_url: str,
    serp: Sequence[SerpResult],
    settings: GapSettings,
) -> AuditResult:
    """Audit the target page and measure the comparable page-one results, in parallel."""
    target = TargetSite.of(target_url)
    comparable = [
        result.url
        for result in serp
        if result.position <= settings.page_one_size
        and excluded_reason(result.url, target, settings) is None
    ]
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_FETCHES) as pool:
        own = pool.submit(audit_page, target_url, keyword, fetcher)
        counts = [
            count for count in pool.map(lambda u: _word_count(fetcher, u), comparable) if count
        ]
        audit = own.result()
    median = int(statistics.median(counts)) if len(counts) >= MIN_PAGES_FOR_MEDIAN else None
    return AuditResult(audit=audit, comparable_word_count=median)
