"""How internal support reads in a report, the same words in the terminal and in Slack."""

from __future__ import annotations

from bot.gap.internal_support import InternalSupport

#: Opportunities a report shows; the JSON and ``--json`` carry all of them.
SHOWN_OPPORTUNITIES = 3


def support_headline(support: InternalSupport) -> str:
    """``internal support: 7 pages link here (of 42 crawled)``, and ``, weak`` when it is."""
    count = len(support.linking_pages)
    pages = "page links" if count == 1 else "pages link"
    weak = " — weak" if support.weak else ""
    return f"internal support: {count:,} {pages} here (of {support.pages_crawled:,} crawled){weak}"


def more_opportunities(support: InternalSupport, where: str) -> str | None:
    """``…and 2 more pages that could link here (where)`` when the report leaves some out."""
    more = len(support.opportunities) - SHOWN_OPPORTUNITIES
    if more <= 0:
        return None
    pages = "page" if more == 1 else "pages"
    return f"…and {more:,} more {pages} that could link here ({where})"
