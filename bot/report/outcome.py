"""What an analysis run produced: the report, where its data came from and what it cost.

The services build it and every surface renders it (the JSON contract, the
terminal tables, Slack), so it lives here, below the services, where both can
import it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.gap.models import GapReport


@dataclass(frozen=True)
class GapOutcome:
    """A report plus where its data came from and what the data cost."""

    report: GapReport
    provider: str
    sample_data: bool
    provider_requests: int
    estimated_cost_usd: float
