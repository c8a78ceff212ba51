"""Benchmark: the analysis of 10 comparable pages x 50,000 referring domains each.

DESIGN section 11 target: <= 0.5 s with the provider already answered. The
referring domains are drawn from a pool so that pages share domains the way
real competitors do (about a third of each page's domains also link to other
pages), with subdomain variants, junk and unrated domains mixed in. Run:

    python -m benchmarks.gap_analysis

It reports the cold run (a fresh process: every host's registrable domain
looked up in the Public Suffix List for the first time) and the median of
warm runs, plus a baseline measured in the same run: one pass over the same
lists that only collects distinct raw host strings per page, the least work
any correct implementation must do.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time

from bot.gap.analysis import analyse
from bot.gap.models import GapInput, ReferringDomain, SerpResult
from bot.gap.settings import GapSettings

PAGES = 10
RDS_PER_PAGE = 50_000
SUFFIXES = ("com", "com", "com", "net", "org", "co.uk", "com.au", "de", "io", "xyz")


def build_input(seed: int = 7) -> GapInput:
    rng = random.Random(seed)
    pool = [
        f"site{n}-{rng.randrange(10**6)}.{rng.choice(SUFFIXES)}" for n in range(RDS_PER_PAGE * 6)
    ]
    shared = pool[: RDS_PER_PAGE * 2]
    serp: list[SerpResult] = []
    links: dict[str, list[ReferringDomain]] = {}
    for page in range(PAGES):
        url = f"https://www.competitor{page}.com/guide/topic"
        serp.append(SerpResult(page + 1, url, domain_rating=rng.uniform(30, 90)))
        own_part = pool[RDS_PER_PAGE * 2 + page * 20_000 : RDS_PER_PAGE * 2 + (page + 1) * 20_000]
        hosts = rng.sample(shared, RDS_PER_PAGE - len(own_part)) + own_part
        page_links = []
        for host in hosts:
            variant = rng.random()
            name = f"www.{host}" if variant < 0.3 else f"blog.{host}" if variant < 0.4 else host
            rating = None if variant > 0.95 else rng.uniform(0, 95)
            page_links.append(ReferringDomain(name, rating, spam_score=rng.uniform(0, 80)))
        links[url] = page_links
    target = "https://www.example.com/guide/topic"
    links[target] = [ReferringDomain(h, 50.0) for h in rng.sample(shared, 2_000)]
    return GapInput("benchmark keyword", target, serp, links)


def baseline(data: GapInput) -> None:
    """Distinct raw hosts per page: a floor no analysis can go under."""
    for page_links in data.page_links.values():
        {link.domain for link in page_links}


def timed(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def cpu_timed(function: object, *args: object) -> float:
    """CPU seconds of this process: far less sensitive than wall time to a busy machine."""
    start = time.process_time()
    function(*args)  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    data = build_input()
    settings = GapSettings()
    cold_cpu_start = time.process_time()
    cold = timed(analyse, data, settings)
    cold_cpu = time.process_time() - cold_cpu_start
    warm = [timed(analyse, data, settings) for _ in range(5)]
    warm_cpu = [cpu_timed(analyse, data, settings) for _ in range(5)]
    floor = statistics.median(timed(baseline, data) for _ in range(5))
    report = analyse(data, settings)
    result = {
        "pages": PAGES,
        "referring_domains_per_page": RDS_PER_PAGE,
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cold_seconds": round(cold, 3),
        "cold_cpu_seconds": round(cold_cpu, 3),
        "warm_median_seconds": round(statistics.median(warm), 3),
        "warm_median_cpu_seconds": round(statistics.median(warm_cpu), 3),
        "baseline_distinct_hosts_seconds": round(floor, 3),
        "warm_vs_baseline": round(statistics.median(warm) / floor, 1),
        "target_seconds": 0.5,
        "prospects": len(report.prospects),
        "entry_target": report.entry_target,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
