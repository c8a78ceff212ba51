"""The biggest reports stay within Slack's Block Kit limits (the stand-in refuses the rest)."""

from __future__ import annotations

from typing import Any

from bot.gap.models import Flag, GapReport, OwnPage, Prospect, ResultRow
from bot.local.standin.limits import block_problems
from bot.report.outcome import GapOutcome
from bot.slack.blocks.messages import failure_blocks, gap_report_blocks, progress_blocks
from tests.scenarios.harness import GENERAL, running_app

#: A finance keyword (thousands of prospects in the demo data) at the 200-character limit.
FINANCE = ("best credit card mortgage loan refinance savings account bank insurance " * 4)[:200]
TARGET = "https://www.example.com/finance/credit-cards"


def assert_within_limits(blocks: list[dict[str, Any]]) -> None:
    """Slack's message limits, checked here directly as well as by the stand-in."""
    assert block_problems(blocks) == []
    assert 0 < len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block.get("text", {}).get("text", "")) <= 3000
            assert len(block.get("fields", [])) <= 10
            for field in block.get("fields", []):
                assert len(field["text"]) <= 2000
        elif block["type"] == "header":
            assert block["text"]["type"] == "plain_text"
            assert len(block["text"]["text"]) <= 150
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10


def test_the_largest_real_report_is_accepted_by_slack(database_url: str) -> None:
    assert len(FINANCE) == 200
    with running_app(database_url) as app:
        app.command(f'gap "{FINANCE}" {TARGET}')
        assert app.run_jobs() == 1
        assert app.slack.errors == []
        for call in app.slack.calls("chat.postMessage") + app.slack.calls("chat.update"):
            assert call.ok, call.response
        update = app.slack.calls("chat.update")[-1]
        report = app.slack.message(GENERAL, update.params["ts"])
        assert report is not None
        assert_within_limits(report.blocks)
        text = str(report.blocks)
        assert "more in the attached CSV" in text
        chart, csv_file = app.slack.files()
        assert chart.name.endswith(".png")  # the 200-character keyword's chart is shared too
        assert csv_file.content is not None
        assert csv_file.content.count(b"\n") > 300  # hundreds of prospects, all in the CSV


def test_a_page_url_at_the_length_limit_full_of_ampersands_still_gets_its_report(
    database_url: str,
) -> None:
    url = "https://www.example.com/p?" + "&".join(f"a={i % 10}" for i in range(500))
    assert 2000 < len(url) <= 2048
    with running_app(database_url) as app:
        assert app.command(f'gap "trail running shoes" {url}').status_code == 200
        assert app.run_jobs() == 1
        (progress,) = app.slack.calls("chat.postMessage")
        assert progress.ok, progress.response
        (update,) = app.slack.calls("chat.update")
        assert update.ok, update.response
        report = app.slack.message(GENERAL, update.params["ts"])
        assert report is not None
        assert_within_limits(report.blocks)
        assert "example.com/p?a=0&amp;a=1" in str(report.blocks)  # the page is still named


def _huge_outcome() -> GapOutcome:
    evil = "&<>" * 66 + "xy"  # 200 characters that triple when escaped
    long_url = "https://www.example.com/" + "&a=<b>" * 300
    results = tuple(
        ResultRow(
            position=i,
            url=f"https://{'&' * 40}{i}.example.com/" + "&<>" * 600,
            domain=f"{'&' * 40}{i}.example.com",
            title=evil,
            referring_domains=10**6,
            quality_referring_domains=10**6,
            domain_rating=99.5,
            comparable=i % 2 == 0,
            excluded_reason=None if i % 2 == 0 else "platform",
        )
        for i in range(1, 11)
    )
    report = GapReport(
        keyword=evil,
        target_url=long_url,
        own=OwnPage(long_url, None, 10**6, 10**6, None),
        results=results,
        entry_target=10**6,
        stretch_target=10**7,
        entry_gap=10**6,
        stretch_gap=10**7,
        prospects=tuple(
            Prospect(f"{'&<' * 30}{i}.example", 9, 99.0, i % 2 == 0) for i in range(5000)
        ),
        flags=tuple(Flag(f"flag-{i}", evil * 5) for i in range(300)),
        entry_basis=tuple(range(1, 11)),
        stretch_basis=tuple(range(1, 11)),
    )
    return GapOutcome(report, "dataforseo", False, 10**6, 12345.678)


def test_a_report_with_every_list_at_its_worst_stays_within_limits() -> None:
    outcome = _huge_outcome()
    blocks = gap_report_blocks(outcome)
    assert_within_limits(blocks)
    assert "· _warm_" in str(blocks)  # prospects still shown, cut to fit
    keyword, url = outcome.report.keyword, outcome.report.target_url
    assert_within_limits(progress_blocks(keyword, url, "U0STANDIN1"))
    assert_within_limits(failure_blocks(keyword, "&<>" * 2000))
