"""The terminal report: what a marketer reads after ``linkgap gap``.

Targets first (the answer), then why (the comparable table with exclusion
reasons and junk filtered), then what to do (prospects, flags).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.gap.internal_support import InternalSupport
from bot.report.internal_support import (
    SHOWN_OPPORTUNITIES,
    more_opportunities,
    support_headline,
)
from bot.report.outcome import GapOutcome
from bot.report.plan_view import PlanLine, next_step, plan_summary, plan_view_of

TOP_PROSPECTS = 10
#: Plan entries a gap report shows (``linkgap plan`` shows them all).
TOP_PLAN = 5
_REASON_LABELS = {
    "own-site": "you",
    "platform": "no: platform",
    "gov-edu": "no: gov/edu",
    "page-type": "no: page type",
}


def _rating(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _compact(url: str) -> str:
    """The URL as people say it: no scheme, no ``www.``."""
    bare = url.split("://", 1)[-1]
    return bare[4:] if bare.startswith("www.") else bare


def _target_line(name: str, target: int | None, gap: int | None, basis: tuple[int, ...]) -> Text:
    line = Text(f"{name:<15}", style="bold")
    if target is None:
        line.append("n/a")
        return line
    line.append(f"{target:,} quality referring domains", style="bold")
    line.append(
        f"   gap {gap:,}" if gap is not None else "", style="bold red" if gap else "bold green"
    )
    if basis:
        line.append(f"   (from #{', #'.join(str(p) for p in basis)})", style="dim")
    return line


def render_gap(outcome: GapOutcome, console: Console) -> None:
    report = outcome.report
    own = report.own
    if outcome.sample_data:
        console.print(
            Text(
                " SAMPLE DATA from the demo provider, not real backlinks "
                "(use --provider or --data for real numbers) ",
                style="black on yellow",
            )
        )
    console.print(Text(f"Link gap for “{report.keyword}”", style="bold"))
    console.print(f"Your page: {own.url}", markup=False, highlight=False)
    position = f"#{own.position}" if own.position is not None else "not in the top 10"
    console.print(
        f"Position {position} · {own.quality_referring_domains:,} quality referring domains "
        f"({own.referring_domains:,} in all) · domain rating {_rating(own.domain_rating)}",
        markup=False,
        highlight=False,
    )
    console.print(outcome.context_line(), markup=False, highlight=False)
    console.print()
    console.print(
        _target_line("Entry target", report.entry_target, report.entry_gap, report.entry_basis)
    )
    console.print(
        _target_line(
            "Stretch target", report.stretch_target, report.stretch_gap, report.stretch_basis
        )
    )
    console.print()

    table = Table(title="Top results", title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Page", overflow="fold", ratio=1)
    table.add_column("RDs", justify="right", no_wrap=True)
    table.add_column("Followed", justify="right", no_wrap=True)
    table.add_column("Quality", justify="right", no_wrap=True)
    table.add_column("Junk", justify="right", no_wrap=True)
    table.add_column("DR", justify="right", no_wrap=True)
    table.add_column("Comparable", no_wrap=True)
    for row in report.results:
        status = "yes" if row.comparable else _REASON_LABELS.get(row.excluded_reason or "", "no")
        junk = sum(row.junk.values())
        table.add_row(
            str(row.position),
            Text(_compact(row.url)),
            f"{row.referring_domains:,}",
            f"{row.followed_referring_domains:,}",
            f"{row.quality_referring_domains:,}",
            f"{junk:,}" if junk else "",
            _rating(row.domain_rating),
            Text(status, style="green" if row.comparable else "dim"),
        )
    console.print(table)
    console.print(
        "RDs: every live referring domain · Followed: with at least one followed link "
        "(not nofollow, UGC or sponsored) · Quality: followed and past the junk filter",
        style="dim",
        markup=False,
        highlight=False,
    )

    if report.prospects:
        shown = report.prospects[:TOP_PROSPECTS]
        prospects = Table(
            title="Prospects: link to competitors, not to you",
            title_justify="left",
        )
        prospects.add_column("Domain")
        prospects.add_column("Competitors", justify="right")
        prospects.add_column("DR", justify="right")
        prospects.add_column("")
        for prospect in shown:
            prospects.add_row(
                Text(prospect.domain),
                str(prospect.competitors_linked),
                _rating(prospect.domain_rating),
                Text("warm", style="green") if prospect.warm else "",
            )
        console.print(prospects)
        more = len(report.prospects) - len(shown)
        if more > 0:
            console.print(f"…and {more:,} more (use --json for the full list)")
    else:
        console.print(
            "Prospects: no domain links to two or more comparable competitors but not to you."
        )

    _render_plan_section(outcome, console, shown=TOP_PLAN)
    _render_internal_support(report.internal_support, console)
    if report.flags:
        console.print()
        console.print(Text("Notes", style="bold"))
        for flag in report.flags:
            console.print(Text(f"• {flag.message}"))
    if outcome.provider_requests:
        console.print(
            f"\nProvider requests: {outcome.provider_requests:,} "
            f"(estimated cost ${outcome.estimated_cost_usd:.2f})",
            markup=False,
            highlight=False,
        )


def _render_internal_support(support: InternalSupport | None, console: Console) -> None:
    """The headline, then the first opportunities with the sentence where a link could go."""
    if support is None:
        return
    console.print()
    headline = support_headline(support)
    console.print(Text(headline[:1].upper() + headline[1:], style="bold"))
    for opportunity in support.opportunities[:SHOWN_OPPORTUNITIES]:
        console.print(Text(f"• could link here: {opportunity.url}"))
        console.print(Text(f"  “{opportunity.sentence}”"))
    more = more_opportunities(support, "use --json")
    if more:
        console.print(more, markup=False, highlight=False)


def _plan_table(title: str, lines: tuple[PlanLine, ...], start: int = 1) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Prospect", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=1)
    for number, line in enumerate(lines, start):
        table.add_row(str(number), Text(line.domain), f"{line.score:.2f}", Text(line.reason))
    return table


def _render_plan_section(outcome: GapOutcome, console: Console, shown: int | None) -> None:
    """The plan's summary, its first entries (all with ``shown=None``) and the next step."""
    view = plan_view_of(outcome.report, shown=shown)
    console.print()
    console.print(Text("Link plan", style="bold"))
    console.print(plan_summary(view), markup=False, highlight=False)
    if view.entries:
        console.print(_plan_table("Pitch in this order", view.entries))
    if shown is None and view.reserve:
        console.print(_plan_table("Reserve (for refusals)", view.reserve, len(view.entries) + 1))
    elif shown is not None and view.size > len(view.entries):
        console.print(
            f"…and {view.size - len(view.entries):,} more, {view.reserve_size:,} in reserve "
            "(linkgap plan shows them all)",
            markup=False,
            highlight=False,
        )
    step = next_step(view)
    if step:
        console.print(Text(f"Next step: {step}", style="bold"))


def render_plan(outcome: GapOutcome, console: Console) -> None:
    """``linkgap plan``: the targets in one line, then the whole plan and its reserve."""
    report = outcome.report
    if outcome.sample_data:
        console.print(
            Text(
                " SAMPLE DATA from the demo provider, not real backlinks ", style="black on yellow"
            )
        )
    console.print(Text(f"Link plan for “{report.keyword}”", style="bold"))
    console.print(f"Your page: {report.own.url}", markup=False, highlight=False)
    console.print(
        _target_line("Entry target", report.entry_target, report.entry_gap, report.entry_basis)
    )
    _render_plan_section(outcome, console, shown=None)
