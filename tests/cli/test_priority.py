"""The worker's lower priority holds whether or not it leads a session of its own.

Each case runs in a real child process (a priority, once lowered, cannot be
raised again without privileges, and the test process must keep its own).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.cli.priority import lower_priority

needs_autogroup = pytest.mark.skipif(
    not Path("/proc/self/autogroup").exists(),
    reason="this kernel has no autogroup scheduling (/proc/self/autogroup)",
)

#: Lowers its priority by the given amount, then prints what it returned, its nice and group.
REPORT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from bot.cli.priority import lower_priority
    lowered = lower_priority(int(sys.argv[1]), Path(sys.argv[2]))
    group = Path("/proc/self/autogroup")
    print(lowered, os.nice(0), group.read_text().split()[-1] if group.exists() else "-")
    """
)


def run_in_own_session(nice: int, autogroup: str = "/proc/self/autogroup") -> list[str]:
    """The report of a process that leads a new session (a systemd service, ``setsid``)."""
    done = subprocess.run(
        [sys.executable, "-c", REPORT, str(nice), autogroup],
        capture_output=True, text=True, check=True, start_new_session=True, timeout=30,
    )  # fmt: skip
    return done.stdout.split()


def run_inside_a_session(nice: int) -> tuple[list[str], str]:
    """The report of a process inside a session another process leads (serve's child worker),
    and the group's nice as its session leader sees it afterwards."""
    leader = textwrap.dedent(
        f"""
        import subprocess, sys
        from pathlib import Path
        child = subprocess.run(
            [sys.executable, "-c", {REPORT!r}, "{nice}", "/proc/self/autogroup"],
            capture_output=True, text=True, check=True,
        )
        print(child.stdout.strip())
        print(Path("/proc/self/autogroup").read_text().split()[-1])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", leader],
        capture_output=True, text=True, check=True, start_new_session=True, timeout=30,
    )  # fmt: skip
    child, leader_group = done.stdout.splitlines()
    return child.split(), leader_group


@needs_autogroup
def test_a_worker_leading_its_own_session_lowers_its_scheduling_group() -> None:
    assert run_in_own_session(10) == ["True", "10", "10"]


@needs_autogroup
def test_a_worker_inside_another_process_session_leaves_the_shared_group_alone() -> None:
    child, leader_group = run_inside_a_session(10)
    # Its own nice is lowered (it works inside the group); the group, which the parent
    # (the web process) shares, is not.
    assert child == ["False", "10", "0"]
    assert leader_group == "0"


def test_without_autogroup_only_nice_is_lowered(tmp_path: Path) -> None:
    assert run_in_own_session(5, str(tmp_path / "no-autogroup"))[:2] == ["False", "5"]


def test_a_refused_write_leaves_the_plain_nice(tmp_path: Path) -> None:
    unwritable = tmp_path / "autogroup"
    unwritable.mkdir()  # exists, but writing text to a directory fails
    assert run_in_own_session(3, str(unwritable))[:2] == ["False", "3"]


def test_nice_zero_changes_nothing() -> None:
    assert lower_priority(0) is False
