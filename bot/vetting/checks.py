"""The six checks of a proposed placement and ``vet``, which runs them all (DESIGN section 3).

Each check is a pure function that returns a verdict and one sentence a
marketer can act on; the placement's verdict is the worst of them. The edges
bring the evidence (provider signals, the fetched page, the campaign's
history); nothing here fetches, stores or reads the clock.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from bot.gap.domains import registrable_domain, split_domain
from bot.gap.junk_names import JunkNames
from bot.gap.models import ReferringDomain
from bot.gap.quality import junk_filter_for
from bot.gap.settings import GapSettings
from bot.gap.urls import host_of, is_homepage, normalise_url
from bot.vetting.anchors import classify_anchor, exact_share
from bot.vetting.models import (
    CHECK_NAMES,
    AnchorClass,
    CampaignContext,
    CheckResult,
    PageEvidence,
    Placement,
    PlacementType,
    ProspectSignals,
    VettingResult,
    worst,
)
from bot.vetting.relevance import has_text, relevance
from bot.vetting.settings import DEFAULT_PLACEMENT_VERDICTS, VettingSettings
from bot.vetting.validation import validate_placement


def vet(
    placement: Placement,
    campaign: CampaignContext,
    signals: ProspectSignals,
    page: PageEvidence,
    settings: VettingSettings | None = None,
) -> VettingResult:
    """Judge one proposed placement; ``BadInput`` when the proposal itself is malformed."""
    settings = settings or VettingSettings()
    placement = validate_placement(placement)
    anchor_class = classify_anchor(
        placement.anchor, campaign.keyword, campaign.brand_terms, settings.generic_anchors
    )
    results = {
        "domain-quality": check_domain_quality(placement.prospect_url, signals, settings),
        "new-referring-domain": check_new_referring_domain(placement, campaign, signals),
        "topical-fit": check_topical_fit(page, campaign, settings),
        "editorial-context": check_editorial_context(placement.placement_type, settings),
        "page-relevance": check_page_relevance(placement.target_url, anchor_class, campaign),
        "anchor": check_anchor(anchor_class, placement.target_url, campaign, settings),
    }
    checks = tuple(results[name] for name in CHECK_NAMES)
    return VettingResult(worst([c.verdict for c in checks]), anchor_class, checks)


def prospect_domain(url: str) -> str:
    """The registrable domain of a prospect URL, host or domain."""
    return registrable_domain(host_of(url))


# --- domain quality ---------------------------------------------------------------------


def check_domain_quality(
    prospect_url: str, signals: ProspectSignals, settings: VettingSettings
) -> CheckResult:
    """Junk names and provider spam fail; then the domain rating decides; no traffic warns.

    The name rules are the gap analysis's junk filter (``bot.gap.quality``) with
    the campaign's lists, so a domain that is junk in an analysis is junk here.
    """
    domain = prospect_domain(prospect_url)
    junk = _name_junk(domain, settings)
    if junk is not None:
        return CheckResult("domain-quality", "fail", junk)
    if signals.is_spam:
        return _fail_quality(f"The data provider flags {domain} as spam")
    if signals.spam_score is not None and signals.spam_score >= settings.spam_score_limit:
        return _fail_quality(
            f"Spam score {_num(signals.spam_score)} is at or above the limit of "
            f"{_num(settings.spam_score_limit)}: links from {domain} can do harm"
        )
    rating = signals.domain_rating
    no_traffic = signals.organic_traffic is not None and signals.organic_traffic <= 0
    traffic_note = "it gets no organic search traffic, a common sign of a link farm"
    if rating is not None and rating < settings.min_domain_rating:
        return _fail_quality(
            f"DR {_num(rating)}: a very weak site; links from it count for nothing"
        )
    if rating is None:
        reason = "Unrated: the provider has no domain rating for this site, so check it by hand"
        return _warn_quality(f"{reason}, and {traffic_note}" if no_traffic else reason)
    if rating < settings.pass_domain_rating:
        reason = f"DR {_num(rating)}: a weak site; links from it count for little"
        return _warn_quality(f"{reason}, and {traffic_note}" if no_traffic else reason)
    if no_traffic:
        return _warn_quality(f"DR {_num(rating)}, but {traffic_note}")
    return CheckResult("domain-quality", "pass", f"DR {_num(rating)}: an established site")


def _name_junk(domain: str, settings: VettingSettings) -> str | None:
    gap_settings = GapSettings(
        junk_patterns=settings.junk_patterns,
        spam_suffixes=settings.spam_suffixes,
        blocklist=settings.blocklist,
        min_domain_rating=0.0,
    )
    junk = junk_filter_for(gap_settings).page_domains([ReferringDomain(domain)]).junk
    if "blocklist" in junk:
        return f"{domain} is on the campaign's blocklist"
    if "junk-pattern" in junk:
        name = domain[: -len(split_domain(domain)[1]) - 1] or domain
        pattern = JunkNames(settings.junk_patterns).match(name) or ""
        return (
            f"The name {domain} matches the junk word '{pattern}', "
            "a mark of link farms and SEO tools"
            if pattern
            else f"The name {domain} looks like a link farm or an SEO tool"
        )
    if "spam-suffix" in junk:
        suffix = split_domain(domain)[1].rsplit(".", 1)[-1]
        return f"Sites ending in .{suffix} are mostly spam; a link from {domain} can do harm"
    return None


def _fail_quality(reason: str) -> CheckResult:
    return CheckResult("domain-quality", "fail", reason)


def _warn_quality(reason: str) -> CheckResult:
    return CheckResult("domain-quality", "warn", reason)


# --- new referring domain ---------------------------------------------------------------


def check_new_referring_domain(
    placement: Placement, campaign: CampaignContext, signals: ProspectSignals
) -> CheckResult:
    """Only a site that does not link to the target page yet adds a referring domain.

    Two sources say it already does: the provider (``signals.links_to_target``)
    and the campaign's own approved or live placements from the same domain to
    the same page. A link from the campaign's own site is internal and fails:
    it is never a referring domain (DESIGN section 2.3).
    """
    domain = prospect_domain(placement.prospect_url)
    if domain == prospect_domain(campaign.site):
        return CheckResult(
            "new-referring-domain",
            "fail",
            "The prospect is on your own site: an internal link, not a referring domain",
        )
    if signals.links_to_target:
        return CheckResult(
            "new-referring-domain",
            "warn",
            "This site already links to the target page: it adds no new referring domain",
        )
    target = normalise_url(placement.target_url)
    for prior in campaign.placements:
        if (
            prospect_domain(prior.prospect_domain) == domain
            and normalise_url(prior.target_url) == target
        ):
            return CheckResult(
                "new-referring-domain",
                "warn",
                "The campaign already has a placement on this site to the same page: "
                "it adds no new referring domain",
            )
    return CheckResult(
        "new-referring-domain",
        "pass",
        f"{domain} does not link to the target page yet: a new referring domain",
    )


# --- topical fit ------------------------------------------------------------------------


def check_topical_fit(
    page: PageEvidence, campaign: CampaignContext, settings: VettingSettings
) -> CheckResult:
    """The prospect page's relevance to the keyword and topic terms; unknown warns."""
    if not page.fetched:
        why = f" ({page.error.rstrip('.')})" if page.error else ""
        return CheckResult(
            "topical-fit", "warn", f"The page could not be fetched{why}, so its topic is unknown"
        )
    if not has_text(page):
        return CheckResult(
            "topical-fit", "warn", "The page has no readable text, so its topic is unknown"
        )
    score = relevance(page, campaign.keyword, campaign.topic_terms)
    return topical_fit_result(score, campaign.keyword, settings)


