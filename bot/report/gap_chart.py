"""The gap report's chart: each top result's quality referring domains against the targets.

``gap_chart`` reduces a report to what the picture shows (a bar per result,
comparable or excluded with its reason, your page picked out, the entry and
stretch targets as lines); ``render_gap_chart`` draws that as an 800×400 PNG.
Slack attaches it in the report's thread and ``linkgap gap --chart FILE``
writes it, so both surfaces show the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.charts import (
    ENTRY_COLOUR,
    MUTED_COLOUR,
    STRETCH_COLOUR,
    literal,
    new_chart,
    png_bytes,
)
from bot.gap.domains import split_domain
from bot.gap.models import GapReport
from bot.gap.urls import host_of

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

#: Results the chart shows, by position (the page one every target is taken from).
TOP_RESULTS = 10
#: Longest domain name under a bar before it is cut with "…": ten labels share 800 px.
LABEL_CHARS = 13
#: With your page after the top ten, eleven share them.
LABEL_CHARS_ELEVEN = 10
#: Longest keyword in the title before it is cut with "…".
TITLE_KEYWORD_CHARS = 60
COMPARABLE_COLOUR = "#1264a3"
EXCLUDED_COLOUR = "#c8c8c8"
YOUR_COLOUR = "#e01e5a"
TARGET_COLOURS = {"entry": ENTRY_COLOUR, "stretch": STRETCH_COLOUR}

BarKind = Literal["comparable", "excluded", "yours"]
#: Why a result is left out of the comparison, in the words the chart prints above its bar.
REASON_WORDS = {
    "own-site": "your site",
    "platform": "platform",
    "gov-edu": "gov/edu",
    "page-type": "page type",
}


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One page's bar: a top result, or your page when it is not among them."""

    #: Its position in the results; ``None`` for your page when it does not rank.
    position: int | None
    domain: str
    quality_referring_domains: int
    kind: BarKind
    #: Why an excluded result is not compared (``REASON_WORDS``); ``None`` for the others.
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TargetLine:
    name: Literal["entry", "stretch"]
    quality_referring_domains: int
    gap: int | None


@dataclass(frozen=True, slots=True)
class GapChart:
    keyword: str
    bars: tuple[ChartBar, ...]
    targets: tuple[TargetLine, ...]
    #: Says why a target line is missing; ``None`` when both are drawn.
    note: str | None = None

    @property
    def title(self) -> str:
        keyword = self.keyword
        if len(keyword) > TITLE_KEYWORD_CHARS:
            keyword = keyword[: TITLE_KEYWORD_CHARS - 1] + "…"
        return f"Quality referring domains of the top {TOP_RESULTS}: {keyword}"

    @property
    def alt_text(self) -> str:
        """What the picture says, in words, for a screen reader."""
        parts = [
            f"Bar chart of the quality referring domains of the top {TOP_RESULTS} results "
            f"for “{self.keyword}”"
        ]
        for yours in (bar for bar in self.bars if bar.kind == "yours"):
            where = f"#{yours.position}" if yours.position else f"not in the top {TOP_RESULTS}"
            parts.append(f"your page ({where}) has {yours.quality_referring_domains:,}")
        compared = [bar.quality_referring_domains for bar in self.bars if bar.kind == "comparable"]
        if compared:
            low, high = min(compared), max(compared)
            spread = f"{low:,}" if low == high else f"{low:,} to {high:,}"
            parts.append(f"comparable pages {spread} ({len(compared)})")
        excluded = sum(1 for bar in self.bars if bar.kind == "excluded")
        if excluded:
            parts.append(f"excluded results {excluded}")
        for line in self.targets:
            gap = f" (gap {line.gap:,})" if line.gap is not None else ""
            parts.append(f"{line.name} target {line.quality_referring_domains:,}{gap}")
        if self.note:
            parts.append(self.note[0].lower() + self.note[1:].rstrip("."))
        return "; ".join(parts) + "."


def gap_chart(report: GapReport) -> GapChart:
    """What the chart of ``report`` shows, in result order, your page last when it does not rank."""
    own = report.own
    bars: list[ChartBar] = []
    for row in sorted(report.results, key=lambda result: result.position):
        if row.position > TOP_RESULTS:
            break
        if row.position == own.position:
            kind: BarKind = "yours"
        else:
            kind = "comparable" if row.comparable else "excluded"
        reason = REASON_WORDS.get(row.excluded_reason or "") if kind == "excluded" else None
        bars.append(ChartBar(row.position, row.domain, row.quality_referring_domains, kind, reason))
    if not any(bar.kind == "yours" for bar in bars):
        domain = split_domain(host_of(own.url))[0]
        bars.append(ChartBar(own.position, domain, own.quality_referring_domains, "yours"))

    targets: list[TargetLine] = []
    if report.entry_target is not None:
        targets.append(TargetLine("entry", report.entry_target, report.entry_gap))
    if report.stretch_target is not None:
        targets.append(TargetLine("stretch", report.stretch_target, report.stretch_gap))
    note = None
    if report.stretch_target is None:
        note = "No targets: fewer than 2 comparable pages on page one."
    elif report.entry_target is None:
        note = "No entry target: your page already outranks every comparable page."
    return GapChart(report.keyword, tuple(bars), tuple(targets), note)


