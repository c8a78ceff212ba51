"""``linkgap db upgrade``: apply the Alembic migrations (the Procfile's release step)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import load_settings


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply migrations up to the latest schema")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from bot.store.migrate import current_revision, upgrade

    url = load_settings().database_url
    upgrade(url, args.revision)
    print(f"database at revision {current_revision(url)}")
    return 0