def topical_fit_result(score: float, keyword: str, settings: VettingSettings) -> CheckResult:
    """The verdict for a relevance score against the campaign's thresholds."""
    shown = Decimal(str(score)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    if score >= settings.pass_topical_fit:
        return CheckResult("topical-fit", "pass", f"Relevance {shown}: the page is about {keyword}")
    if score >= settings.min_topical_fit:
        return CheckResult(
            "topical-fit",
            "warn",
            f"Relevance {shown}: the page only touches on {keyword}, "
            "so the link counts for less than one from a page on the topic",
        )
    return CheckResult(
        "topical-fit",
        "fail",
        f"Relevance {shown}: the page is off-topic for {keyword}, so the link looks unnatural",
    )


# --- editorial context ------------------------------------------------------------------

_PLACEMENT_REASONS: dict[PlacementType, str] = {
    "in-content": "An in-content link sits in the article's text, where editorial links count most",
    "author-bio": "Author-bio links are the mark of guest posts and count for less than links "
    "in the text",
    "sidebar": "Sidebar links repeat on every page and are rarely editorial",
    "unknown": "The placement is not known; check that the link sits in the article's text",
    "footer": "Footer links are rarely editorial and often ignored",
    "comment": "Comment links are user-generated, usually nofollow, and carry almost no weight",
    "directory": "Directory listings are not recommendations and can look like a link scheme",
}


def check_editorial_context(
    placement_type: PlacementType, settings: VettingSettings
) -> CheckResult:
    """Where on the page the link sits, by the campaign's placement table."""
    default = DEFAULT_PLACEMENT_VERDICTS[placement_type]
    verdict = settings.placement_verdicts.get(placement_type, default)
    reason = _PLACEMENT_REASONS[placement_type]
    if verdict != default:
        reason = f"{reason}, but this campaign's settings make it a {verdict}"
    return CheckResult("editorial-context", verdict, reason)


# --- page relevance ---------------------------------------------------------------------


def check_page_relevance(
    target_url: str, anchor_class: AnchorClass, campaign: CampaignContext
) -> CheckResult:
    """Links count most when they point at the page the campaign wants to rank.

    Decided in this order: off the campaign's site fails; the campaign's target
    page passes (even when it is the homepage); the homepage passes with a brand
    or naked-URL anchor, the way real sites link to a homepage, and warns with
    any other anchor; any other inner page warns.
    """
    site = prospect_domain(campaign.site)
    if prospect_domain(target_url) != site:
        return CheckResult(
            "page-relevance",
            "fail",
            f"The link points off {site}, the campaign's site, so it does nothing for it",
        )
    if normalise_url(target_url) == normalise_url(campaign.target_url):
        return CheckResult(
            "page-relevance", "pass", "The link points at the page the campaign wants to rank"
        )
    if is_homepage(target_url):
        if anchor_class in ("brand", "naked-url"):
            return CheckResult(
                "page-relevance",
                "pass",
                "A homepage link with the brand or address as anchor is natural "
                "and strengthens the whole site",
            )
        return CheckResult(
            "page-relevance",
            "warn",
            "A homepage link helps the target page only indirectly, and reads naturally "
            "only with the brand or address as anchor",
        )
    return CheckResult(
        "page-relevance",
        "warn",
        "The link points at another page of the site, not the campaign's target page, "
        "so it helps the target only indirectly",
    )


# --- anchor -----------------------------------------------------------------------------

_ANCHOR_REASONS: dict[AnchorClass, str] = {
    "naked-url": "A naked-URL anchor reads like a citation, which is natural",
    "brand": "A brand anchor is the most natural anchor there is",
    "partial": "A partial-match anchor names the topic without looking built",
    "generic": "A generic anchor is natural when the sentence around it explains the link",
    "other": "A descriptive anchor that is not the keyword looks natural",
}


def check_anchor(
    anchor_class: AnchorClass,
    target_url: str,
    campaign: CampaignContext,
    settings: VettingSettings,
) -> CheckResult:
    """Exact-match anchors are rationed; exact to the homepage fails; an empty anchor warns.

    Only an exact anchor can break the share rule: any other anchor lowers the share.
    """
    if anchor_class == "empty":
        return CheckResult(
            "anchor", "warn", "The anchor is empty, so the link tells readers nothing"
        )
    if anchor_class != "exact":
        return CheckResult("anchor", "pass", _ANCHOR_REASONS[anchor_class])
    if is_homepage(target_url):
        return CheckResult(
            "anchor",
            "fail",
            "An exact-match anchor to the homepage looks built; "
            "use the brand or the address for homepage links",
        )
    share = exact_share((p.anchor_class for p in campaign.placements), settings)
    size = settings.small_campaign_size
    most = settings.small_campaign_max_exact
    if share.small_campaign:
        if share.allowed:
            return CheckResult(
                "anchor",
                "pass",
                f"Exact-match anchor {share.exact} of the {most} allowed while the campaign "
                f"has fewer than {size} placements",
            )
        return CheckResult(
            "anchor",
            "fail",
            f"This would be exact-match anchor number {share.exact} while the campaign has "
            f"fewer than {size} placements; it allows {most}, so the anchors would look built",
        )
    percent = _percent(share.exact / share.total)
    limit = _percent(settings.exact_share_limit)
    if share.allowed:
        return CheckResult(
            "anchor",
            "pass",
            f"Exact-match anchors would be {share.exact} of {share.total} placements "
            f"({percent}), within the {limit} limit",
        )
    return CheckResult(
        "anchor",
        "fail",
        f"Exact-match anchors would be {share.exact} of {share.total} placements ({percent}), "
        f"over the {limit} limit that keeps the anchor profile natural",
    )


def _percent(share: float) -> str:
    """9.5%, 10%: one decimal only when it matters."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _num(value: float) -> str:
    """A rating as people write it: 18, 29.5."""
    return f"{value:g}"
