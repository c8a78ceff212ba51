"""The demo provider must feel like real data and give the same report for the same inputs.

Quality counts here use the method's default junk rules, re-stated in a few
lines (``_quality``), so these tests do not lean on the analysis module they feed.
"""

from __future__ import annotations

import hashlib
import os
import re
import statistics
import subprocess
import sys
from collections import Counter
from fnmatch import translate
from functools import cache
from pathlib import Path

import pytest

from bot.gap.domains import registrable_domain, split_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.settings import DEFAULT_JUNK_PATTERNS, DEFAULT_PLATFORMS, DEFAULT_SPAM_SUFFIXES
from bot.gap.urls import is_homepage, normalise_url, validate_url
from bot.providers.base import Provider, SerpQuery
from bot.providers.demo import DemoProvider, niche_for
from bot.providers.registry import make_provider

REPO = Path(__file__).resolve().parents[2]
TARGET = "https://www.mysite.com/blog/buying-guide"
FINANCE = ("car insurance quotes", "best credit cards", "personal loans", "mortgage refinance")
APPAREL = ("trail running shoes", "black leather boots", "summer dresses", "denim jacket")
SAMPLE = (*FINANCE[:2], *APPAREL[:2], "best crm software", "how to bake bread", "hiking in peru")

Analysis = tuple[list[SerpResult], dict[str, list[ReferringDomain]], list[ReferringDomain]]


@cache
def _analysis(keyword: str, target: str = TARGET, depth: int = 10) -> Analysis:
    """One analysis's provider calls, in the order the core makes them."""
    provider = DemoProvider(target_url=target)
    serp = provider.serp(SerpQuery(keyword, depth=depth))
    links = provider.page_referring_domains([r.url for r in serp] + [target])
    return serp, links, provider.site_referring_domains(target)


def _platform(url: str) -> bool:
    domain = registrable_domain(url)
    return domain.split(".")[0] in DEFAULT_PLATFORMS or domain in DEFAULT_PLATFORMS


def _gov_edu(url: str) -> bool:
    suffix = split_domain(url)[1]
    return suffix.split(".")[0] in {"gov", "edu", "ac", "mil"}


def _comparable(result: SerpResult, target: str = TARGET) -> bool:
    return not (
        _platform(result.url)
        or _gov_edu(result.url)
        or registrable_domain(result.url) == registrable_domain(target)
        or is_homepage(result.url) != is_homepage(target)
    )


#: Every default junk pattern as one whole-word regex (``fnmatch``'s own translation).
_JUNK_WORD = re.compile("|".join(f"(?:{translate(pattern)})" for pattern in DEFAULT_JUNK_PATTERNS))


@cache
def _junk_name(name: str) -> bool:
    """A default junk pattern is a whole word of the name (``*`` = any letters)."""
    return any(_JUNK_WORD.match(word) for word in re.split(r"[.\-_]+", name))


def _junk(entry: ReferringDomain) -> bool:
    domain, suffix = split_domain(entry.domain)
    name = domain[: -len(suffix) - 1] if suffix else domain
    return (
        _junk_name(name)
        or suffix.rsplit(".", 1)[-1] in DEFAULT_SPAM_SUFFIXES
        or entry.is_spam
        or (entry.spam_score is not None and entry.spam_score >= 60)
        or (entry.domain_rating is not None and entry.domain_rating < 10)
    )


def _quality(entries: list[ReferringDomain]) -> set[str]:
    return {registrable_domain(e.domain) for e in entries if not _junk(e)}


def _raw_count(entries: list[ReferringDomain]) -> int:
    return len({registrable_domain(e.domain) for e in entries})


def _page_one_median(keywords: tuple[str, ...]) -> float:
    counts = []
    for keyword in keywords:
        serp, links, _ = _analysis(keyword)
        counts += [_raw_count(links[r.url]) for r in serp if _comparable(r)]
    return statistics.median(counts)


DIGEST_SCRIPT = """
import hashlib, sys
from bot.providers.base import SerpQuery
from bot.providers.demo import DemoProvider
target = "https://www.mysite.com/blog/buying-guide"
provider = DemoProvider(target_url=target)
serp = provider.serp(SerpQuery(sys.argv[1]))
links = provider.page_referring_domains([r.url for r in serp] + [target])
site = provider.site_referring_domains(target)
text = repr((serp, sorted(links.items()), site, provider.domain_rating(target)))
print(hashlib.sha256(text.encode()).hexdigest())
"""


def _digest_in_subprocess(keyword: str, hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT, keyword],
        cwd=REPO, env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return done.stdout.strip()


def test_demo_provider_is_a_free_provider_that_says_sample_data() -> None:
    provider = make_provider("demo")
    assert isinstance(provider, DemoProvider)
    assert isinstance(provider, Provider)
    assert (provider.name, provider.sample_data) == ("demo", True)
    provider.serp(SerpQuery("trail running shoes"))
    provider.page_referring_domains([TARGET])
    assert (provider.usage.requests, provider.usage.estimated_cost_usd) == (0, 0.0)


