"""Read the SERP file of a CSV folder: page one's organic results and their domains' ratings.

The SERP file is whatever a marketer exported (Ahrefs SERP overview, Semrush,
a hand-made sheet), so columns are found by name, non-organic rows (ads,
videos, People-Also-Ask) are dropped when the file says which rows are which,
and results are ordered by the position the file gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import DataFileError
from bot.gap.domains import registrable_domain
from bot.gap.models import SerpResult
from bot.gap.urls import host_of, normalise_url
from bot.providers.csv_formats import serp_columns
from bot.providers.csv_reader import open_table


@dataclass(frozen=True)
class SerpFile:
    """The organic results of one SERP file, best first, and the ratings it gives per domain."""

    results: tuple[SerpResult, ...]
    domain_ratings: dict[str, float] = field(default_factory=dict)


def _number(cell: str) -> float | None:
    try:
        return float(cell.strip().replace(",", "."))
    except ValueError:
        return None


def _is_organic(cell: str) -> bool:
    """Ahrefs writes ``Organic`` (sometimes with a feature, e.g. ``Organic, Sitelinks``)."""
    text = cell.strip().casefold()
    return not text or "organic" in text


def read_serp(path: Path) -> SerpFile:
    """Parse the SERP file; a file without one organic result is refused."""
    results: dict[str, SerpResult] = {}
    ratings: dict[str, float] = {}
    with open_table(path) as table:
        columns = serp_columns(path, table.header)
        width = 1 + max(
            index
            for index in (
                columns.position,
                columns.url,
                columns.title,
                columns.rating,
                columns.result_type,
            )
            if index is not None
        )
        for row in table.rows:
            if len(row) < width:
                continue
            if columns.result_type is not None and not _is_organic(row[columns.result_type]):
                continue
            position = _number(row[columns.position])
            url = row[columns.url].strip()
            if position is None or position < 1 or not url:
                continue
            rating = _number(row[columns.rating]) if columns.rating is not None else None
            if rating is not None and not 0 <= rating <= 100:
                rating = None
            domain = registrable_domain(host_of(url))
            if rating is not None and domain:
                ratings[domain] = max(rating, ratings.get(domain, rating))
            key = normalise_url(url)
            if key in results:
                continue  # the same page listed again (e.g. a sitelink row): first wins
            results[key] = SerpResult(
                position=int(position),
                url=url,
                title=row[columns.title].strip() if columns.title is not None else "",
                domain_rating=rating,
            )
    if not results:
        raise DataFileError(
            f"{path.name} has no organic results with a position and a URL; export the SERP "
            "overview again (Ahrefs: Keywords Explorer → SERP overview → Export)."
        )
    ordered = tuple(sorted(results.values(), key=lambda result: result.position))
    return SerpFile(results=ordered, domain_ratings=ratings)
