"""The prospects CSV: every field a pitch needs, one row per link, formulas neutralised."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.gap.analysis import analyse
from bot.gap.models import GapInput, ReferringDomain
from bot.gap.settings import GapSettings
from bot.report.prospects_csv import HEADER, prospects_csv
from tests.gap.factories import serp

PAGES = ["https://c1.com/trail-running-shoes", "https://c2.com/trail-running-shoes"]
TARGET = "https://example.com/trail-shoes"


def test_each_link_of_each_prospect_is_a_row_and_formulas_cannot_run() -> None:
    hostile = ReferringDomain(
        "run.com", 40.0, linking_url="https://run.com/trail", anchor="=HYPERLINK(\"x\")",
        linking_title="@SUM(A1)", first_seen=date(2024, 5, 2), traffic=1500.0, followed=False,
    )  # fmt: skip
    plain = ReferringDomain("run.com", 40.0, linking_url="https://run.com/shoes", anchor="shoes")
    report = analyse(
        GapInput("trail running shoes", TARGET, serp(*PAGES),
                 {PAGES[0]: [hostile], PAGES[1]: [plain], TARGET: []}),
        GapSettings(),
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(prospects_csv(report))))
    assert rows[0] == HEADER
    first, second = (dict(zip(HEADER, row, strict=True)) for row in rows[1:])
    assert first == {
        "domain": "run.com", "competitors_linked": "2", "domain_rating": "40", "traffic": "1500",
        "warm": "no", "followed": "yes", "topical_fit": first["topical_fit"], "plan": "plan",
        "position": "1", "competitor_url": PAGES[0], "linking_url": "https://run.com/trail",
        "linking_title": "'@SUM(A1)", "anchor": "'=HYPERLINK(\"x\")", "link_followed": "no",
        "first_seen": "2024-05-02",
    }  # fmt: skip
    assert 0 <= float(first["topical_fit"]) <= 1
    assert (second["position"], second["linking_url"], second["link_followed"]) == (
        "2",
        "https://run.com/shoes",
        "yes",
    )
