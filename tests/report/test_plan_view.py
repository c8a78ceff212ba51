"""The plan's words: one summary sentence and one next step, the same on every surface."""

from __future__ import annotations

from datetime import date

from bot.report.plan_view import (
    PlanLine,
    PlanView,
    next_step,
    plan_summary,
    plan_view_from_contract,
)


def view(gap: int | None, size: int, reserve: int = 0, eta: int | None = None) -> PlanView:
    lines = tuple(
        PlanLine(f"p{i}.com", 0.5, "links to 2 of 3", f"https://p{i}.com/") for i in range(size)
    )
    return PlanView("kw", "https://example.com/x", gap, lines, (), eta, size, size, reserve)


def test_the_summary_says_how_many_close_the_gap_the_reserve_and_when() -> None:
    assert plan_summary(view(3, 3, 1, eta=45), today=date(2026, 12, 1)) == (
        "3 prospects close the entry gap of 3, with 1 in reserve for refusals. At the "
        "campaign's pace the entry target is 45 days away (2027-01-15)."
    )
    assert plan_summary(view(1, 1)) == "1 prospect closes the entry gap of 1."


def test_a_gap_larger_than_the_prospects_says_where_the_rest_must_come_from() -> None:
    assert plan_summary(view(1_081, 46)) == (
        "all 46 prospects together close 46 of the entry gap of 1,081; the other 1,035 must "
        "come from sites that link to no competitor yet."
    )


def test_no_gap_no_target_or_no_prospect_is_said_plainly() -> None:
    assert plan_summary(view(0, 0)) == "No link plan: there is no entry gap to close."
    assert plan_summary(view(None, 0)) == "No link plan: there is no entry target to aim at."
    assert "no domain links to enough comparable pages" in plan_summary(view(5, 0))


def test_the_next_step_names_the_first_three() -> None:
    assert next_step(view(9, 5)) == "Pitch these 3 first: p0.com, p1.com, p2.com"
    assert next_step(view(1, 1)) == "Pitch this one first: p0.com"
    assert next_step(view(0, 0)) is None


def test_a_stored_plan_pitches_the_linking_page_that_fits_the_keyword() -> None:
    document = {
        "keyword": "trail running shoes", "target_url": "https://example.com/x", "entry_gap": 1,
        "prospects": [{"domain": "run.com", "linked_pages": [
            {"position": 1, "competitor_url": "https://c1.com/", "linking_url": "https://run.com/recipes",
             "anchor": "here", "followed": True, "first_seen": None, "title": None},
            {"position": 2, "competitor_url": "https://c2.com/",
             "linking_url": "https://run.com/trail-running-shoes", "anchor": "trail running shoes",
             "followed": True, "first_seen": "2025-01-02", "title": None},
        ]}],
        "plan": {"prospects": [{"domain": "run.com", "score": 0.8, "reason": "r"}], "reserve": [],
                 "eta_days": None},
    }  # fmt: skip
    stored = plan_view_from_contract(document)
    assert [line.pitch_url for line in stored.entries] == ["https://run.com/trail-running-shoes"]
