"""A workspace's stored settings: its data provider, cache lifetime and analysis overrides.

Stored as JSON on the workspace row; read through this one type so that a
setting saved by the Slack modal and one read by a worker mean the same thing,
and a bad stored value is refused with its name instead of surfacing later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.errors import BadInput
from bot.gap.settings import GapSettings, merge_settings

#: Providers a workspace can choose in Slack (``csv`` needs files, so it is terminal-only).
SELECTABLE_PROVIDERS = ("demo", "dataforseo", "ahrefs", "semrush")
DEFAULT_CACHE_HOURS = 24


@dataclass(frozen=True)
class WorkspaceSettings:
    provider: str | None = None
    cache_hours: int = DEFAULT_CACHE_HOURS
    analysis: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> WorkspaceSettings:
        data = dict(stored or {})
        provider = data.get("provider")
        if provider is not None and provider not in SELECTABLE_PROVIDERS:
            raise BadInput(
                f"The workspace's provider '{provider}' is not one of {SELECTABLE_PROVIDERS}."
            )
        hours = int(data.get("cache_hours", DEFAULT_CACHE_HOURS))
        if not 0 <= hours <= 24 * 30:
            raise BadInput("The cache lifetime must be between 0 and 720 hours.")
        analysis = dict(data.get("analysis") or {})
        merge_settings(GapSettings(), analysis)  # refuse unknown or out-of-range overrides now
        return cls(provider=provider, cache_hours=hours, analysis=analysis)

    def to_stored(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "cache_hours": self.cache_hours,
            "analysis": dict(self.analysis),
        }

    def analysis_settings(self) -> GapSettings:
        return merge_settings(GapSettings(), self.analysis)

    @property
    def cache_ttl(self) -> timedelta:
        return timedelta(hours=self.cache_hours)
