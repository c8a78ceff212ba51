"""How every ``linkgap`` subcommand presents itself: a one-line summary and examples.

``linkgap --help`` lists the summaries; ``linkgap COMMAND --help`` adds the
description and examples a first-time user can copy. Command modules import
only this and the standard library at the top, so any ``--help`` answers without
loading the database, Slack or analysis stacks.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


def add_command(
    commands: Any,
    name: str,
    *,
    summary: str,
    examples: Sequence[str],
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Add subcommand ``name`` with its summary, a description and copyable examples."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description or f"{summary[0].upper()}{summary[1:]}.",
        epilog="examples:\n" + "\n".join(f"  {example}" for example in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser
