"""``linkgap gap KEYWORD URL``: one analysis in the terminal, or the JSON contract with --json."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.help import add_command
from bot.errors import BadInput
from bot.providers.registry import PROVIDER_NAMES

if TYPE_CHECKING:
    from bot.report.outcome import GapOutcome


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "gap",
        summary="link-gap analysis for one keyword and one page",
        description="Compare your page with the weakest comparable pages that outrank it.",
        examples=(
            'linkgap gap "trail running shoes" https://www.example.com/trail-shoes',
            'linkgap gap "crm software" https://www.example.com/crm --data ./exports --json',
            'linkgap gap "trail running shoes" https://www.example.com/trail-shoes --chart gap.png',
        ),
    )
    _analysis_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the JSON contract instead")
    parser.add_argument(
        "--chart",
        type=Path,
        metavar="FILE",
        help="also write the report's chart to FILE, a PNG (800x400): each top result's "
        "quality referring domains, your page and the targets",
    )
    parser.set_defaults(handler=run)

    plan = add_command(
        commands,
        "plan",
        summary="the link plan: the fewest prospects that close the entry gap",
        description="Run the analysis and show its link plan: as many prospects as the entry "
        "gap needs, best chance first, each with its reason, and a reserve of half as many.",
        examples=(
            'linkgap plan "trail running shoes" https://www.example.com/trail-shoes',
            'linkgap plan "crm software" https://www.example.com/crm --data ./exports --json',
        ),
    )
    _analysis_arguments(plan)
    plan.add_argument(
        "--json", action="store_true", help='print {"prospects", "reserve", "eta_days"}'
    )
    plan.set_defaults(handler=run_plan)


def _analysis_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("keyword", help='the search phrase, e.g. "trail running shoes"')
    parser.add_argument(
        "url", help="the page you want to rank, e.g. https://www.example.com/trail-shoes"
    )
    parser.add_argument(
        "--provider",
        help=f"data source: {', '.join(PROVIDER_NAMES)} (default: $LINKGAP_PROVIDER or demo)",
    )
    parser.add_argument("--data", type=Path, help="folder of Ahrefs/Semrush exports (csv provider)")
    parser.add_argument("--country", default="us", help="two-letter country code (default: us)")
    parser.add_argument("--language", default="en", help="two-letter language code (default: en)")
    parser.add_argument(
        "--no-fetch",
        action="store_true",
        help="fetch no page: skip the own-page audit and the crawl of your site",
    )


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: ``linkgap gap --help`` must not load the analysis stack.
    from rich.console import Console

    from bot.report.contract import gap_contract
    from bot.report.terminal import render_gap

    if args.chart is not None:
        check_chart_path(args.chart)  # before the analysis: a bad path costs no provider request
    outcome = _analyse(args)
    if args.json:
        json.dump(gap_contract(outcome), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        render_gap(outcome, Console(width=max(100, Console().width), highlight=False))
    if args.chart is not None:
        write_chart(outcome, args.chart)
    return 0


def check_chart_path(path: Path) -> None:
    """Refuse a ``--chart`` path that could not take the PNG, naming what is wrong with it."""
    if path.suffix.lower() != ".png":
        raise BadInput(f"--chart {path}: the chart is a PNG; give a file name ending in .png.")
    if path.is_dir():
        raise BadInput(f"--chart {path} is a folder; give a file name, e.g. {path / 'gap.png'}.")
    folder = path.parent
    if not folder.exists():
        raise BadInput(f"--chart {path}: the folder {folder} does not exist; create it first.")
    if not folder.is_dir():
        raise BadInput(f"--chart {path}: {folder} is a file, not a folder.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInput(f"--chart {path}: no permission to write there.")


def write_chart(outcome: GapOutcome, path: Path) -> None:
    """The report's chart as a PNG at ``path``; where it went is said on stderr (stdout may be
    the JSON contract)."""
    from bot.report.gap_chart import gap_chart, render_gap_chart

    png = render_gap_chart(gap_chart(outcome.report))
    try:
        path.write_bytes(png)
    except OSError as error:
        raise BadInput(
            f"--chart {path}: could not write it ({error.strerror or error})."
        ) from error
    print(f"chart written to {path}", file=sys.stderr)


def run_plan(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.report.contract import plan_contract
    from bot.report.terminal import render_plan

    outcome = _analyse(args)
    if args.json:
        json.dump(plan_contract(outcome.report.plan), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        render_plan(outcome, Console(width=max(100, Console().width), highlight=False))
    return 0


def _analyse(args: argparse.Namespace) -> GapOutcome:
    """One analysis as ``gap`` and ``plan`` run it: recorded, cached, the page audited."""
    from bot.config import load_settings
    from bot.providers.registry import make_provider
    from bot.services.gap import GapRequest
    from bot.services.gap_store import run_and_record
    from bot.services.own_site import CrawlRequest
    from bot.services.providers import cached
    from bot.store.migrate import migrated_sessions
    from bot.web.fetchers import fetcher_for

    settings = load_settings()
    request = GapRequest.parse(args.keyword, args.url, args.country, args.language)
    provider_name = args.provider or ("csv" if args.data is not None else settings.linkgap_provider)
    provider = make_provider(provider_name, data_dir=args.data, environ=settings.provider_keys())
    fetcher = (
        None
        if args.no_fetch
        else fetcher_for(provider.sample_data, lambda: [args.url], lambda: [request.keyword])
    )
    crawl = (
        CrawlRequest(
            fetcher,
            max_pages=settings.linkgap_crawl_max_pages,
            progress=crawl_progress if sys.stderr.isatty() else None,
        )
        if fetcher is not None and settings.linkgap_crawl_max_pages
        else None
    )
    with migrated_sessions(settings.database_url) as sessions:
        outcome = run_and_record(
            sessions, cached(provider, sessions), request, fetcher=fetcher, crawl=crawl
        )
    if crawl is not None and crawl.progress is not None:
        sys.stderr.write("\r\033[K")  # the progress line gives way to the report
    return outcome


def crawl_progress(done: int, planned: int) -> None:
    """One line on a terminal's stderr, rewritten in place while the crawl of the site runs."""
    sys.stderr.write(f"\rCrawling your site for internal support: {done:,} of {planned:,} pages")
    sys.stderr.flush()
