"""Link velocity and the ETA to the entry target, from the target page's snapshot history.

Velocity is the net growth of quality referring domains per 30 days over the
last 90 days (DESIGN 2.5). With less than two weeks of history there is no
honest pace to extrapolate, so none is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.gap.models import RdSnapshot

MIN_HISTORY_DAYS = 14


@dataclass(frozen=True, slots=True)
class Velocity:
    per_30_days: float
    span_days: int


def link_velocity(
    history: Sequence[RdSnapshot], today: date, current: int, window_days: int = 90
) -> Velocity | None:
    """Quality RDs gained per 30 days between the oldest snapshot in the window and ``current``."""
    start = today - timedelta(days=window_days)
    in_window = sorted(
        (snap for snap in history if start <= snap.day < today), key=lambda snap: snap.day
    )
    if not in_window:
        return None
    baseline = in_window[0]
    span = (today - baseline.day).days
    if span < MIN_HISTORY_DAYS:
        return None
    gained = current - baseline.quality_referring_domains
    return Velocity(per_30_days=gained * 30 / span, span_days=span)


def eta_days(gap: int | None, velocity: Velocity | None) -> int | None:
    """Days until the gap closes at the current pace; 0 when closed, ``None`` when it never will."""
    if gap is None or velocity is None:
        return None
    if gap == 0:
        return 0
    if velocity.per_30_days <= 0:
        return None
    return math.ceil(gap / velocity.per_30_days * 30)
