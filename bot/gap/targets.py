"""Entry and stretch targets (DESIGN 2.4).

The entry target is what the weakest comparable pages already outranking you
have; the stretch target is what the top positions have. Both are medians of
quality referring-domain counts, so one outlier cannot move them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RankedPage:
    """A comparable page-one result reduced to what the targets need."""

    position: int
    quality_referring_domains: int


@dataclass(frozen=True, slots=True)
class Targets:
    entry_target: int | None
    stretch_target: int | None
    entry_basis: tuple[int, ...]
    stretch_basis: tuple[int, ...]


def median_rounded_up(values: Sequence[int]) -> int:
    """The median; of an even count, the mean of the two middle values rounded up."""
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    total = ordered[middle - 1] + ordered[middle]
    return -(-total // 2)


def outranking_pages(
    comparable: Sequence[RankedPage], own_position: int | None, page_one_size: int
) -> list[RankedPage]:
    """``P``: comparable page-one results above the target (all of them when it is off page one)."""
    page_one = [page for page in comparable if page.position <= page_one_size]
    if own_position is None or own_position > page_one_size:
        return page_one
    return [page for page in page_one if page.position < own_position]


def compute_targets(
    comparable: Sequence[RankedPage], own_position: int | None, page_one_size: int
) -> Targets:
    """Entry and stretch targets with the edge cases of the method.

    Fewer than 2 comparable page-one results: no targets at all. No comparable
    page above the target: no entry target, the stretch target still applies.
    """
    page_one = sorted(
        (page for page in comparable if page.position <= page_one_size), key=lambda p: p.position
    )
    if len(page_one) < 2:
        return Targets(None, None, (), ())

    above = outranking_pages(page_one, own_position, page_one_size)
    entry_target: int | None = None
    entry_basis: tuple[int, ...] = ()
    if above:
        weakest = sorted(above, key=lambda p: (p.quality_referring_domains, -p.position))[:3]
        entry_target = median_rounded_up([p.quality_referring_domains for p in weakest])
        entry_basis = tuple(sorted(p.position for p in weakest))

    top = [page for page in page_one if page.position <= 3] or page_one[:3]
    stretch_target = median_rounded_up([p.quality_referring_domains for p in top])
    return Targets(entry_target, stretch_target, entry_basis, tuple(p.position for p in top))


def gap_to(target: int | None, own_quality: int) -> int | None:
    return None if target is None else max(0, target - own_quality)
