"""docs/method.md's worked example, checked against the engine so the doc stays true."""

from __future__ import annotations

import re
from pathlib import Path

from bot.gap.analysis import analyse
from bot.gap.models import GapInput, ReferringDomain, SerpResult
from bot.gap.settings import GapSettings
from tests.gap.factories import good, junk

METHOD = Path(__file__).resolve().parents[2] / "docs" / "method.md"
TARGET = "https://www.example.com/trail-shoes"


def worked_example() -> tuple[list[list[str]], dict[str, int]]:
    text = METHOD.read_text(encoding="utf-8")
    table = text.split("<!-- worked-example:start -->")[1].split("<!-- worked-example:end -->")[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in table.strip().splitlines()[2:]
    ]
    results = {
        name.lower(): int(value)
        for name, value in re.findall(
            r"\*\*(Entry target|Entry gap|Stretch target|Stretch gap): (\d+)\*\*", text
        )
    }
    return rows, results


def test_the_worked_example_in_the_docs_is_what_the_engine_computes() -> None:
    rows, expected = worked_example()
    assert len(rows) == 10
    assert set(expected) == {"entry target", "entry gap", "stretch target", "stretch gap"}
    serp: list[SerpResult] = []
    links: dict[str, list[ReferringDomain]] = {}
    for position, url, total, dropped, quality, _ in rows:
        serp.append(SerpResult(int(position), url))
        prefix = f"p{position}-"
        links[url] = good(prefix, int(quality)) + junk(prefix, int(dropped))
        assert int(total) == int(quality) + int(dropped)
    report = analyse(GapInput("trail running shoes", TARGET, serp, links), GapSettings())

    for (position, _, total, _, quality, comparable), row in zip(rows, report.results, strict=True):
        assert row.position == int(position)
        assert row.referring_domains == int(total)
        assert row.quality_referring_domains == int(quality)
        assert row.excluded_reason == (None if comparable == "yes" else comparable)
    assert report.own.position == 8
    assert report.own.quality_referring_domains == 12
    assert report.entry_target == expected["entry target"]
    assert report.entry_gap == expected["entry gap"]
    assert report.stretch_target == expected["stretch target"]
    assert report.stretch_gap == expected["stretch gap"]
    assert report.entry_basis == (3, 5, 7)
    assert report.flags == ()
