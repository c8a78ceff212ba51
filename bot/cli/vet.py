"""``linkgap vet PROSPECT_URL TARGET_URL --anchor TEXT``: vet one proposed placement.

``--keyword``/``--brand`` stand in for a campaign's settings when no
``--campaign`` is given. The verdict is a result, not an error: exit 0 for
pass, warn and fail alike; 2 for bad input, 3 when the provider fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from bot.cli.help import add_command
from bot.errors import BadInput
from bot.providers.registry import PROVIDER_NAMES

if TYPE_CHECKING:
    from rich.console import Console

    from bot.services.vetting import VettingCase
    from bot.vetting import VettingResult

_STYLES = {"pass": "green", "warn": "yellow", "fail": "red"}
#: The placements ``--placement`` accepts, written out so ``vet --help`` loads no vetting code;
#: a test holds it equal to ``bot.vetting.models.PLACEMENT_TYPES``.
PLACEMENT_HELP = "in-content, author-bio, sidebar, footer, comment, directory, unknown"


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "vet",
        summary="vet a proposed link placement against the relevance and anchor rules",
        description="Check a proposed placement before anyone spends effort on it.",
        examples=(
            "linkgap vet https://www.runnersweekly.com/trail-running-shoes-review "
            'https://www.example.com/trail-shoes --anchor "trail shoes guide" '
            '--keyword "trail running shoes" --placement in-content',
            'linkgap vet https://blog.site.com/post https://www.example.com/crm --anchor "CRM" '
            "--campaign 1 --json",
        ),
    )
    parser.add_argument("prospect_url", help="the page that would link to you")
    parser.add_argument("target_url", help="the page on your site it would link to")
    parser.add_argument("--anchor", required=True, help="the anchor text of the link")
    parser.add_argument("--keyword", help="the campaign keyword (when no --campaign is given)")
    parser.add_argument("--brand", action="append", default=[], help="a brand term (repeatable)")
    parser.add_argument("--topic", action="append", default=[], help="a topic term (repeatable)")
    parser.add_argument(
        "--placement", default="unknown", help=f"where the link sits: {PLACEMENT_HELP}"
    )
    parser.add_argument("--campaign", type=int, help="a campaign id tracked from this terminal")
    parser.add_argument("--provider", help=f"data source: {', '.join(PROVIDER_NAMES)}")
    parser.add_argument("--no-fetch", action="store_true", help="don't fetch the prospect page")
    parser.add_argument("--json", action="store_true", help="print the JSON contract instead")
    parser.set_defaults(handler=run)


def _case(args: argparse.Namespace, sessions: Any) -> VettingCase:
    from bot.gap.inputs import validate_keyword
    from bot.services.vetting import adhoc_case, campaign_case
    from bot.store.db import transaction
    from bot.store.repositories import find_local_campaign

    if args.campaign is not None:
        with transaction(sessions) as session:
            campaign = find_local_campaign(session, args.campaign)
            if campaign is None:
                raise BadInput(
                    f"There is no campaign {args.campaign} tracked from this terminal or "
                    "linkgap shell; give --keyword (and --brand) instead, or track the "
                    "campaign first."
                )
            return campaign_case(session, campaign)
    if not args.keyword:
        raise BadInput('Give the campaign keyword with --keyword "…" (or a --campaign id).')
    return adhoc_case(validate_keyword(args.keyword), args.target_url, args.brand, args.topic)


def render(result: VettingResult, console: Console, *, sample_data: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    if sample_data:
        console.print(
            Text(
                " SAMPLE DATA: domain ratings come from the demo provider "
                "(use --provider for real ones) ",
                style="black on yellow",
            )
        )
    verdict = Text(f"Verdict: {result.verdict.upper()}", style=f"bold {_STYLES[result.verdict]}")
    console.print(verdict, Text(f"   anchor class: {result.anchor_class}"))
    table = Table(show_header=True, expand=True)
    table.add_column("Check", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Why", ratio=1)
    for check in result.checks:
        table.add_row(
            check.name, Text(check.verdict, style=_STYLES[check.verdict]), Text(check.reason)
        )
    console.print(table)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: ``linkgap vet --help`` must not load the vetting stack.
    from rich.console import Console

    from bot.config import load_settings
    from bot.providers.registry import make_provider
    from bot.services.providers import cached
    from bot.services.vetting import run_vetting, vetting_contract
    from bot.store.migrate import migrated_sessions
    from bot.vetting import Proposal, validate_proposal
    from bot.web.fetchers import fetcher_for

    settings = load_settings()
    placement = validate_proposal(
        Proposal(args.prospect_url, args.target_url, args.anchor, args.placement)
    )
    provider = make_provider(
        args.provider or settings.linkgap_provider, environ=settings.provider_keys()
    )
    with migrated_sessions(settings.database_url) as sessions:
        case = _case(args, sessions)
        result = run_vetting(
            placement,
            case,
            provider=cached(provider, sessions),
            fetcher=None
            if args.no_fetch
            else fetcher_for(provider.sample_data, lambda: [args.target_url]),
        )
    if args.json:
        json.dump(vetting_contract(result), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        console = Console(width=max(100, Console().width), highlight=False)
        render(result, console, sample_data=provider.sample_data)
    return 0