def render_gap_chart(chart: GapChart) -> bytes:
    """The chart as an 800×400 PNG whose bytes depend on the data only."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure, axes = new_chart(chart.title, "quality referring domains")
    colours = {"comparable": COMPARABLE_COLOUR, "excluded": EXCLUDED_COLOUR, "yours": YOUR_COLOUR}
    # Your page after the results when it does not rank, a little apart from them.
    xs = [
        index + (0.5 if bar.kind == "yours" and bar.position is None else 0.0)
        for index, bar in enumerate(chart.bars)
    ]
    values = [bar.quality_referring_domains for bar in chart.bars]
    axes.bar(xs, values, width=0.7, color=[colours[bar.kind] for bar in chart.bars])
    top = max([*values, *(line.quality_referring_domains for line in chart.targets), 1])
    for x, bar in zip(xs, chart.bars, strict=True):
        above = f"{bar.quality_referring_domains:,}"
        if bar.reason is not None:
            above += f"\n({bar.reason})"
        axes.text(
            x,
            bar.quality_referring_domains + top * 0.01,
            above,
            ha="center",
            va="bottom",
            fontsize=8,
            color=MUTED_COLOUR if bar.kind == "excluded" else "black",
            fontweight="bold" if bar.kind == "yours" else "normal",
        )
    chars = LABEL_CHARS if len(chart.bars) <= TOP_RESULTS else LABEL_CHARS_ELEVEN
    axes.set_xticks(xs, [_tick_label(bar, chars) for bar in chart.bars], fontsize=7)
    for tick, bar in zip(axes.get_xticklabels(), chart.bars, strict=True):
        if bar.kind == "yours":
            tick.set_color(YOUR_COLOUR)
            tick.set_fontweight("bold")
        elif bar.kind == "excluded":
            tick.set_color(MUTED_COLOUR)
    axes.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    # Headroom for the labels over the bars, and for the note over those.
    axes.set_ylim(0, top * (1.35 if chart.note else 1.2))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.2 of a domain
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: axis_count(value)))

    for line in chart.targets:
        axes.axhline(
            line.quality_referring_domains,
            color=TARGET_COLOURS[line.name],
            linestyle="--",
            linewidth=1.5,
        )
    if chart.note:
        axes.text(
            0.01, 0.97, chart.note, transform=axes.transAxes, ha="left", va="top",
            fontsize=9, color=MUTED_COLOUR,
        )  # fmt: skip
    _legend(figure, chart)
    # Fixed margins rather than tight_layout(), which measures every text box again.
    figure.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.3 if chart.targets else 0.25)
    return png_bytes(figure)


def axis_count(value: float) -> str:
    """A y-axis count that fits the margin: ``9,500``, ``25k``, ``1.5M``, ``2B``."""
    for above, size, unit in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if abs(value) >= above:
            return f"{value / size:.4g}{unit}"
    return f"{value:,.0f}"


def _tick_label(bar: ChartBar, chars: int) -> str:
    """Position, then the domain as name and suffix on lines of their own (``kicksbase`` /
    ``.org``): a bar is about 70 px wide, and results often differ only by the suffix."""
    place = f"#{bar.position}" if bar.position is not None else f"not in top {TOP_RESULTS}"
    if bar.kind == "yours":
        return f"{place}\nyour page"
    name, dot, suffix = bar.domain.partition(".")
    if len(name) > chars:
        name = name[: chars - 1] + "…"
    return literal(f"{place}\n{name}\n{dot}{suffix}" if dot else f"{place}\n{name}")


def _legend(figure: Figure, chart: GapChart) -> None:
    """Below the chart: the bar colours on one row, each target line with its value and your
    gap on a second. In the legend rather than on the lines, where a label would sit on bars."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    kinds = [
        Patch(color=COMPARABLE_COLOUR, label="comparable"),
        Patch(color=EXCLUDED_COLOUR, label="excluded (reason above the bar)"),
        Patch(color=YOUR_COLOUR, label="your page"),
    ]
    lines = []
    for line in chart.targets:
        gap = f" · your gap {line.gap:,}" if line.gap is not None else ""
        lines.append(
            Line2D(
                [],
                [],
                color=TARGET_COLOURS[line.name],
                linestyle="--",
                linewidth=1.5,
                label=f"{line.name} target {line.quality_referring_domains:,}{gap}",
            )
        )
    handles: list[Artist] = list(kinds)
    if lines:
        # A legend fills column by column: interleave so the kinds make the first row.
        blank = Patch(visible=False, label=" ")
        row = [*lines, blank, blank][:3]
        handles = [handle for pair in zip(kinds, row, strict=True) for handle in pair]
    figure.legend(
        handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False,
        bbox_to_anchor=(0.5, 0.0),
    )  # fmt: skip
