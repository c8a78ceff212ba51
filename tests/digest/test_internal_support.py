"""Internal support in the digest: this week's count against the week before's.

Today is Mon 23 Nov 2026 (``factories.TODAY``): "this week" is 17-23 Nov, the
week before is everything up to 16 Nov.
"""

from __future__ import annotations

from datetime import date

from bot.digest.assembly import assemble_digest
from bot.digest.internal_support import InternalSupportChange, internal_support_change
from bot.slack.blocks.digest import digest_blocks
from tests.digest.factories import TODAY, seeded_input


def field_texts(counts: list[tuple[date, int]]) -> list[str]:
    blocks = digest_blocks(assemble_digest(seeded_input(internal_support_counts=counts)))
    return [field["text"] for block in blocks for field in block.get("fields", [])]


def support_field(counts: list[tuple[date, int]]) -> str | None:
    found = [text for text in field_texts(counts) if text.startswith("*Internal support*")]
    return found[0] if found else None


def test_this_week_s_newest_count_is_compared_with_the_newest_before_it() -> None:
    counts = [(date(2026, 11, 2), 2), (date(2026, 11, 16), 4), (date(2026, 11, 20), 6)]
    # 20 Nov is the newest in 17-23 Nov (6); 16 Nov the newest up to 16 Nov (4): +2.
    assert internal_support_change(counts, TODAY) == InternalSupportChange(
        now=6, week_ago=4, last_day=date(2026, 11, 20)
    )
    assert support_field(counts) == (
        "*Internal support* (pages of your site linking here)\n*6* (+2 vs 7 days ago)"
    )


def test_a_first_count_claims_no_movement() -> None:
    counts = [(date(2026, 11, 21), 3)]
    assert internal_support_change(counts, TODAY) == InternalSupportChange(
        now=3, week_ago=None, last_day=date(2026, 11, 21)
    )
    assert support_field(counts) == (
        "*Internal support* (pages of your site linking here)\n"
        "3 (first count: nothing to compare yet)"
    )


def test_a_week_without_a_count_says_so_and_a_site_never_crawled_shows_nothing() -> None:
    counts = [(date(2026, 11, 9), 5)]
    assert internal_support_change(counts, TODAY) == InternalSupportChange(
        now=None, week_ago=5, last_day=date(2026, 11, 9)
    )
    assert support_field(counts) == (
        "*Internal support* (pages of your site linking here)\n"
        "not measured this week (last on 09 Nov)"
    )
    assert internal_support_change([], TODAY) is None
    assert support_field([]) is None
    # A count dated after today (another time zone's tomorrow) is not "now".
    assert internal_support_change([(date(2026, 11, 24), 9)], TODAY) is None
