"""Context flags: the sentences that keep a link target honest (DESIGN 2.5).

A number alone invites link buying; these say when the page, the site or the
results page make the number rough or beside the point.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from bot.gap.models import Flag, PageAudit, ResultRow
from bot.gap.settings import GapSettings
from bot.gap.velocity import Velocity


def comparability_flags(
    rows: Sequence[ResultRow],
    own_position: int | None,
    entry_target: int | None,
    stretch_target: int | None,
    settings: GapSettings,
    entry_basis: Sequence[int] = (),
    entry_gap: int | None = None,
) -> list[Flag]:
    flags: list[Flag] = []
    page_one = [row for row in rows if row.position <= settings.page_one_size]
    comparable = [row for row in page_one if row.comparable]
    if stretch_target is None:
        flags.append(
            Flag(
                "too-few-comparable",
                f"Only {len(comparable)} of the top {len(page_one)} results "
                "are comparable pages, too few for an honest target. Review the results by hand.",
            )
        )
        return flags
    if own_position is None or own_position > settings.page_one_size:
        basis = ", ".join(f"#{position}" for position in entry_basis)
        flags.append(
            Flag(
                "not-on-page-one",
                "Your page is not on page one, so every comparable page-one result outranks "
                "it; the entry target is the median of the weakest of them"
                + (f" ({basis})." if basis else "."),
            )
        )
        if entry_gap == 0:
            flags.append(
                Flag(
                    "links-not-the-problem",
                    "Your page already has as many quality referring domains as the weakest "
                    "comparable pages that outrank it, yet it is not on page one: links are "
                    "not what holds it back. Check the search intent (the kind of page that "
                    "ranks), the page's depth next to theirs, and the internal links to it "
                    "from your own site.",
                )
            )
    elif entry_target is None:
        flags.append(
            Flag(
                "already-ahead",
                f"Your page (#{own_position}) already outranks every comparable page; "
                "there is no entry target. Aim for the stretch target.",
            )
        )
    page_type = sum(1 for row in page_one if row.excluded_reason == "page-type")
    if page_one and page_type * 2 >= len(page_one):
        flags.append(
            Flag(
                "page-type-mismatch",
                f"{page_type} of the top {len(page_one)} results are a different page type "
                "from yours; the search intent may want another kind of page, "
                "and more links won't fix a page that misses intent.",
            )
        )
    counts = [row.quality_referring_domains for row in comparable]
    if counts and max(counts) > settings.spread_ratio * max(min(counts), 1):
        flags.append(
            Flag(
                "mixed-serp",
                f"The strongest comparable page has {max(counts)} quality referring domains and "
                f"the weakest {min(counts)}: the results are mixed and the targets are rough.",
            )
        )
    return flags


def other_own_pages_flag(rows: Sequence[ResultRow], own_position: int | None) -> list[Flag]:
    others = [
        row for row in rows if row.excluded_reason == "own-site" and row.position != own_position
    ]
    if not others:
        return []
    where = ", ".join(f"#{row.position}" for row in others)
    return [
        Flag(
            "other-own-page",
            f"Another page of your site ranks for this keyword ({where}); make sure the two "
            "don't compete, and point internal links at the page you want to rank.",
        )
    ]


def site_strength_flag(
    own_rating: float | None, comparable_ratings: Sequence[float], settings: GapSettings
) -> list[Flag]:
    if own_rating is None or not comparable_ratings:
        return []
    typical = median(comparable_ratings)
    if own_rating >= settings.site_strength_ratio * typical:
        return []
    return [
        Flag(
            "site-strength",
            f"Your site's rating ({own_rating:g}) is below half the comparable sites' median "
            f"({typical:g}): a weaker site may need a better page or stronger links.",
        )
    ]


def audit_flags(audit: PageAudit | None, comparable_word_count: int | None) -> list[Flag]:
    if audit is None:
        return []
    if not audit.fetched:
        reason = f" ({audit.error})" if audit.error else ""
        return [
            Flag(
                "page-not-audited",
                f"Your page could not be fetched for the audit{reason}; check it by hand.",
            )
        ]
    flags: list[Flag] = []
    missing = [
        name
        for name, present in (("title", audit.keyword_in_title), ("H1", audit.keyword_in_h1))
        if present is False
    ]
    if missing:
        flags.append(
            Flag(
                "keyword-missing",
                f"The keyword is missing from your page's {' and '.join(missing)}; "
                "more links won't fix a page that misses intent.",
            )
        )
    if (
        audit.word_count is not None
        and comparable_word_count
        and audit.word_count * 2 < comparable_word_count
    ):
        flags.append(
            Flag(
                "thin-content",
                f"Your page has {audit.word_count} words, under half the comparable pages' "
                f"median ({comparable_word_count}); the raw link gap understates the problem.",
            )
        )
    if audit.internal_links == 0:
        flags.append(
            Flag(
                "no-internal-links",
                "Your page has no links to the rest of your site; external links work better "
                "when internal structure supports the page.",
            )
        )
    return flags


def timeline_flag(
    entry_gap: int | None, velocity: Velocity | None, eta_days: int | None
) -> list[Flag]:
    if velocity is None or entry_gap is None:
        return []
    pace = f"{velocity.per_30_days:.1f} new quality referring domains per 30 days"
    if entry_gap == 0:
        return [Flag("timeline", f"Entry target reached; current pace {pace}.")]
    if eta_days is None:
        return [
            Flag(
                "timeline",
                f"No net growth in quality referring domains over the last {velocity.span_days} "
                "days; at this pace the gap won't close.",
            )
        ]
    return [
        Flag(
            "timeline",
            f"At the current pace ({pace}) the entry gap of {entry_gap} closes in about "
            f"{eta_days} days.",
        )
    ]
