"""What every linkgap chart shares: the canvas, the target colours and deterministic PNG bytes.

Charts are drawn with matplotlib's Agg canvas on a ``Figure`` of their own (no
``pyplot``, so no global state, no display and no threads fighting over one
figure) at 800×400 px, the size Slack previews an image at. matplotlib loads in
about a second, so it is imported with the first chart, not when a process starts.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_PX, HEIGHT_PX, DPI = 800, 400, 100
ENTRY_COLOUR = "#e8912d"
STRETCH_COLOUR = "#2eb67d"
#: Secondary text: notes, excluded results.
MUTED_COLOUR = "#616061"


def new_chart(title: str, ylabel: str) -> tuple[Figure, Axes]:
    """An 800×400 figure on its own Agg canvas, one axes with a left title and a light y grid."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(literal(title), fontsize=13, loc="left")
    axes.set_ylabel(ylabel)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes that depend on the data only.

    No "Software" stamp, so the bytes do not change with the matplotlib version;
    fast compression (the file grows ~20 %, still tens of KB). Margins are the
    caller's (``subplots_adjust``): ``tight_layout()`` measures every text box
    again and costs a third of the rendering time.
    """
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 1},
    )
    return buffer.getvalue()


def literal(text: str) -> str:
    """Keep a keyword like ``$50 shoes`` from being read as mathtext."""
    return text.replace("$", r"\$")
