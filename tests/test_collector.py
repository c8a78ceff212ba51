from __future__ import annotations

import gc

import pytest

from bot.collector import collector_paused, freeze_startup_heap


def test_the_collector_is_paused_inside_and_restored_even_after_an_error() -> None:
    seen: list[bool] = []

    def fail_while_paused() -> None:
        with collector_paused():
            seen.append(gc.isenabled())
            raise RuntimeError("boom")

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        fail_while_paused()
    assert seen == [False]
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_in_force() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_start_up_heap_is_kept_out_of_later_collections() -> None:
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
