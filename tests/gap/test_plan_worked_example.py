"""docs/method.md's worked example of the link plan, checked against the planner."""

from __future__ import annotations

import re
from pathlib import Path

from bot.gap.models import Prospect
from bot.gap.plan import build_plan, likelihood

METHOD = Path(__file__).resolve().parents[2] / "docs" / "method.md"


def example() -> tuple[list[list[str]], list[str], list[str]]:
    text = METHOD.read_text(encoding="utf-8")
    table = text.split("<!-- plan-example:start -->")[1].split("<!-- plan-example:end -->")[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in table.strip().splitlines()[2:]
    ]
    found = re.search(r"\*\*Plan: ([^*]+)\*\*; \*\*Reserve: ([^*]+)\*\*", text)
    assert found is not None, "the result line is missing"
    return rows, found.group(1).split(", "), found.group(2).split(", ")


def number(cell: str) -> float | None:
    return None if cell in {"unknown", "unrated"} else float(cell)


def test_the_plan_example_in_the_docs_is_what_the_planner_computes() -> None:
    rows, plan, reserve = example()
    assert len(rows) == 4
    prospects = []
    for domain, linked, followed, fit, warm, rating, traffic, score in rows:
        assert fit == "unknown"  # the example's fits are unknown: 0.5 each
        prospect = Prospect(
            domain, int(linked), number(rating), warm == "yes", followed == "yes", number(traffic)
        )
        assert likelihood(prospect, 5, None) == float(score), domain
        prospects.append(prospect)
    result = build_plan(prospects, entry_gap=2, comparable_pages=5)
    assert [entry.domain for entry in result.prospects] == plan
    assert [entry.domain for entry in result.reserve] == reserve
