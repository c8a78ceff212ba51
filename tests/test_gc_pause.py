from __future__ import annotations

import gc

import pytest

from bot.gc_pause import collector_paused


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
