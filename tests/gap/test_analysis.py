from __future__ import annotations

from datetime import date, timedelta

from bot.gap.analysis import analyse
from bot.gap.models import GapInput, PageAudit, RdSnapshot, ReferringDomain, SerpResult
from bot.gap.settings import GapSettings
from tests.gap.factories import good, junk, serp

TARGET = "https://www.example.com/trail-shoes"
TODAY = date(2026, 11, 24)


def codes(report: object) -> list[str]:
    return [flag.code for flag in report.flags]  # type: ignore[attr-defined]


def test_target_url_variants_in_provider_answers_match_the_target() -> None:
    results = serp("https://a.com/x", "https://b.com/x", "http://example.com/trail-shoes/")
    links = {
        "https://a.com/x": good("a", 10),
        "https://b.com/x": good("b", 20),
        "http://example.com/trail-shoes/": good("own", 4),
    }
    report = analyse(GapInput("kw", TARGET, results, links), GapSettings())
    assert report.own.position == 3
    assert report.own.quality_referring_domains == 4
    assert report.results[2].excluded_reason == "own-site"


def test_ad_click_parameters_in_the_serp_and_the_own_url_do_not_make_another_page() -> None:
    # Google appends srsltid to shop results; the user pastes their URL from an ad click.
    own_url = TARGET + "?gclid=Cj0KCQiA&gad_source=1"
    results = serp("https://a.com/x?utm_source=x", "https://b.com/x", TARGET + "?srsltid=AfmBO")
    links = {
        "https://a.com/x": good("a", 10),
        "https://b.com/x?fbclid=IwAR": good("b", 20),
        TARGET + "?srsltid=AfmBO": good("own", 4),
    }
    report = analyse(GapInput("kw", own_url, results, links), GapSettings())
    assert report.own.position == 3
    assert report.own.quality_referring_domains == 4
    assert [row.referring_domains for row in report.results] == [10, 20, 4]


def test_the_own_page_lists_every_referring_domain_junk_included_but_not_its_own_site() -> None:
    links = {TARGET: [*good("ok", 2), *junk("weak", 1), ReferringDomain("blog.example.com", 50)]}
    report = analyse(GapInput("kw", TARGET, serp("https://a.com/x"), links), GapSettings())
    assert report.own.referring_domain_names == ("ok0.com", "ok1.com", "weak0.net")
    assert report.own.quality_domains == ("ok0.com", "ok1.com")


def test_fewer_than_two_comparable_results_give_null_targets_and_say_so() -> None:
    results = serp("https://www.amazon.com/x", "https://en.wikipedia.org/wiki/X", "https://c.com/x")
    report = analyse(GapInput("kw", TARGET, results, {}), GapSettings())
    assert (report.entry_target, report.stretch_target, report.entry_gap, report.stretch_gap) == (
        None, None, None, None,
    )  # fmt: skip
    assert codes(report) == ["too-few-comparable"]
    assert "Only 1 of the top 3" in report.flags[0].message


def test_target_already_ahead_keeps_only_the_stretch_target() -> None:
    results = serp(TARGET, "https://a.com/x", "https://b.com/x")
    links = {
        "https://a.com/x": good("a", 30),
        "https://b.com/x": good("b", 10),
        TARGET: good("o", 5),
    }
    report = analyse(GapInput("kw", TARGET, results, links), GapSettings())
    assert report.entry_target is None
    assert report.entry_gap is None
    assert report.stretch_target == 20  # positions 2 and 3: 30 and 10
    assert report.stretch_gap == 15
    assert "already-ahead" in codes(report)


def test_target_not_ranking_is_flagged_and_uses_all_comparable_results() -> None:
    results = serp("https://a.com/x", "https://b.com/x", "https://c.com/x", "https://d.com/x")
    links = {
        f"https://{c}.com/x": good(c, n) for c, n in zip("abcd", (40, 10, 20, 30), strict=True)
    }
    report = analyse(GapInput("kw", TARGET, results, links), GapSettings())
    assert report.own.position is None
    assert report.entry_target == 20  # weakest three: 10, 20, 30
    assert report.stretch_target == 20  # positions 1-3: 40, 10, 20
    assert "not-on-page-one" in codes(report)
    note = next(flag.message for flag in report.flags if flag.code == "not-on-page-one")
    # The note names the pages the figure comes from, and never says "every" result counts.
    assert note.endswith("the median of the weakest of them (#2, #3, #4).")
    assert "links-not-the-problem" not in codes(report)  # gap 20: links are part of it


def test_an_unranked_page_with_no_entry_gap_is_told_links_are_not_what_holds_it_back() -> None:
    results = serp("https://a.com/x", "https://b.com/x", "https://c.com/x")
    links = {f"https://{c}.com/x": good(c, n) for c, n in zip("abc", (40, 10, 20), strict=True)}
    links[TARGET] = good("own", 25)  # entry target: median of 10, 20, 40 = 20; own 25
    report = analyse(GapInput("kw", TARGET, results, links), GapSettings())
    assert (report.own.position, report.entry_gap) == (None, 0)
    note = next(flag.message for flag in report.flags if flag.code == "links-not-the-problem")
    assert "links are not what holds it back" in note
    assert all(word in note for word in ("intent", "depth", "internal links"))


