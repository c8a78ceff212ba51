"""The digest's chart: quality referring domains over time against the entry and stretch targets.

Drawn on the canvas every linkgap chart shares (``bot.charts``). With no
history yet the chart still renders, with a note instead of a line, so a digest
always has the same shape and the targets are visible from the first week.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.charts import ENTRY_COLOUR, MUTED_COLOUR, STRETCH_COLOUR, new_chart, png_bytes
from bot.gap.models import RdSnapshot

#: Above this many points markers turn into a blur: the line alone reads better.
MAX_MARKED_POINTS = 60
LINE_COLOUR = "#1264a3"


def render_chart(
    history: Sequence[RdSnapshot],
    entry_target: int | None,
    stretch_target: int | None,
    title: str,
) -> bytes:
    """A PNG of the history (any order) with the targets as labelled dashed lines."""
    # matplotlib loads in about a second: imported on the first chart, not when the app starts.
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num

    points = sorted(history, key=lambda snap: snap.day)
    figure, axes = new_chart(title, "quality referring domains")

    # Dates as matplotlib day numbers (its date helpers ship without type annotations).
    days = [float(x) for x in date2num([snap.day for snap in points])]  # type: ignore[no-untyped-call]
    counts = [snap.quality_referring_domains for snap in points]
    if points:
        axes.plot(
            days,
            counts,
            color=LINE_COLOUR,
            linewidth=2,
            marker="o" if len(points) <= MAX_MARKED_POINTS else None,
            markersize=4,
            label="quality referring domains",
        )
        first, last = days[0], days[-1]
        if first == last:  # one point: give it a week either side rather than a zero-width axis
            first, last = first - 7, last + 7
        axes.set_xlim(first, last)
        locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(
            ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
        )
    else:
        axes.set_xticks([])
        axes.text(
            0.5,
            0.5,
            "No referring-domain history yet:\nthe daily refresh adds the first point.",
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=12,
            color=MUTED_COLOUR,
        )

    for target, label, colour in (
        (entry_target, "entry", ENTRY_COLOUR),
        (stretch_target, "stretch", STRETCH_COLOUR),
    ):
        if target is None:
            continue
        axes.axhline(target, color=colour, linestyle="--", linewidth=1.5)
        axes.annotate(
            f"{label} target {target}",
            # Left end: a growing line is lowest there, so the label rarely sits on it.
            xy=(0.0, target),
            xycoords=("axes fraction", "data"),
            xytext=(4, 3),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=10,
            color=colour,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.8},
        )

    top = max([*counts, *(t for t in (entry_target, stretch_target) if t is not None), 1])
    axes.set_ylim(0, top * 1.15)
    # Fixed margins rather than tight_layout(), which measures every text box again.
    figure.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.12)
    return png_bytes(figure)
