"""The chart renders headless at Slack's preview size, whatever the length of the history."""

from __future__ import annotations

import struct
from datetime import date, timedelta

import pytest

from bot.digest.chart import render_chart
from bot.gap.models import RdSnapshot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, the first after the signature."""
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def history(points: int) -> list[RdSnapshot]:
    start = date(2026, 1, 1)
    return [RdSnapshot(start + timedelta(days=i), 10 + i // 3) for i in range(points)]


@pytest.mark.parametrize("points", [0, 1, 2, 200])
def test_chart_is_an_800_by_400_png_for_any_history(points: int) -> None:
    png = render_chart(history(points), 37, 60, "trail running shoes")
    assert png_size(png) == (800, 400)
    assert len(png) < 100_000


def test_chart_without_targets_or_with_a_dollar_keyword_still_renders() -> None:
    # "$5 $10" would be parsed as mathtext if it were not escaped.
    png = render_chart(history(30), None, None, "shoes under $5 and $10")
    assert png_size(png) == (800, 400)


def test_chart_is_deterministic_and_depends_on_the_data() -> None:
    first = render_chart(history(30), 37, 60, "trail running shoes")
    assert render_chart(list(reversed(history(30))), 37, 60, "trail running shoes") == first
    assert render_chart(history(31), 37, 60, "trail running shoes") != first
