"""Pick a provider by name; the one place that knows every provider and its settings.

Importing this module stays cheap (no httpx, no provider): ``linkgap --help`` reads
``PROVIDER_NAMES`` from it and must start in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BadInput, ConfigError

if TYPE_CHECKING:
    import httpx

    from bot.providers.base import Provider

PROVIDER_NAMES: tuple[str, ...] = ("demo", "csv", "dataforseo", "ahrefs", "semrush")

#: Environment variables each live provider needs, in the order they are reported.
PROVIDER_KEYS: dict[str, tuple[str, ...]] = {
    "dataforseo": ("DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD"),
    "ahrefs": ("AHREFS_API_KEY",),
    "semrush": ("SEMRUSH_API_KEY",),
}


def make_provider(
    name: str,
    *,
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Provider:
    """Build the named provider, refusing unknown names and missing inputs with a usable message.

    ``environ`` holds the live providers' keys by variable name, as
    ``Settings.provider_keys()`` gives them (environment or ``.env``, read once at
    start-up); the registry never reads the process environment itself.
    ``transport`` lets tests and the local shell stand in for the network.
    """
    key = name.strip().lower()
    if key == "demo":
        from bot.providers.demo import DemoProvider

        return DemoProvider()
    if key == "csv":
        if data_dir is None:
            raise BadInput("The csv provider needs a folder of exports: add --data DIR.")
        from bot.providers.csv_exports import CsvProvider

        return CsvProvider(data_dir)
    if key in PROVIDER_KEYS:
        values = _keys(key, environ or {})
        if key == "dataforseo":
            from bot.providers.dataforseo import DataForSeoProvider

            return DataForSeoProvider(values[0], values[1], transport=transport)
        if key == "ahrefs":
            from bot.providers.ahrefs import AhrefsProvider

            return AhrefsProvider(values[0], transport=transport)
        from bot.providers.semrush import SemrushProvider

        return SemrushProvider(values[0], transport=transport)
    raise BadInput(f"Unknown provider '{name}'. Choose one of: {', '.join(PROVIDER_NAMES)}.")


def _keys(provider: str, environ: Mapping[str, str]) -> list[str]:
    """The provider's key values, or one ``ConfigError`` line naming every missing variable."""
    names = PROVIDER_KEYS[provider]
    values = [environ.get(n, "").strip() for n in names]
    missing = [n for n, v in zip(names, values, strict=True) if not v]
    if missing:
        listed = (
            missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        )
        raise ConfigError(
            f"The {provider} provider needs {listed} set in the environment (or .env); "
            f"{'it is' if len(missing) == 1 else 'they are'} missing or empty."
        )
    return values
