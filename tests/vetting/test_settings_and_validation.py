"""Per-campaign vetting settings and the refusals at the edge."""

from __future__ import annotations

import pytest

from bot.errors import BadInput
from bot.vetting.models import PLACEMENT_TYPES, Placement, Proposal, anchor_class_named
from bot.vetting.settings import VettingSettings, merge_vetting_settings
from bot.vetting.validation import (
    ProposalError,
    parse_placement_type,
    validate_anchor,
    validate_placement,
    validate_proposal,
)


def test_defaults_are_designs() -> None:
    settings = VettingSettings()
    assert (settings.min_domain_rating, settings.pass_domain_rating) == (10, 30)
    assert (settings.min_topical_fit, settings.pass_topical_fit) == (0.10, 0.25)
    assert settings.exact_share_limit == 0.10
    assert settings.small_campaign_size == 10
    assert settings.small_campaign_max_exact == 1
    assert "seo" in settings.junk_patterns
    assert "xyz" in settings.spam_suffixes
    for phrase in ("click here", "here", "read more", "this article", "this guide", "website",
                   "source", "learn more", "link"):  # fmt: skip
        assert phrase in settings.generic_anchors
    assert set(settings.placement_verdicts) == set(PLACEMENT_TYPES)


def test_overrides_apply_in_order_and_normalise() -> None:
    settings = merge_vetting_settings(
        VettingSettings(),
        {"pass_domain_rating": "40", "blocklist": " Spam.com , .bad.org,,"},
        None,
        {"pass_domain_rating": 35, "generic_anchors": ["Zum  Artikel", "hier"]},
    )
    assert settings.pass_domain_rating == 35
    assert settings.blocklist == ("spam.com", "bad.org")
    assert settings.generic_anchors == ("zum artikel", "hier")


def test_unknown_keys_are_refused_with_the_known_ones() -> None:
    with pytest.raises(BadInput, match=r"Unknown vetting setting 'min_dr'.*pass_domain_rating"):
        merge_vetting_settings(VettingSettings(), {"min_dr": 5})


@pytest.mark.parametrize(
    "override",
    [
        {"pass_domain_rating": 101},
        {"min_domain_rating": -1},
        {"pass_topical_fit": 25},
        {"exact_share_limit": 1.5},
        {"small_campaign_size": 0},
        {"small_campaign_max_exact": 1.5},
        {"spam_score_limit": "lots"},
        {"pass_domain_rating": True},
        {"min_domain_rating": 40},  # above the pass bar of 30
        {"min_topical_fit": 0.3},  # above the pass bar of 0.25
        {"placement_verdicts": "footer=pass"},
        {"placement_verdicts": {"header": "pass"}},
        {"placement_verdicts": {"footer": "ok"}},
    ],
)
def test_bad_values_are_refused(override: dict[str, object]) -> None:
    with pytest.raises(BadInput):
        merge_vetting_settings(VettingSettings(), override)


def test_placement_verdicts_merge_type_by_type() -> None:
    settings = merge_vetting_settings(
        VettingSettings(), {"placement_verdicts": {"Sidebar": "FAIL"}}
    )
    assert settings.placement_verdicts["sidebar"] == "fail"
    assert settings.placement_verdicts["in-content"] == "pass"
    assert VettingSettings().placement_verdicts["sidebar"] == "warn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("in-content", "in-content"), ("In Content", "in-content"), ("author_bio", "author-bio"),
     (" FOOTER ", "footer"), ("unknown", "unknown")],
)  # fmt: skip
def test_placement_types_forgive_case_and_separators(text: str, expected: str) -> None:
    assert parse_placement_type(text) == expected


def test_an_unknown_placement_type_lists_the_valid_ones() -> None:
    with pytest.raises(BadInput, match="in-content, author-bio, sidebar, footer, comment"):
        parse_placement_type("header")


def test_anchor_length_limit() -> None:
    assert validate_anchor("x" * 300) == "x" * 300
    with pytest.raises(BadInput, match="301 characters"):
        validate_anchor("x" * 301)


def test_validate_placement_trims_urls_and_keeps_the_anchor() -> None:
    result = validate_placement(
        Proposal(" https://a.com/x ", "https://b.com/y", " Acme ", "Author Bio")
    )
    assert result == Placement("https://a.com/x", "https://b.com/y", " Acme ", "author-bio")


@pytest.mark.parametrize("url", ["", "a.com/x", "ftp://a.com", "https://", "https://localhost/x"])
def test_the_prospect_must_be_an_http_url(url: str) -> None:
    with pytest.raises(BadInput, match="prospect URL"):
        validate_placement(Placement(url, "https://b.com/y", "Acme", "in-content"))


@pytest.mark.parametrize(
    "host",
    [
        "169.254.169.254",
        "2852039166",
        "0251.0376.0251.0376",
        "0xa9fea9fe",
        "0xa9.0xfe.0xa9.0xfe",
        "127.1",
        "[::1]",
        "[::ffff:169.254.169.254]",
        "[64:ff9b::a9fe:a9fe]",
    ],
)
def test_a_prospect_on_an_ip_address_in_any_spelling_is_refused(host: str) -> None:
    with pytest.raises(ProposalError, match="is an IP address") as raised:
        validate_proposal(Placement(f"http://{host}/x", "https://b.com/y", "Acme"))
    assert set(raised.value.errors) == {"prospect_url"}


@pytest.mark.parametrize("host", ["localhost", "intranet.corp", "co.uk", "printer.local"])
def test_a_prospect_must_be_under_a_public_suffix(host: str) -> None:
    with pytest.raises(ProposalError, match="host name"):
        validate_proposal(Placement(f"https://{host}/x", "https://b.com/y", "Acme"))


def test_a_prospect_on_the_targets_own_site_is_refused() -> None:
    # blog.example.co.uk and www.example.co.uk are one registrable domain, example.co.uk.
    with pytest.raises(ProposalError, match=r"on your own site \(example\.co\.uk\)"):
        validate_proposal(
            Placement("https://blog.example.co.uk/x", "https://www.example.co.uk/y", "Acme")
        )


def test_the_anchor_is_required() -> None:
    with pytest.raises(ProposalError, match="anchor text is missing") as raised:
        validate_proposal(Placement("https://a.com/x", "https://b.com/y", "  "))
    assert set(raised.value.errors) == {"anchor"}


@pytest.mark.parametrize(
    ("typed", "stored"), [("Author Bio", "author-bio"), ("in content", "in-content")]
)
def test_a_proposal_takes_multi_word_placement_types(typed: str, stored: str) -> None:
    placement = validate_proposal(Proposal("https://a.com/x", "https://b.com/y", "Acme", typed))
    assert placement.placement_type == stored


def test_a_stored_anchor_class_is_read_back_and_an_unknown_one_refused() -> None:
    assert anchor_class_named("partial") == "partial"
    with pytest.raises(ValueError, match="'exact-match' is not an anchor class"):
        anchor_class_named("exact-match")


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(ProposalError) as raised:
        validate_proposal(Proposal("http://10.0.0.1/x", "ftp://b.com/y", "", "popup"))
    assert set(raised.value.errors) == {"prospect_url", "target_url", "anchor", "placement_type"}
