"""``linkgap db upgrade``: apply the Alembic migrations (the Procfile's release step)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.help import add_command


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "db",
        summary="database maintenance: apply the schema migrations",
        description="Apply the schema migrations to $DATABASE_URL (the release step of a "
        "deployment; the local shell and the terminal commands migrate by themselves).",
        examples=(
            "DATABASE_URL=postgresql+psycopg://user@host/linkgap linkgap db upgrade",
            "linkgap db upgrade --revision head",
        ),
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = add_command(
        actions,
        "upgrade",
        summary="apply migrations up to the latest schema",
        examples=("linkgap db upgrade",),
    )
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.store.migrate import current_revision, upgrade

    url = load_settings().database_url
    upgrade(url, args.revision)
    print(f"database at revision {current_revision(url)}")
    return 0
