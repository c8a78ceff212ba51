from __future__ import annotations

import pytest

from bot.errors import BadInput
from bot.gap.models import ReferringDomain
from bot.gap.quality import JunkFilter
from bot.gap.settings import GapSettings, merge_settings


def quality_of(
    links: list[ReferringDomain], settings: GapSettings | None = None, own: str = ""
) -> set[str]:
    return set(
        JunkFilter(settings or GapSettings()).page_domains(links, own_domain=own).quality_domains
    )


def test_several_links_and_subdomains_of_one_domain_count_once() -> None:
    links = [
        ReferringDomain("blog.example.co.uk", 50),
        ReferringDomain("www.example.co.uk", 50),
        ReferringDomain("example.co.uk", 50),
        ReferringDomain("news.example.com.au", 50),
        ReferringDomain("example.com.au", 50),
    ]
    page = JunkFilter(GapSettings()).page_domains(links)
    assert page.all_domains == {"example.co.uk", "example.com.au"}
    assert len(page.quality_domains) == 2


def test_low_rating_is_junk_but_unrated_is_kept() -> None:
    links = [
        ReferringDomain("weak.com", 9.9),
        ReferringDomain("edge.com", 10),
        ReferringDomain("unknown.com", None),
    ]
    page = JunkFilter(GapSettings()).page_domains(links)
    assert page.quality_domains == {"edge.com", "unknown.com"}
    assert page.junk == {"low-rating": 1}


def test_best_rating_across_hosts_decides() -> None:
    links = [ReferringDomain("a.site.com", 5), ReferringDomain("b.site.com", 30)]
    assert quality_of(links) == {"site.com"}


def test_junk_patterns_spam_suffixes_and_blocklist() -> None:
    links = [
        ReferringDomain("best-seo-links.com", 50),
        ReferringDomain("freebacklinks.org", 50),
        ReferringDomain("webstatsdomain.org", 50),
        ReferringDomain("cheap.xyz", 50),
        ReferringDomain("promo.top", 50),
        ReferringDomain("www.blocked.co.uk", 50),
        ReferringDomain("fine.co.uk", 50),
    ]
    settings = merge_settings(GapSettings(), {"blocklist": ["blocked.co.uk"]})
    page = JunkFilter(settings).page_domains(links)
    assert page.quality_domains == {"fine.co.uk"}
    assert page.junk == {"junk-pattern": 3, "spam-suffix": 2, "blocklist": 1}


def test_provider_spam_flags_and_scores() -> None:
    links = [
        ReferringDomain("flagged.com", 60, is_spam=True),
        ReferringDomain("scored.com", 60, spam_score=60),
        ReferringDomain("almost.com", 60, spam_score=59),
    ]
    assert quality_of(links) == {"almost.com"}
    relaxed = merge_settings(GapSettings(), {"spam_score_limit": 70})
    assert quality_of(links, relaxed) == {"scored.com", "almost.com"}


def test_links_from_the_pages_own_site_are_not_referring_domains() -> None:
    links = [ReferringDomain("blog.example.com", 50), ReferringDomain("other.com", 50)]
    page = JunkFilter(GapSettings()).page_domains(links, own_domain="example.com")
    assert page.all_domains == {"other.com"}


def test_editing_junk_patterns_replaces_the_defaults() -> None:
    links = [ReferringDomain("seoul-news.com", 50), ReferringDomain("linkfarm.com", 50)]
    settings = merge_settings(GapSettings(), {"junk_patterns": "linkfarm"})
    assert quality_of(links, settings) == {"seoul-news.com"}


def test_a_domain_counts_toward_quality_only_with_a_followed_link() -> None:
    links = [
        ReferringDomain("followed.com", 50),
        ReferringDomain("nofollow.com", 50, followed=False),
        # One followed link among nofollow ones is enough (the table merges hosts).
        ReferringDomain("www.mixed.com", 50, followed=False),
        ReferringDomain("blog.mixed.com", 50),
        # Junk stays junk for its first reason, followed or not.
        ReferringDomain("weak.com", 3, followed=False),
    ]
    page = JunkFilter(GapSettings()).page_domains(links)
    assert page.referring_count == 4
    assert page.followed_count == 2  # followed.com, mixed.com
    assert page.quality_domains == {"followed.com", "mixed.com"}
    assert page.junk == {"nofollow": 1, "low-rating": 1}


def test_the_workspace_can_count_nofollow_domains_too() -> None:
    links = [ReferringDomain("followed.com", 50), ReferringDomain("ugc.com", 50, followed=False)]
    settings = merge_settings(GapSettings(), {"count_nofollow": "yes"})
    page = JunkFilter(settings).page_domains(links)
    assert settings.count_nofollow is True
    assert page.quality_domains == {"followed.com", "ugc.com"}
    assert page.followed_count == 1
    assert page.junk == {}


@pytest.mark.parametrize("value", ["maybe", "2", ""])
def test_count_nofollow_is_yes_or_no(value: str) -> None:
    with pytest.raises(BadInput, match="count_nofollow"):
        merge_settings(GapSettings(), {"count_nofollow": value})
