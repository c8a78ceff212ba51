"""Pick a provider by name; the one place that knows every provider."""

from __future__ import annotations

from pathlib import Path

from bot.errors import BadInput
from bot.providers.base import Provider

PROVIDER_NAMES: tuple[str, ...] = ("demo", "csv")


def make_provider(name: str, *, data_dir: Path | None = None) -> Provider:
    """Build the named provider, refusing unknown names and missing inputs with a usable message."""
    key = name.strip().lower()
    if key == "demo":
        from bot.providers.demo import DemoProvider

        return DemoProvider()
    if key == "csv":
        if data_dir is None:
            raise BadInput("The csv provider needs a folder of exports: add --data DIR.")
        from bot.providers.csv_exports import CsvProvider

        return CsvProvider(data_dir)
    raise BadInput(f"Unknown provider '{name}'. Choose one of: {', '.join(PROVIDER_NAMES)}.")
