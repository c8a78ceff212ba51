"""``linkgap --help`` starts fast: no subcommand's help loads the heavy stacks.

Wall-clock limits are flaky on a shared machine, so the test checks the cause of a
slow start instead: which modules a ``--help`` run has imported when it exits.
The measured times are in docs/performance.md.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.cli.vet import PLACEMENT_HELP
from bot.vetting.models import PLACEMENT_TYPES

#: Top-level packages that cost tens to hundreds of milliseconds each to import.
HEAVY = frozenset(
    {
        "alembic",
        "apscheduler",
        "cryptography",
        "google",
        "gunicorn",
        "httpx",
        "jinja2",
        "matplotlib",
        "numpy",
        "polars",
        "psycopg",
        "pyarrow",
        "pydantic",
        "pydantic_settings",
        "rich",
        "selectolax",
        "slack_bolt",
        "slack_sdk",
        "sqlalchemy",
        "tldextract",
    }
)

#: Runs the real entry point, then reports what was imported when argparse exits.
PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] for m in sys.modules}))))
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""

COMMANDS = [
    [],
    ["gap"],
    ["vet"],
    ["db"],
    ["db", "upgrade"],
    ["serve"],
    ["worker"],
    ["shell"],
    ["clock"],
    ["digest"],
    ["gsc"],
    ["gsc", "connect"],
    ["gsc", "import"],
    ["gsc", "refresh"],
]


def _help(command: list[str]) -> tuple[str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    text, _, modules = done.stdout.rstrip().rpartition("\n")
    return text, set(json.loads(modules))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "linkgap")
def test_help_loads_no_heavy_module(command: list[str]) -> None:
    text, modules = _help(command)
    assert "usage: linkgap" in text
    assert modules & HEAVY == set()


@pytest.mark.parametrize("command", [c for c in COMMANDS if c], ids=" ".join)
def test_every_subcommand_has_a_description_and_an_example(command: list[str]) -> None:
    text, _ = _help(command)
    description = text.split("\n\n")[1]
    assert description.strip()
    assert not description.startswith(("positional arguments", "options"))
    examples = text.split("\nexamples:\n", 1)[1]
    assert f"linkgap {command[0]}" in examples


def test_the_top_level_help_lists_every_subcommand_with_a_summary() -> None:
    text, _ = _help([])
    for name in ("gap", "vet", "db", "serve", "worker", "shell", "clock", "digest", "gsc"):
        line = next(line for line in text.splitlines() if line.strip().startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 10


def test_vet_help_names_every_placement_type() -> None:
    assert PLACEMENT_HELP.split(", ") == list(PLACEMENT_TYPES)
