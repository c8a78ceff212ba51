"""A seeded campaign whose digest numbers are worked out by hand in ``test_assembly.py``.

Today is Mon 23 Nov 2026 (ISO week 48). Quality referring domains of the target page:

    day          count  domains
    2026-08-25     10   (counts only: before the refresh kept domain lists)
    2026-09-21     15
    2026-10-19     20
    2026-11-09     24   site01.com … site24.com
    2026-11-16     26   site01.com … site26.com
    2026-11-23     28   site01 … site26 minus site03, site07, plus 4 new domains

Entry target 37, stretch target 60.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from bot.digest.models import DigestInput, DigestSnapshot
from bot.digest.periods import DigestSchedule, period_for

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 CET
BERLIN = DigestSchedule(weekday=0, hour=9, minute=0, timezone="Europe/Berlin")
NEW = ("delta-review.net", "alpha-news.com", "charlie.io", "bravo-blog.org")
LOST = ("site03.com", "site07.com")


def sites(count: int) -> tuple[str, ...]:
    return tuple(f"site{i:02d}.com" for i in range(1, count + 1))


def seeded_history() -> list[DigestSnapshot]:
    now_domains = tuple(d for d in sites(26) if d not in LOST) + NEW
    assert len(now_domains) == 28
    return [
        DigestSnapshot(date(2026, 8, 25), 10),
        DigestSnapshot(date(2026, 9, 21), 15),
        DigestSnapshot(date(2026, 10, 19), 20),
        DigestSnapshot(date(2026, 11, 9), 24, sites(24), position=16),
        DigestSnapshot(date(2026, 11, 16), 26, sites(26), position=14),
        DigestSnapshot(TODAY, 28, now_domains, position=11),
    ]


def seeded_input(**changes: Any) -> DigestInput:
    data = DigestInput(
        keyword="trail running shoes",
        target_url="https://www.example.com/trail-shoes",
        entry_target=37,
        stretch_target=60,
        history=seeded_history(),
        today=TODAY,
        now=NOW,
        period=period_for(NOW, BERLIN),
    )
    return replace(data, **changes)
