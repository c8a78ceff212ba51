"""Each vetting check at each of its thresholds, and ``vet`` end to end."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.errors import BadInput
from bot.vetting.checks import (
    check_anchor,
    check_domain_quality,
    check_editorial_context,
    check_new_referring_domain,
    check_page_relevance,
    check_topical_fit,
    topical_fit_result,
    vet,
)
from bot.vetting.models import (
    CHECK_NAMES,
    PLACEMENT_TYPES,
    AnchorClass,
    CampaignContext,
    PageEvidence,
    Placement,
    PlacementType,
    PriorPlacement,
    ProspectSignals,
    Verdict,
    worst,
)
from bot.vetting.settings import VettingSettings, merge_vetting_settings

SETTINGS = VettingSettings()
TARGET = "https://www.ridgerunner.com/trail-shoes"
CAMPAIGN = CampaignContext(
    keyword="trail running shoes",
    site="ridgerunner.com",
    target_url=TARGET,
    brand_terms=("RidgeRunner",),
    topic_terms=("grip", "lugs", "cushioning"),
)
GOOD_PAGE = PageEvidence(
    True,
    "The best trail running shoes, tested",
    ("Grip and lugs", "Cushioning"),
    "We tested trail running shoes for grip, lugs and cushioning on muddy trails. " * 5,
)
PROSPECT = "https://www.dirtmiles.com/reviews/trail-shoes"


def placement(**changes: str) -> Placement:
    base = Placement(PROSPECT, TARGET, "RidgeRunner", "in-content")
    return replace(base, **changes)  # type: ignore[arg-type]


def prior(
    anchor_class: AnchorClass, domain: str = "other.com", target: str = TARGET
) -> PriorPlacement:
    return PriorPlacement(anchor_class, target, domain)


# --- domain quality ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "verdict"),
    [(0, "fail"), (9.9, "fail"), (10, "warn"), (18, "warn"), (29, "warn"), (29.9, "warn"),
     (30, "pass"), (85, "pass"), (100, "pass")],
)  # fmt: skip
def test_domain_rating_thresholds(rating: float, verdict: Verdict) -> None:
    result = check_domain_quality(PROSPECT, ProspectSignals(domain_rating=rating), SETTINGS)
    assert result.verdict == verdict
    assert f"DR {rating:g}" in result.reason


def test_a_weak_site_is_explained_in_marketing_words() -> None:
    result = check_domain_quality(PROSPECT, ProspectSignals(domain_rating=18), SETTINGS)
    assert result.reason == "DR 18: a weak site; links from it count for little"


def test_an_unrated_site_warns() -> None:
    result = check_domain_quality(PROSPECT, ProspectSignals(), SETTINGS)
    assert result.verdict == "warn"
    assert "Unrated" in result.reason


@pytest.mark.parametrize(
    ("rating", "traffic", "verdict"),
    [(45, 0, "warn"), (45, None, "pass"), (45, 10, "pass"), (18, 0, "warn"), (None, 0, "warn"),
     (5, 0, "fail")],
)  # fmt: skip
def test_zero_organic_traffic_warns_only_when_known(
    rating: float | None, traffic: float | None, verdict: Verdict
) -> None:
    signals = ProspectSignals(domain_rating=rating, organic_traffic=traffic)
    result = check_domain_quality(PROSPECT, signals, SETTINGS)
    assert result.verdict == verdict
    if traffic == 0 and verdict == "warn":
        assert "no organic search traffic" in result.reason


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://best-seo-tools.com/post", "'seo'"),
        ("https://www.freebacklinks.net/", "'*backlink*'"),
        ("https://blog.linkdirectory.co.uk/a", "'linkdir*'"),
        ("https://whoisguide.org/x", "'whois*'"),
        ("https://runners.xyz/p", ".xyz"),
        ("https://shoes.top/", ".top"),
        ("http://cheap.tk/", ".tk"),
    ],
)
def test_junk_names_and_spam_suffixes_fail_whatever_the_rating(url: str, fragment: str) -> None:
    result = check_domain_quality(url, ProspectSignals(domain_rating=80), SETTINGS)
    assert result.verdict == "fail"
    assert fragment in result.reason


@pytest.mark.parametrize(
    "url",
    [
        "https://www.museodelprado.es/coleccion",
        "https://visitseoul.net/",
        "https://seobythesea.com/",
    ],
)
def test_junk_letters_inside_another_word_do_not_fail_a_prospect(url: str) -> None:
    result = check_domain_quality(url, ProspectSignals(domain_rating=80), SETTINGS)
    assert result.verdict == "pass"


def test_the_blocklist_fails_every_host_of_the_domain() -> None:
    settings = merge_vetting_settings(SETTINGS, {"blocklist": ["dirtmiles.com"]})
    result = check_domain_quality(
        "https://news.dirtmiles.com/a", ProspectSignals(domain_rating=80), settings
    )
    assert result.verdict == "fail"
    assert "blocklist" in result.reason


@pytest.mark.parametrize(
    ("signals", "verdict"),
    [
        (ProspectSignals(domain_rating=80, is_spam=True), "fail"),
        (ProspectSignals(domain_rating=80, spam_score=60), "fail"),
        (ProspectSignals(domain_rating=80, spam_score=59.9), "pass"),
    ],
)
def test_provider_spam_fails(signals: ProspectSignals, verdict: Verdict) -> None:
    assert check_domain_quality(PROSPECT, signals, SETTINGS).verdict == verdict


def test_campaign_thresholds_move_the_domain_rating_bands() -> None:
    strict = merge_vetting_settings(SETTINGS, {"pass_domain_rating": 50, "min_domain_rating": 20})
    assert (
        check_domain_quality(PROSPECT, ProspectSignals(domain_rating=19), strict).verdict == "fail"
    )
    assert (
        check_domain_quality(PROSPECT, ProspectSignals(domain_rating=45), strict).verdict == "warn"
    )
    assert (
        check_domain_quality(PROSPECT, ProspectSignals(domain_rating=50), strict).verdict == "pass"
    )


# --- new referring domain ---------------------------------------------------------------


def test_a_site_that_does_not_link_yet_is_a_new_referring_domain() -> None:
    result = check_new_referring_domain(placement(), CAMPAIGN, ProspectSignals())
    assert result.verdict == "pass"


def test_a_site_already_linking_to_the_target_adds_no_new_referring_domain() -> None:
    result = check_new_referring_domain(
        placement(), CAMPAIGN, ProspectSignals(links_to_target=True)
    )
    assert result.verdict == "warn"
    assert result.reason == (
        "This site already links to the target page: it adds no new referring domain"
    )


def test_an_earlier_placement_from_the_same_domain_to_the_same_page_warns() -> None:
    campaign = replace(
        CAMPAIGN,
        placements=(prior("brand", "blog.dirtmiles.com", "http://ridgerunner.com/trail-shoes/"),),
    )
    assert check_new_referring_domain(placement(), campaign, ProspectSignals()).verdict == "warn"


def test_an_earlier_placement_from_the_same_domain_to_another_page_is_still_new() -> None:
    campaign = replace(
        CAMPAIGN, placements=(prior("brand", "dirtmiles.com", "https://ridgerunner.com/blog"),)
    )
    assert check_new_referring_domain(placement(), campaign, ProspectSignals()).verdict == "pass"


def test_a_link_from_the_campaigns_own_site_is_internal_and_fails() -> None:
    own = placement(prospect_url="https://blog.ridgerunner.com/post")
    result = check_new_referring_domain(own, CAMPAIGN, ProspectSignals())
    assert result.verdict == "fail"
    assert "internal link" in result.reason


# --- topical fit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "verdict"),
    [(0.0, "fail"), (0.099, "fail"), (0.0999999, "fail"), (0.10, "warn"), (0.18, "warn"),
     (0.249, "warn"), (0.2499999, "warn"), (0.25, "pass"), (0.9, "pass"), (1.0, "pass")],
)  # fmt: skip
def test_topical_fit_thresholds(score: float, verdict: Verdict) -> None:
    assert topical_fit_result(score, "crm software", SETTINGS).verdict == verdict


def test_the_shown_score_never_contradicts_the_verdict() -> None:
    assert "0.24" in topical_fit_result(0.249, "crm software", SETTINGS).reason
    assert "0.09" in topical_fit_result(0.099, "crm software", SETTINGS).reason


def test_campaign_thresholds_move_the_topical_fit_bands() -> None:
    settings = merge_vetting_settings(SETTINGS, {"pass_topical_fit": 0.4, "min_topical_fit": 0.2})
    assert topical_fit_result(0.3, "x", settings).verdict == "warn"
    assert topical_fit_result(0.19, "x", settings).verdict == "fail"


def test_an_unfetched_page_warns_topic_unknown() -> None:
    result = check_topical_fit(PageEvidence.not_fetched("timed out after 10 s"), CAMPAIGN, SETTINGS)
    assert result.verdict == "warn"
    assert result.reason == (
        "The page could not be fetched (timed out after 10 s), so its topic is unknown"
    )
    bare = check_topical_fit(PageEvidence(fetched=False), CAMPAIGN, SETTINGS)
    assert bare.reason == "The page could not be fetched, so its topic is unknown"


def test_a_fetched_page_without_text_warns_topic_unknown() -> None:
    result = check_topical_fit(PageEvidence(True, "", (), "   "), CAMPAIGN, SETTINGS)
    assert result.verdict == "warn"
    assert "no readable text" in result.reason


def test_on_topic_and_off_topic_pages() -> None:
    assert check_topical_fit(GOOD_PAGE, CAMPAIGN, SETTINGS).verdict == "pass"
    recipe = PageEvidence(True, "Sourdough bread", ("Method",), "Mix flour, water and salt. " * 20)
    assert check_topical_fit(recipe, CAMPAIGN, SETTINGS).verdict == "fail"


# --- editorial context ------------------------------------------------------------------

PLACEMENT_VERDICTS: dict[PlacementType, Verdict] = {
    "in-content": "pass",
    "author-bio": "warn",
    "sidebar": "warn",
    "unknown": "warn",
    "footer": "fail",
    "comment": "fail",
    "directory": "fail",
}


@pytest.mark.parametrize("placement_type", PLACEMENT_TYPES)
def test_every_placement_type_has_its_design_verdict(placement_type: PlacementType) -> None:
    result = check_editorial_context(placement_type, SETTINGS)
    assert result.verdict == PLACEMENT_VERDICTS[placement_type]
    assert result.reason.endswith(("most", "text", "editorial", "ignored", "weight", "scheme"))


def test_footer_reason_is_plain() -> None:
    assert check_editorial_context("footer", SETTINGS).reason == (
        "Footer links are rarely editorial and often ignored"
    )


def test_a_campaign_can_accept_author_bios() -> None:
    settings = merge_vetting_settings(SETTINGS, {"placement_verdicts": {"author-bio": "pass"}})
    result = check_editorial_context("author-bio", settings)
    assert result.verdict == "pass"
    assert "this campaign's settings make it a pass" in result.reason
    assert check_editorial_context("footer", settings).verdict == "fail"


# --- page relevance ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "anchor_class", "verdict"),
    [
        (TARGET, "exact", "pass"),
        ("http://ridgerunner.com/trail-shoes/", "other", "pass"),
        ("https://RidgeRunner.com/trail-shoes#top", "generic", "pass"),
        ("https://ridgerunner.com/", "brand", "pass"),
        ("https://www.ridgerunner.com", "naked-url", "pass"),
        ("https://ridgerunner.com/", "generic", "warn"),
        ("https://ridgerunner.com/", "partial", "warn"),
        ("https://ridgerunner.com/", "other", "warn"),
        ("https://ridgerunner.com/", "empty", "warn"),
        ("https://ridgerunner.com/", "exact", "warn"),
        ("https://ridgerunner.com/blog/how-to-lace", "brand", "warn"),
        ("https://shop.ridgerunner.com/trail-shoes/model-x", "partial", "warn"),
        ("https://ridgerunner.com/trail-shoes?colour=red", "partial", "warn"),
        ("https://competitor.com/trail-shoes", "brand", "fail"),
        ("https://ridgerunner.co.uk/trail-shoes", "brand", "fail"),
    ],
)
def test_page_relevance_cases(target: str, anchor_class: AnchorClass, verdict: Verdict) -> None:
    assert check_page_relevance(target, anchor_class, CAMPAIGN).verdict == verdict


def test_a_homepage_campaign_target_passes_with_any_anchor() -> None:
    campaign = replace(CAMPAIGN, target_url="https://ridgerunner.com")
    assert check_page_relevance("https://www.ridgerunner.com/", "other", campaign).verdict == "pass"


def test_the_campaign_site_may_be_given_as_a_url() -> None:
    campaign = replace(CAMPAIGN, site="https://www.ridgerunner.com/")
    assert check_page_relevance(TARGET, "brand", campaign).verdict == "pass"


# --- anchor -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor_class", "verdict"),
    [("naked-url", "pass"), ("brand", "pass"), ("partial", "pass"), ("generic", "pass"),
     ("other", "pass"), ("empty", "warn"), ("exact", "pass")],
)  # fmt: skip
def test_anchor_verdict_by_class_in_a_new_campaign(
    anchor_class: AnchorClass, verdict: Verdict
) -> None:
    assert check_anchor(anchor_class, TARGET, CAMPAIGN, SETTINGS).verdict == verdict


@pytest.mark.parametrize("anchor_class", ["naked-url", "brand", "partial", "generic", "other"])
def test_only_exact_anchors_fail_on_the_share(anchor_class: AnchorClass) -> None:
    campaign = replace(CAMPAIGN, placements=tuple(prior("exact") for _ in range(5)))
    assert check_anchor(anchor_class, TARGET, campaign, SETTINGS).verdict == "pass"


def test_exact_to_the_homepage_fails_even_in_a_new_campaign() -> None:
    result = check_anchor("exact", "https://ridgerunner.com/", CAMPAIGN, SETTINGS)
    assert result.verdict == "fail"
    assert "homepage" in result.reason


@pytest.mark.parametrize(
    ("prior_total", "prior_exact", "verdict"),
    [(0, 0, "pass"), (1, 0, "pass"), (1, 1, "fail"), (9, 0, "pass"), (9, 1, "fail"),
     (10, 0, "pass"), (10, 1, "fail"), (11, 1, "fail"), (19, 1, "pass"), (20, 1, "pass"),
     (20, 2, "fail"), (20, 0, "pass")],
)  # fmt: skip
def test_exact_anchor_share_over_the_campaign_history(
    prior_total: int, prior_exact: int, verdict: Verdict
) -> None:
    history = tuple(
        prior("exact" if i < prior_exact else "brand", f"site{i}.com") for i in range(prior_total)
    )
    result = check_anchor("exact", TARGET, replace(CAMPAIGN, placements=history), SETTINGS)
    assert result.verdict == verdict


def test_exact_share_reasons_give_the_numbers() -> None:
    history = tuple(prior("exact" if i < 2 else "brand") for i in range(20))
    result = check_anchor("exact", TARGET, replace(CAMPAIGN, placements=history), SETTINGS)
    assert result.reason == (
        "Exact-match anchors would be 3 of 21 placements (14.3%), "
        "over the 10% limit that keeps the anchor profile natural"
    )
    small = replace(CAMPAIGN, placements=(prior("exact"), prior("brand")))
    assert "number 2" in check_anchor("exact", TARGET, small, SETTINGS).reason


# --- the verdict ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [([], "pass"), (["pass"], "pass"), (["pass", "warn"], "warn"),
     (["warn", "fail", "pass"], "fail"), (["fail"], "fail"), (["warn", "warn"], "warn")],
)  # fmt: skip
def test_the_verdict_is_the_worst_check(verdicts: list[Verdict], expected: Verdict) -> None:
    assert worst(verdicts) == expected


def test_a_good_placement_passes_every_check() -> None:
    result = vet(
        placement(), CAMPAIGN, ProspectSignals(domain_rating=55, organic_traffic=1200), GOOD_PAGE
    )
    assert [c.name for c in result.checks] == list(CHECK_NAMES)
    assert {c.verdict for c in result.checks} == {"pass"}
    assert result.verdict == "pass"
    assert result.anchor_class == "brand"


def test_one_warning_makes_the_placement_warn() -> None:
    result = vet(
        placement(placement_type="author-bio"),
        CAMPAIGN,
        ProspectSignals(domain_rating=55),
        GOOD_PAGE,
    )
    assert result.verdict == "warn"
    assert result.check("editorial-context").verdict == "warn"


def test_one_failure_fails_the_placement_whatever_else_passes() -> None:
    result = vet(
        placement(placement_type="footer"), CAMPAIGN, ProspectSignals(domain_rating=90), GOOD_PAGE
    )
    assert result.verdict == "fail"
    assert [c.name for c in result.checks if c.verdict != "pass"] == ["editorial-context"]


def test_vet_classifies_with_the_campaigns_generic_list() -> None:
    settings = merge_vetting_settings(SETTINGS, {"generic_anchors": ["zum artikel"]})
    result = vet(
        placement(anchor="Zum Artikel"), CAMPAIGN, ProspectSignals(55), GOOD_PAGE, settings
    )
    assert result.anchor_class == "generic"


def test_check_lookup_by_name() -> None:
    result = vet(placement(), CAMPAIGN, ProspectSignals(55), GOOD_PAGE)
    with pytest.raises(KeyError):
        result.check("nonsense")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [
        {"prospect_url": "ftp://dirtmiles.com/x"},
        {"prospect_url": "dirtmiles.com/x"},
        {"target_url": "javascript:alert(1)"},
        {"anchor": "x" * 301},
        {"placement_type": "header"},
    ],
)
def test_vet_refuses_malformed_proposals(bad: dict[str, str]) -> None:
    with pytest.raises(BadInput):
        vet(placement(**bad), CAMPAIGN, ProspectSignals(55), GOOD_PAGE)