def test_mixed_serp_flag_when_the_strongest_has_over_ten_times_the_weakest() -> None:
    results = serp("https://a.com/x", "https://b.com/x")
    links = {"https://a.com/x": good("a", 111), "https://b.com/x": good("b", 11)}
    assert "mixed-serp" in codes(analyse(GapInput("kw", TARGET, results, links), GapSettings()))
    links["https://a.com/x"] = good("a", 110)
    assert "mixed-serp" not in codes(analyse(GapInput("kw", TARGET, results, links), GapSettings()))


def test_site_strength_flag_compares_with_half_the_comparable_median_rating() -> None:
    results = [
        SerpResult(1, "https://a.com/x", domain_rating=60),
        SerpResult(2, "https://b.com/x", domain_rating=70),
        SerpResult(3, "https://www.amazon.com/x", domain_rating=96),
    ]
    weak = analyse(GapInput("kw", TARGET, results, {}, own_domain_rating=32), GapSettings())
    assert "site-strength" in codes(weak)
    assert "(32)" in next(f.message for f in weak.flags if f.code == "site-strength")
    fair = analyse(GapInput("kw", TARGET, results, {}, own_domain_rating=33), GapSettings())
    assert "site-strength" not in codes(fair)


def test_another_own_page_ranking_is_flagged() -> None:
    results = serp("https://a.com/x", "https://example.com/blog/trail", "https://b.com/x")
    report = analyse(GapInput("kw", TARGET, results, {}), GapSettings())
    assert "other-own-page" in codes(report)
    assert report.own.position is None


def test_page_type_mismatch_when_most_results_are_homepages() -> None:
    results = serp(
        *(f"https://brand{i}.com/" for i in range(6)), "https://a.com/x", "https://b.com/x"
    )
    report = analyse(GapInput("kw", TARGET, results, {}), GapSettings())
    assert "page-type-mismatch" in codes(report)


def test_prospects_in_a_full_analysis_are_ranked_and_warm_marked() -> None:
    shared = [ReferringDomain("www.shared-a.com", 70), ReferringDomain("blog.shared-b.co.uk", 50)]
    results = serp("https://a.com/x", "https://b.com/x", "https://c.com/x")
    links = {
        "https://a.com/x": [*good("a", 3), *shared, ReferringDomain("spammy-seo.com", 80)],
        "https://b.com/x": [*good("b", 3), *shared, ReferringDomain("spammy-seo.com", 80)],
        "https://c.com/x": [*good("c", 3), shared[1], ReferringDomain("mine.com", 40)],
        TARGET: [ReferringDomain("mine.com", 40)],
    }
    site_links = [ReferringDomain("news.shared-a.com", 70)]
    report = analyse(GapInput("kw", TARGET, results, links, site_links=site_links), GapSettings())
    assert [(p.domain, p.competitors_linked, p.warm) for p in report.prospects] == [
        ("shared-b.co.uk", 3, False),
        ("shared-a.com", 2, True),
    ]
    assert report.prospects[0].domain_rating == 50


def test_velocity_and_eta_come_from_snapshot_history() -> None:
    results = serp("https://a.com/x", "https://b.com/x", "https://c.com/x")
    links = {
        "https://a.com/x": good("a", 60),
        "https://b.com/x": good("b", 40),
        "https://c.com/x": good("c", 50),
        TARGET: good("o", 20),
    }
    history = [
        RdSnapshot(TODAY - timedelta(days=120), 0),  # outside the 90-day window
        RdSnapshot(TODAY - timedelta(days=60), 10),
        RdSnapshot(TODAY - timedelta(days=30), 15),
    ]
    report = analyse(
        GapInput("kw", TARGET, results, links, history=history, today=TODAY), GapSettings()
    )
    # +10 quality RDs in 60 days = 5 per 30 days; entry gap = 50 - 20 = 30 -> 180 days.
    assert report.entry_gap == 30
    assert report.velocity_per_30_days == 5
    assert report.eta_days == 180
    assert "about 180 days" in next(f.message for f in report.flags if f.code == "timeline")


def test_no_timeline_with_under_two_weeks_of_history() -> None:
    history = [RdSnapshot(TODAY - timedelta(days=10), 0)]
    report = analyse(
        GapInput(
            "kw",
            TARGET,
            serp("https://a.com/x", "https://b.com/x"),
            {},
            history=history,
            today=TODAY,
        ),
        GapSettings(),
    )
    assert report.velocity_per_30_days is None
    assert "timeline" not in codes(report)


def test_audit_flags_for_a_page_that_misses_intent() -> None:
    results = serp("https://a.com/x", "https://b.com/x")
    audit = PageAudit(
        fetched=True, keyword_in_title=False, keyword_in_h1=True, word_count=300, internal_links=0
    )
    report = analyse(
        GapInput("kw", TARGET, results, {}, audit=audit, comparable_word_count=1500), GapSettings()
    )
    assert {"keyword-missing", "thin-content", "no-internal-links"} <= set(codes(report))
    unfetched = analyse(
        GapInput("kw", TARGET, results, {}, audit=PageAudit(fetched=False, error="timed out")),
        GapSettings(),
    )
    assert "page-not-audited" in codes(unfetched)
