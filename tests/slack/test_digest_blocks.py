"""The digest message: within Slack's limits, honest about missing data, and inert to injection."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.digest.assembly import assemble_digest
from bot.digest.models import PlacementSummary, TrafficReading
from bot.digest.periods import due_periods
from bot.gap.models import Prospect
from bot.slack.blocks.digest import digest_blocks, digest_text
from tests.digest.factories import BERLIN, seeded_history, seeded_input

INJECTION = "<!channel> <@U1> <https://evil|x>"


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(field["text"] for field in block.get("fields", []))
        out.extend(element["text"] for element in block.get("elements", []))
    return out


def assert_within_slack_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            for field in block.get("fields", []):
                assert len(field["text"]) <= 2000


def test_full_digest_renders_every_part_within_limits() -> None:
    data = seeded_input(
        traffic=TrafficReading(1150, 1000, "provider-estimate"),
        live_anchor_classes=["brand", "partial", "exact"],
        placements=PlacementSummary(pending=2, approved=1, rejected=1, live_this_week=1),
        new_domains_all=("alpha-news.com", "seo-links.xyz"),
    )
    blocks = digest_blocks(assemble_digest(data), chart_file_id="F123")
    assert_within_slack_limits(blocks)
    text = "\n".join(_texts(blocks))
    assert blocks[0]["text"]["text"] == "Weekly digest: trail running shoes"
    assert "*28* (+2 vs 7 days ago)" in text
    assert "#14 → *#11* (up 3)" in text
    assert "*1,150* visits in 7 days (+15% vs previous 7 days)" in text
    assert "`▓▓▓▓▓▓░░░░` 28 of 37 toward the entry target (started at 10)" in text
    assert "~45 days (07 Jan 2027) at 6.0 quality referring domains / 30 days" in text
    assert "• site03.com" in text
    assert "*50%* (1 of 2)" in text
    assert "2 pending · 1 approved · 1 rejected · 1 live this week" in text
    assert "Keep going: 9 quality referring domains to the entry target." in text
    assert any(b["type"] == "image" and b["slack_file"] == {"id": "F123"} for b in blocks)
    assert "late" not in text


def test_missing_data_is_said_plainly() -> None:
    blocks = digest_blocks(assemble_digest(seeded_input(history=[])))
    assert_within_slack_limits(blocks)
    text = "\n".join(_texts(blocks))
    assert "Landing-page traffic*\nnot connected" in text
    assert "no snapshot yet" in text
    assert not any(b["type"] == "image" for b in blocks)


def test_late_digest_says_so_in_its_header_line() -> None:
    # Down over Monday 23 Nov 09:00 CET, back on Wednesday 25 Nov.
    [due] = due_periods(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), BERLIN, "2026-W46")
    digest = assemble_digest(seeded_input(period=due.period, late=due.late))
    blocks = digest_blocks(digest)
    assert blocks[1]["type"] == "context"
    assert blocks[1]["elements"][0]["text"] == (
        ":warning: This digest is late: linkgap was down at 09:00 Monday 23 Nov "
        "(CET, Europe/Berlin), when it was due."
    )
    assert digest_text(digest).startswith("(late) Weekly digest")


def test_injection_in_keyword_url_and_domains_stays_inert() -> None:
    history = seeded_history()
    evil_domain = "<!here>.example"
    last = history[-1]
    history[-1] = type(last)(
        last.day, last.quality_referring_domains + 1, (*last.quality_domains, evil_domain), 11
    )
    data = seeded_input(
        keyword=INJECTION,
        target_url="https://example.com/a|<!channel>",
        history=history,
        prospects=[Prospect("<@U2>.com", 4, None, False)] * 3,
        entry_target=50,
    )
    digest = assemble_digest(data)
    blocks = digest_blocks(digest, chart_file_id="F1")
    # plain_text (the header) and alt_text cannot mention or link: Slack shows them as typed.
    assert blocks[0]["text"] == {
        "type": "plain_text",
        "text": f"Weekly digest: {INJECTION}",
        "emoji": True,
    }
    mrkdwn = [b for b in blocks if b["type"] not in ("header", "image")]
    raw = json.dumps(mrkdwn)
    for live in ("<!channel>", "<@U1>", "<https://evil|x>", "<!here>", "<@U2>"):
        assert live not in raw
    assert "&lt;!channel&gt;" in raw
    assert "&lt;!here&gt;.example" in raw
    assert "&lt;@U2&gt;.com" in raw
    # The only link is ours, to the target page, with its '|' defused.
    assert raw.count("<https://") == 1
    assert "<https://example.com/a%7C&lt;!channel&gt;|" in raw
    notification = digest_text(digest)
    assert "<!channel>" not in notification
    assert "&lt;!channel&gt;" in notification


def test_many_domains_still_fit() -> None:
    history = seeded_history()
    long_names = tuple(f"{'x' * 60}{i}.com" for i in range(300))
    last = history[-1]
    history[-1] = type(last)(last.day, 326, (*last.quality_domains, *long_names), 11)
    blocks = digest_blocks(assemble_digest(seeded_input(history=history, keyword="k" * 400)))
    assert_within_slack_limits(blocks)
    assert "…and 299 more" in json.dumps(blocks, ensure_ascii=False)


def test_notification_text() -> None:
    assert digest_text(assemble_digest(seeded_input())) == (
        "Weekly digest for “trail running shoes”: 28 quality referring domains "
        "(+2 this week), entry gap 9"
    )


def test_the_first_week_shows_where_the_page_stands_without_claiming_movement() -> None:
    from bot.digest.models import DigestSnapshot, PositionReading
    from tests.digest.factories import TODAY, sites

    first = [DigestSnapshot(TODAY, 2354, sites(30), position=6)]
    data = seeded_input(
        history=first,
        entry_target=3400,
        stretch_target=5000,
        traffic=TrafficReading(1250, 0, "search-console", previous_known=False),
        plan_domains=("alpha-news.com", "bravo-blog.org", "charlie.io", "delta.net"),
    )
    text = "\n".join(_texts(digest_blocks(assemble_digest(data))))
    assert "2,354 (first week: nothing to compare yet)" in text
    assert "*#6* (first week: nothing to compare yet)" in text
    assert "new in the results" not in text
    assert "*1,250* visits in 7 days (first week: nothing to compare yet)" in text
    assert "Entry gap *1,046* (target 3,400) · stretch gap *2,646* (target 5,000)" in text
    assert "Pitch these 3 first: alpha-news.com, bravo-blog.org, charlie.io" in text
    # Search Console connected this week: its position is not compared either.
    fresh = PositionReading(now=7.4, week_ago=None, week_ago_known=False)
    text = "\n".join(_texts(digest_blocks(assemble_digest(seeded_input(positions=fresh)))))
    assert "*avg 7.4* (first week: nothing to compare yet)" in text
