"""What an analysis run produced: the report, where its data came from and what it cost.

The services build it and every surface renders it (the JSON contract, the
terminal tables, Slack), so it lives here, below the services, where both can
import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.gap.models import GapReport


@dataclass(frozen=True)
class GapOutcome:
    """A report plus where its data came from and what the data cost."""

    report: GapReport
    provider: str
    sample_data: bool
    provider_requests: int
    estimated_cost_usd: float
    country: str = "us"
    language: str = "en"
    #: The day the analysis ran (its answers are at most a cache period older).
    data_date: date | None = None

    def context_line(self) -> str:
        """Provider, country, language, data date and sample data, in one line."""
        parts = [f"Data: {self.provider}" + (" (sample data)" if self.sample_data else "")]
        parts.append(f"country {self.country} · language {self.language}")
        if self.data_date is not None:
            parts.append(f"as of {self.data_date.isoformat()}")
        cost = (
            f"{self.provider_requests:,} provider requests (≈ ${self.estimated_cost_usd:.2f})"
            if self.provider_requests
            else "0 provider requests"
        )
        parts.append(cost)
        return " · ".join(parts)
