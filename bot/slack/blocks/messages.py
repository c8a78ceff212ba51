"""Block Kit messages: Python builds plain context, the templates in ``templates/`` hold the JSON.

Every list that can grow (results, prospects, flags) is cut to fit Slack's
limits with "…and N more", and every outside string goes through the
templates' mrkdwn escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.gap.internal_support import InternalSupport
from bot.gap.models import GapReport
from bot.report.internal_support import (
    SHOWN_OPPORTUNITIES,
    more_opportunities,
    support_headline,
)
from bot.report.outcome import GapOutcome
from bot.report.plan_view import plan_view_of
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link, render_blocks
from bot.slack.blocks.plan_blocks import PROPOSE_ACTION, SHOWN_ENTRIES, plan_context

TOP_PROSPECTS = 10
URL_WIDTH = 44
_SHORT_REASONS = {
    None: "yes",
    "own-site": "you",
    "platform": "no: platform",
    "gov-edu": "no: gov/edu",
    "page-type": "no: page type",
}


def compact_url(url: str, width: int = URL_WIDTH) -> str:
    """The URL as people say it (no scheme, no ``www.``), cut to ``width``."""
    bare = url.split("://", 1)[-1]
    bare = bare[4:] if bare.startswith("www.") else bare
    return bare if len(bare) <= width else bare[: width - 1] + "…"


def count_text(value: int | None) -> str:
    """A count as Slack shows it: thousands separators, a dash when unknown."""
    return "–" if value is None else f"{value:,}"


def _rating(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _target_text(target: int | None, gap: int | None, basis: Sequence[int], why_none: str) -> str:
    if target is None:
        return why_none
    from_positions = ", ".join(f"#{p}" for p in basis)
    return f"{target:,} quality referring domains\ngap {gap:,}" + (
        f"\nfrom {from_positions}" if from_positions else ""
    )


#: Longest result URL linked in the list; ten links must fit one 3,000-character section.
MAX_RESULT_LINK = 180


def results_table(report: GapReport) -> Mrkdwn:
    """One line per result, the page a clickable link (outside any code block)."""
    lines = []
    for row in report.results:
        label = compact_url(row.url)
        page = link(row.url, label) if len(row.url) <= MAX_RESULT_LINK else Mrkdwn(escape(label))
        status = _SHORT_REASONS.get(row.excluded_reason, "no")
        lines.append(
            f"`#{row.position}` {page} · {row.referring_domains:,} RDs · "
            f"*{row.quality_referring_domains:,}* quality · comparable: {status}"
        )
    return Mrkdwn("\n".join(lines))


def prospects_text(report: GapReport, limit: int = TOP_PROSPECTS) -> Mrkdwn:
    if not report.prospects:
        return Mrkdwn("No domain links to two or more comparable competitors but not to you.")
    lines = [
        f"• {escape(p.domain)} · {p.competitors_linked:,} competitors"
        f" · DR {_rating(p.domain_rating)}" + (" · _warm_" if p.warm else "")
        for p in report.prospects[:limit]
    ]
    more = len(report.prospects) - limit
    if more > 0:
        lines.append(f"…and {more:,} more in the attached CSV")
    return Mrkdwn("\n".join(lines))


def gap_report_blocks(outcome: GapOutcome, *, min_competitors: int = 2) -> list[dict[str, Any]]:
    report = outcome.report
    own = report.own
    position = f"position #{own.position}" if own.position is not None else "not in the top 10"
    own_line = (
        f"{position} · {own.quality_referring_domains:,} quality referring domains "
        f"({own.referring_domains:,} in all) · domain rating {_rating(own.domain_rating)}"
    )
    no_entry = (
        "none: too few comparable results"
        if report.stretch_target is None
        else "none: you already outrank every comparable page"
    )
    return render_blocks(
        "gap_report.json.j2",
        header=f"Link gap: {report.keyword}",
        sample_data=outcome.sample_data,
        page_link=link(report.target_url, compact_url(report.target_url, 80)),
        own_line=own_line,
        entry_text=_target_text(
            report.entry_target, report.entry_gap, report.entry_basis, no_entry
        ),
        stretch_text=_target_text(
            report.stretch_target,
            report.stretch_gap,
            report.stretch_basis,
            "none: too few comparable results",
        ),
        results_table=results_table(report),
        min_competitors=min_competitors,
        prospects_text=prospects_text(report),
        internal_support_text=internal_support_text(report.internal_support),
        plan=plan_context(plan_view_of(report, shown=SHOWN_ENTRIES)),
        propose_action=PROPOSE_ACTION,
        flags_text=Mrkdwn("\n".join(f"• {escape(flag.message)}" for flag in report.flags)),
        footer=outcome.context_line(),
    )


def gap_report_text(outcome: GapOutcome) -> str:
    """The notification / fallback text of the report (plain, escaped)."""
    report = outcome.report
    if report.entry_target is None:
        return escape(
            f"Link gap for “{report.keyword}”: stretch target {count_text(report.stretch_target)}"
        )
    return escape(
        f"Link gap for “{report.keyword}”: entry target {count_text(report.entry_target)} "
        f"(gap {count_text(report.entry_gap)}), stretch target {count_text(report.stretch_target)} "
        f"(gap {count_text(report.stretch_gap)})"
    )


def progress_blocks(
    keyword: str, target_url: str, user_id: str, stage: str | None = None
) -> list[dict[str, Any]]:
    """The "analysing…" message; ``stage`` says what the job is doing now (the crawl)."""
    return render_blocks(
        "progress.json.j2",
        keyword=keyword,
        page_link=link(target_url, compact_url(target_url, 80)),
        user_id=user_id,
        stage=stage,
    )


def failure_blocks(keyword: str, reason: str) -> list[dict[str, Any]]:
    return render_blocks("failure.json.j2", keyword=keyword, reason=reason)


def usage_error_blocks(
    message: str, usage: str | None = None, suggestion: str | None = None
) -> list[dict[str, Any]]:
    return render_blocks("usage_error.json.j2", message=message, usage=usage, suggestion=suggestion)


def internal_support_text(support: InternalSupport | None) -> Mrkdwn | None:
    """*Internal support*: the headline, then the first pages that could link here and where."""
    if support is None:
        return None
    headline = support_headline(support)
    lines = [f"*Internal support*: {escape(headline.removeprefix('internal support: '))}"]
    for opportunity in support.opportunities[:SHOWN_OPPORTUNITIES]:
        page = link(opportunity.url, compact_url(opportunity.url, 60))
        lines.append(f"• could link here: {page} — “{escape(opportunity.sentence)}”")
    more = more_opportunities(support, "in the JSON")
    if more:
        lines.append(more)
    return Mrkdwn("\n".join(lines))
