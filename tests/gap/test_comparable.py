from __future__ import annotations

import pytest

from bot.gap.comparable import TargetSite, excluded_reason
from bot.gap.settings import GapSettings, merge_settings

INNER = TargetSite.of("https://www.example.com/trail-shoes")
HOME = TargetSite.of("https://example.com/")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://shop.example.com/other", "own-site"),
        ("http://example.com/trail-shoes/", "own-site"),
        ("https://www.amazon.com/s?k=trail", "platform"),
        ("https://www.amazon.co.uk/trail-shoes", "platform"),
        ("https://en.wikipedia.org/wiki/Trail_running", "platform"),
        ("https://www.reddit.com/r/trailrunning/x", "platform"),
        ("https://x.com/someone/status/1", "platform"),
        ("https://de.linkedin.com/pulse/x", "platform"),
        ("https://www.nps.gov/trails", "gov-edu"),
        ("https://www.gov.uk/guidance/x", "gov-edu"),
        ("https://www.health.gov.au/x", "gov-edu"),
        ("https://army.mil/x", "gov-edu"),
        ("https://www.stanford.edu/x", "gov-edu"),
        ("https://www.ox.ac.uk/x", "gov-edu"),
        ("https://www.unsw.edu.au/x", "gov-edu"),
        ("https://www.brand.com/", "page-type"),
        ("https://www.brand.com", "page-type"),
        ("https://www.brand.com/trail", None),
        ("https://www.xbox.com/trail", None),
        ("https://www.shoes.ac/trail", None),
    ],
)
def test_each_result_is_kept_or_excluded_with_its_reason(url: str, reason: str | None) -> None:
    assert excluded_reason(url, INNER, GapSettings()) == reason


def test_inner_pages_are_not_comparable_to_a_homepage() -> None:
    assert excluded_reason("https://brand.com/blog/post", HOME, GapSettings()) == "page-type"
    assert excluded_reason("https://brand.com/", HOME, GapSettings()) is None


def test_platform_list_is_editable_per_workspace() -> None:
    settings = merge_settings(GapSettings(), {"platforms": ["zalando"]})
    assert excluded_reason("https://www.zalando.de/trail", INNER, settings) == "platform"
    assert excluded_reason("https://www.amazon.com/trail", INNER, settings) is None
