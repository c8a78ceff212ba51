"""The full prospect list as CSV, safe to open in a spreadsheet: one row per link.

Each prospect comes with every competitor page it links to (position and URL)
and the link itself (linking page, its title, anchor, followed, first seen),
so the sheet is something to pitch from, not a list of names.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
is a formula to Excel and Google Sheets; such cells get a leading ``'`` so a
hostile domain name or title can never run as one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bot.collector import collector_paused
from bot.gap.models import GapReport

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


HEADER = [
    "domain", "competitors_linked", "domain_rating", "traffic", "warm", "followed",
    "topical_fit", "plan", "position", "competitor_url", "linking_url", "linking_title",
    "anchor", "link_followed", "first_seen",
]  # fmt: skip


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _rows(report: GapReport) -> Iterable[list[str]]:
    """One row per link: a prospect's own columns, then one competitor page it links to.

    ``plan`` says ``plan`` or ``reserve`` for the prospects the link plan picked.
    """
    yield HEADER
    domains = [prospect.domain for prospect in report.prospects]
    links = report.prospect_links
    pages_of = links.linked_pages_of(domains) if links is not None else [() for _ in domains]
    fits = links.topical_fits(domains) if links is not None else [None for _ in domains]
    planned: dict[str, str] = {}
    if report.plan is not None:
        planned = {entry.domain: "reserve" for _, entry, _ in report.plan.ranked}
        planned.update(
            {entry.domain: "plan" for _, entry, _ in report.plan.ranked[: report.plan.size]}
        )
    for prospect, pages, fit in zip(report.prospects, pages_of, fits, strict=True):
        own = [
            neutralise(prospect.domain),
            str(prospect.competitors_linked),
            _number(prospect.domain_rating),
            _number(prospect.traffic),
            "yes" if prospect.warm else "no",
            "yes" if prospect.followed else "no",
            "" if fit is None else f"{fit:.2f}",
            planned.get(prospect.domain, ""),
        ]
        for page in pages or [None]:
            if page is None:
                yield [*own, "", "", "", "", "", "", ""]
                continue
            yield [
                *own,
                str(page.position),
                neutralise(page.competitor_url),
                neutralise(page.linking_url),
                neutralise(page.title),
                neutralise(page.anchor),
                "yes" if page.followed else "no",
                page.first_seen.isoformat() if page.first_seen else "",
            ]


def prospects_csv(report: GapReport) -> str:
    """Every prospect's rows as CSV text, written with the cyclic collector paused (tens of
    thousands of rows of small containers without cycles)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with collector_paused():
        writer.writerows(_rows(report))
    return buffer.getvalue()
