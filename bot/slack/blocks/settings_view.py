"""The workspace settings modal: built from the stored settings, read back into them.

Both directions live here so a field added to one cannot be forgotten in the
other; ``views.py`` only wires the submission to Slack.
"""

from __future__ import annotations

import math
from typing import Any

from bot.errors import BadInput
from bot.gap.settings import GapSettings, merge_settings
from bot.services.workspace_settings import SELECTABLE_PROVIDERS, WorkspaceSettings
from bot.slack.blocks.mrkdwn import render_view
from bot.slack.blocks.view_state import field_value

CALLBACK_ID = "linkgap_settings"
PROVIDER_LABELS = {
    "demo": "Demo (sample data)",
    "dataforseo": "DataForSEO",
    "ahrefs": "Ahrefs API v3",
    "semrush": "Semrush API",
}
_NUMBERS = ("min_domain_rating", "spam_score_limit", "prospect_min_competitors")
_LISTS = ("platforms", "junk_patterns", "spam_suffixes", "blocklist")
MAX_CACHE_HOURS = 24 * 30


def _number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings_view(stored: WorkspaceSettings, default_provider: str) -> dict[str, Any]:
    analysis = stored.analysis_settings()
    provider = stored.provider or (
        default_provider if default_provider in SELECTABLE_PROVIDERS else "demo"
    )
    return render_view(
        "settings_modal.json.j2",
        provider=provider,
        providers=SELECTABLE_PROVIDERS,
        provider_label=lambda value: PROVIDER_LABELS.get(value, value),
        cache_hours=stored.cache_hours,
        **{name: _number(getattr(analysis, name)) for name in _NUMBERS},
        **{name: ", ".join(getattr(analysis, name)) for name in _LISTS},
        count_nofollow=analysis.count_nofollow,
    )


def read_submission(state: dict[str, Any]) -> tuple[WorkspaceSettings | None, dict[str, str]]:
    """The settings a submitted modal asks for, or the errors to show next to each field."""
    errors: dict[str, str] = {}
    defaults = GapSettings()
    analysis: dict[str, Any] = {}
    for name in _NUMBERS:
        number = _finite(field_value(state, name))
        if number is None:
            errors[name] = "Enter a number."
            continue
        try:  # each number checked on its own, so the error shows next to its field
            merge_settings(defaults, {name: number})
        except BadInput as error:
            errors[name] = error.message
            continue
        if number != getattr(defaults, name):
            analysis[name] = number
    for name in _LISTS:
        items = [item.strip() for item in field_value(state, name).replace("\n", ",").split(",")]
        cleaned = tuple(item.lower() for item in items if item)
        if cleaned != getattr(defaults, name):
            analysis[name] = list(cleaned)
    count_nofollow = field_value(state, "count_nofollow") == "yes"
    if count_nofollow != defaults.count_nofollow:
        analysis["count_nofollow"] = count_nofollow
    raw_hours = _finite(field_value(state, "cache_hours") or "24")
    hours = int(raw_hours) if raw_hours is not None else -1
    if raw_hours != hours or not 0 <= hours <= MAX_CACHE_HOURS:
        errors["cache_hours"] = f"Enter a whole number of hours from 0 to {MAX_CACHE_HOURS}."
    provider = field_value(state, "provider") or None
    if errors:
        return None, errors
    try:
        settings = WorkspaceSettings.from_stored(
            {"provider": provider, "cache_hours": hours, "analysis": analysis}
        )
    except BadInput as error:
        return None, {"provider": error.message}
    return settings, {}


def _finite(raw: str) -> float | None:
    """The number typed, or ``None`` for text, NaN and infinities (JSON cannot hold those)."""
    try:
        number = float(raw.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None
