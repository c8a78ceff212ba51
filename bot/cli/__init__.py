"""The ``linkgap`` command: one thin edge over the core, with the project's exit codes.

Exit codes (DESIGN section 9): 0 done, 2 bad input (message on stderr),
3 provider failure. Every ``LinkgapError`` becomes one line on stderr here and
nowhere else; anything unexpected is logged with its trace for the operator and
reported to the user as an internal error without details.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.cli import clock as clock_command
from bot.cli import db as db_command
from bot.cli import digest as digest_command
from bot.cli import gap as gap_command
from bot.cli import gsc as gsc_command
from bot.cli import serve as serve_command
from bot.cli import shell as shell_command
from bot.cli import vet as vet_command
from bot.cli import worker as worker_command
from bot.errors import LinkgapError

log = logging.getLogger("linkgap")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linkgap",
        description="How many backlinks a page really needs to rank: the link gap to the "
        "weakest comparable pages that outrank it.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    gap_command.register(commands)
    vet_command.register(commands)
    db_command.register(commands)
    serve_command.register(commands)
    worker_command.register(commands)
    shell_command.register(commands)
    clock_command.register(commands)
    digest_command.register(commands)
    gsc_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        # Without -v a failure is exactly one line on stderr: retries and
        # recoverable hiccups are the operator's business, not the user's.
        level=logging.INFO if args.verbose else logging.ERROR,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        result: int = args.handler(args)
    except LinkgapError as error:
        print(f"linkgap: {error.message}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (``linkgap gap … --json | head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("linkgap: interrupted", file=sys.stderr)
        return 130
    except Exception:
        log.exception("internal error")
        print("linkgap: internal error; run with -v for details.", file=sys.stderr)
        return 1
    return result