def test_same_inputs_give_the_same_report_in_new_instances() -> None:
    first, second = DemoProvider(target_url=TARGET), DemoProvider(target_url=TARGET)
    for provider in (first, second):
        provider.serp(SerpQuery("best credit cards"))
    serp = first.serp(SerpQuery("best credit cards"))
    assert serp == second.serp(SerpQuery("best credit cards"))
    urls = [r.url for r in serp] + [TARGET]
    assert first.page_referring_domains(urls) == second.page_referring_domains(urls)
    assert first.site_referring_domains(TARGET) == second.site_referring_domains(TARGET)
    assert first.domain_rating(TARGET) == second.domain_rating(TARGET)


def test_report_is_the_same_whatever_the_python_hash_seed() -> None:
    digests = {_digest_in_subprocess("hiking boots", seed) for seed in ("0", "1", "4242")}
    assert len(digests) == 1
    serp, links, site = _analysis("hiking boots")
    here = DemoProvider(target_url=TARGET)
    here.serp(SerpQuery("hiking boots"))
    text = repr((serp, sorted(links.items()), site, here.domain_rating(TARGET)))
    assert digests == {hashlib.sha256(text.encode()).hexdigest()}


def test_different_keywords_give_different_results() -> None:
    one, two = _analysis("trail running shoes")[0], _analysis("road running shoes")[0]
    assert {r.url for r in one}.isdisjoint({r.url for r in two})


@pytest.mark.parametrize(
    ("keyword", "niche"),
    [
        ("car insurance quotes", "finance & insurance"),
        ("best crm software", "b2b software"),
        ("how to bake sourdough bread", "food & recipes"),
        ("trail running shoes", "apparel"),
        ("divorce lawyer near me", "legal"),
        ("quantum widgets", "general"),
    ],
)
def test_keyword_hints_pick_the_niche(keyword: str, niche: str) -> None:
    assert niche_for(keyword).name == niche


def test_finance_page_one_pages_have_far_more_referring_domains_than_apparel() -> None:
    finance, apparel = _page_one_median(FINANCE), _page_one_median(APPAREL)
    assert finance > 15 * apparel
    assert 2000 < finance < 6000
    assert 40 < apparel < 200


def test_trail_running_shoes_get_apparel_sized_counts() -> None:
    assert 25 < _page_one_median(("trail running shoes",)) < 400
    assert niche_for("quantum widgets").median == 907


def test_top_three_positions_carry_more_referring_domains_than_the_rest() -> None:
    top: list[int] = []
    rest: list[int] = []
    for keyword in (*APPAREL, "how to bake bread", "hiking in peru", "best sofa"):
        serp, links, _ = _analysis(keyword)
        for r in serp:
            if _comparable(r):
                (top if r.position <= 3 else rest).append(len(_quality(links[r.url])))
    assert statistics.mean(top) > 2 * statistics.mean(rest)


def test_results_look_like_a_real_page_one() -> None:
    platforms = gov_edu = homepages = 0
    for keyword in SAMPLE:
        serp = _analysis(keyword)[0]
        assert [r.position for r in serp] == list(range(1, 11))
        assert all(validate_url(r.url) and r.title and r.domain_rating is not None for r in serp)
        assert 1 <= sum(_platform(r.url) for r in serp) <= 2
        platforms += sum(_platform(r.url) for r in serp)
        gov_edu += sum(_gov_edu(r.url) for r in serp)
        homepages += sum(is_homepage(r.url) for r in serp)
        inner = [r for r in serp if not is_homepage(r.url) and not _platform(r.url)]
        assert len(inner) >= 6
    assert gov_edu >= 1
    assert homepages >= 1


def test_every_requested_url_is_a_key_including_variants() -> None:
    provider = DemoProvider()
    url = provider.serp(SerpQuery("best sofa"))[3].url
    bare = normalise_url(url)
    variants = [url, f"http://www.{bare}/", f"https://{bare}#reviews", "https://elsewhere.org/x"]
    answer = provider.page_referring_domains(variants)
    assert list(answer) == variants
    assert answer[variants[1]] == answer[variants[2]] == answer[url]
    assert answer[url]


def test_referring_domains_mix_quality_and_junk_like_real_exports() -> None:
    seen: Counter[str] = Counter()
    for keyword in SAMPLE:
        serp, links, _ = _analysis(keyword)
        for r in serp:
            entries = links[r.url]
            raw = _raw_count(entries)
            if raw >= 40:
                assert 0.1 <= 1 - len(_quality(entries)) / raw <= 0.4
            for e in entries:
                domain, suffix = split_domain(e.domain)
                seen["subdomain"] += e.domain.split(".")[0] in {"blog", "news"}
                seen["co.uk"] += suffix == "co.uk"
                seen["unrated"] += e.domain_rating is None
                seen["low"] += e.domain_rating is not None and e.domain_rating < 10
                seen["high"] += e.domain_rating is not None and e.domain_rating >= 80
                seen["pattern"] += _junk_name(domain)
                seen["spam-suffix"] += suffix in DEFAULT_SPAM_SUFFIXES
                seen["is-spam"] += e.is_spam
                seen["spam-score"] += (e.spam_score or 0) >= 60
            seen["repeated"] += len(entries) > _raw_count(entries)
    assert all(seen[kind] > 0 for kind in (
        "subdomain", "co.uk", "unrated", "low", "high", "pattern", "spam-suffix", "is-spam",
        "spam-score", "repeated",
    )), seen  # fmt: skip


def test_competitors_share_domains_and_the_target_has_a_few() -> None:
    for keyword in SAMPLE:
        serp, links, _ = _analysis(keyword)
        linked = Counter(d for r in serp if _comparable(r) for d in _quality(links[r.url]))
        shared = {d for d, n in linked.items() if n >= 2}
        assert shared, keyword
        assert shared & _quality(links[TARGET]), keyword


def test_some_prospects_already_link_elsewhere_on_the_site() -> None:
    for keyword in SAMPLE:
        serp, links, site = _analysis(keyword)
        linked = Counter(d for r in serp if _comparable(r) for d in _quality(links[r.url]))
        prospects = {d for d, n in linked.items() if n >= 2} - _quality(links[TARGET])
        assert prospects & {registrable_domain(e.domain) for e in site}, keyword


def test_site_links_include_the_pages_own_links() -> None:
    _, links, site = _analysis("best crm software")
    assert {e.domain for e in links[TARGET]} <= {e.domain for e in site}


def test_depth_is_honoured_and_deeper_pages_extend_page_one() -> None:
    five, ten, twenty = (_analysis("best sofa", depth=d)[0] for d in (5, 10, 20))
    assert [len(five), len(ten), len(twenty)] == [5, 10, 20]
    assert five == ten[:5]
    assert ten == twenty[:10]
    assert [r.position for r in twenty] == list(range(1, 21))


def test_target_ranks_on_page_one_for_some_pages_and_not_others() -> None:
    positions = []
    for n in range(30):
        target = f"https://www.site{n}.com/guides/best-sofa"
        urls = [r.url for r in _analysis("best sofa", target)[0]]
        positions.append(urls.index(target) + 1 if target in urls else None)
    ranked = [p for p in positions if p is not None]
    assert 3 <= len(ranked) <= 27
    assert all(3 <= p <= 10 for p in ranked)


def test_homepage_target_gets_mostly_homepage_results() -> None:
    for keyword in ("trail running shoes", "best crm software", "personal loans"):
        serp = _analysis(keyword, "https://www.mysite.com/")[0]
        sites = [r for r in serp if not _platform(r.url) and not _gov_edu(r.url)]
        assert sum(is_homepage(r.url) for r in sites) >= 0.6 * len(sites)


def test_user_site_rating_is_stable_and_sometimes_weak() -> None:
    provider = DemoProvider()
    ratings = [provider.domain_rating(f"https://shop{n}.co.uk/page") for n in range(40)]
    assert ratings == [DemoProvider().domain_rating(f"https://shop{n}.co.uk/") for n in range(40)]
    assert any(r is not None and r < 25 for r in ratings)
    assert any(r is not None and r > 50 for r in ratings)


def test_competitor_rating_matches_the_results_page() -> None:
    provider = DemoProvider()
    for result in provider.serp(SerpQuery("how to bake bread")):
        assert provider.domain_rating(result.url) == result.domain_rating


def test_links_without_a_results_page_follow_the_niche_in_the_url() -> None:
    provider = DemoProvider()
    finance = provider.page_referring_domains(["https://a.com/credit-cards/best-cashback"])
    shoes = DemoProvider().page_referring_domains(["https://a.com/shoes/best-trail-shoes"])
    assert finance["https://a.com/credit-cards/best-cashback"]
    assert (
        shoes["https://a.com/shoes/best-trail-shoes"]
        != finance["https://a.com/credit-cards/best-cashback"]
    )


def test_organic_traffic_is_stable_zero_for_junk_and_grows_with_the_rating() -> None:
    provider = DemoProvider()
    sites = [f"https://shop{n}.co.uk/page" for n in range(60)]
    traffic = [provider.organic_traffic(url) for url in sites]
    ratings = [provider.domain_rating(url) or 0.0 for url in sites]

    assert traffic == [DemoProvider().organic_traffic(url) for url in sites]
    assert all(t is not None and t >= 0 for t in traffic)
    assert all(t == 0 for t, r in zip(traffic, ratings, strict=True) if r < 10)
    assert all(t and t > 0 for t, r in zip(traffic, ratings, strict=True) if r >= 25)
    assert any(t == 0 for t in traffic)
    assert any(t and t > 1000 for t in traffic)
    assert provider.organic_traffic("https://www.seo-backlink-directory.net/") == 0.0
    assert provider.organic_traffic("https://cheaplinks.xyz/") == 0.0
    assert provider.usage.requests == 0
