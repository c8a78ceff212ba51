"""The full prospect list as CSV, safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
is a formula to Excel and Google Sheets; such cells get a leading ``'`` so a
hostile domain name or title can never run as one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from bot.gap.models import GapReport

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _rows(report: GapReport) -> Iterable[list[str]]:
    yield ["domain", "competitors_linked", "domain_rating", "warm"]
    for prospect in report.prospects:
        yield [
            neutralise(prospect.domain),
            str(prospect.competitors_linked),
            "" if prospect.domain_rating is None else f"{prospect.domain_rating:g}",
            "yes" if prospect.warm else "no",
        ]


def prospects_csv(report: GapReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(_rows(report))
    return buffer.getvalue()
