from __future__ import annotations

import pytest

from bot.gap.targets import RankedPage, compute_targets, gap_to, median_rounded_up


@pytest.mark.parametrize(
    ("values", "expected"),
    [([5], 5), ([1, 9, 3], 3), ([10, 11], 11), ([10, 12], 11), ([1, 2, 3, 4], 3), ([0, 1], 1)],
)
def test_median_of_even_count_rounds_up(values: list[int], expected: int) -> None:
    assert median_rounded_up(values) == expected


def pages(*pairs: tuple[int, int]) -> list[RankedPage]:
    return [RankedPage(position, quality) for position, quality in pairs]


def test_entry_uses_the_three_weakest_pages_above_the_target() -> None:
    comparable = pages((1, 95), (3, 64), (5, 41), (7, 30), (9, 22))
    targets = compute_targets(comparable, own_position=8, page_one_size=10)
    assert targets.entry_target == 41  # weakest above #8: 30, 41, 64
    assert targets.entry_basis == (3, 5, 7)
    assert targets.stretch_target == 80  # positions 1-3: 95 and 64 -> 79.5 rounded up
    assert targets.stretch_basis == (1, 3)


def test_target_off_page_one_compares_with_every_comparable_page_one_result() -> None:
    comparable = pages((1, 95), (3, 64), (5, 41), (7, 30), (9, 22), (12, 1))
    targets = compute_targets(comparable, own_position=None, page_one_size=10)
    assert targets.entry_target == 30  # weakest on page one: 22, 30, 41
    assert targets.entry_basis == (5, 7, 9)
    assert compute_targets(comparable, own_position=15, page_one_size=10).entry_target == 30


def test_fewer_than_three_pages_above_use_what_there_is() -> None:
    comparable = pages((1, 100), (2, 40), (6, 5))
    targets = compute_targets(comparable, own_position=3, page_one_size=10)
    assert targets.entry_target == 70  # median of 100 and 40
    assert targets.entry_basis == (1, 2)


def test_fewer_than_two_comparable_results_give_no_targets() -> None:
    targets = compute_targets(pages((4, 50)), own_position=None, page_one_size=10)
    assert (targets.entry_target, targets.stretch_target) == (None, None)


def test_target_ahead_of_every_comparable_page_has_no_entry_target() -> None:
    targets = compute_targets(pages((2, 50), (5, 20)), own_position=1, page_one_size=10)
    assert targets.entry_target is None
    assert targets.stretch_target == 50


def test_stretch_falls_back_to_the_three_best_positioned_comparable_results() -> None:
    comparable = pages((4, 10), (5, 70), (6, 30), (8, 2))
    targets = compute_targets(comparable, own_position=None, page_one_size=10)
    assert targets.stretch_target == 30
    assert targets.stretch_basis == (4, 5, 6)


def test_gaps_never_go_negative() -> None:
    assert gap_to(41, 12) == 29
    assert gap_to(41, 50) == 0
    assert gap_to(None, 5) is None
