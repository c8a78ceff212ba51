"""The link plan as every surface shows it: a few lines, a next step, a date.

The terminal, the Slack report, ``/linkgap plan`` and the digest all say the
same words, built here from either a fresh ``GapReport`` or an analysis stored
as the JSON contract (``/linkgap plan`` and the digest read the campaign's
latest one, so they cost no provider request).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.gap.link_fit import LinkFits
from bot.gap.models import GapReport, LinkedPage
from bot.gap.plan import PlanEntry, page_fits, pitch_first, pitch_link


@dataclass(frozen=True, slots=True)
class PlanLine:
    domain: str
    score: float
    reason: str
    #: The page to propose a placement on: the prospect's pitch link, else its homepage.
    pitch_url: str


@dataclass(frozen=True, slots=True)
class PlanView:
    keyword: str
    target_url: str
    entry_gap: int | None
    entries: tuple[PlanLine, ...]
    reserve: tuple[PlanLine, ...]
    eta_days: int | None
    #: How many prospects the analysis found (the plan is drawn from them).
    eligible: int
    #: The plan's full size and its reserve's (``entries`` may show only the first few).
    size: int = 0
    reserve_size: int = 0


def _line(entry: PlanEntry) -> PlanLine:
    return PlanLine(
        entry.domain, entry.score, entry.reason, entry.linking_url or f"https://{entry.domain}/"
    )


def plan_view_of(report: GapReport, shown: int | None = None) -> PlanView:
    """The plan of a fresh analysis; ``shown`` writes only that many entries (Slack shows a few)."""
    plan = report.plan
    if plan is None:
        return PlanView(report.keyword, report.target_url, report.entry_gap, (), (), None, 0)
    if shown is None:
        entries, reserve = plan.prospects, plan.reserve
    else:
        written = plan.head(min(shown, plan.size))
        entries, reserve = written, ()
    return PlanView(
        keyword=report.keyword,
        target_url=report.target_url,
        entry_gap=report.entry_gap,
        entries=tuple(map(_line, entries)),
        reserve=tuple(map(_line, reserve)),
        eta_days=plan.eta_days,
        eligible=plan.eligible,
        size=plan.size,
        reserve_size=len(plan.ranked) - plan.size,
    )


def plan_view_from_contract(
    document: Mapping[str, Any], topic_terms: Sequence[str] = ()
) -> PlanView:
    """The plan of a stored analysis (the JSON contract); pitch pages chosen from its
    prospects' linked pages as the analysis chose them (``pitch_link``)."""
    plan = document.get("plan") or {}
    planned = {
        str(item["domain"])
        for item in [*(plan.get("prospects") or []), *(plan.get("reserve") or [])]
    }
    prospects = [
        prospect
        for prospect in document.get("prospects") or []
        if prospect.get("domain") in planned
    ]
    pages_of = [
        [_linked_page(page) for page in prospect.get("linked_pages") or []]
        for prospect in prospects
    ]
    fits_of = page_fits(pages_of, LinkFits(str(document.get("keyword", "")), tuple(topic_terms)))
    pitch: dict[str, str] = {}
    for prospect, pages, fits in zip(prospects, pages_of, fits_of, strict=True):
        best = pitch_link(pages, fits)
        if best is not None and best.linking_url:
            pitch[str(prospect["domain"])] = best.linking_url

    def lines(items: Sequence[Mapping[str, Any]]) -> tuple[PlanLine, ...]:
        return tuple(
            PlanLine(
                str(item["domain"]),
                float(item["score"]),
                str(item["reason"]),
                pitch.get(str(item["domain"]), f"https://{item['domain']}/"),
            )
            for item in items
        )

    entries, reserve = lines(plan.get("prospects") or []), lines(plan.get("reserve") or [])
    return PlanView(
        keyword=str(document.get("keyword", "")),
        target_url=str(document.get("target_url", "")),
        entry_gap=document.get("entry_gap"),
        entries=entries,
        reserve=reserve,
        eta_days=plan.get("eta_days"),
        eligible=len(document.get("prospects") or []),
        size=len(entries),
        reserve_size=len(reserve),
    )


def plan_summary(view: PlanView, today: date | None = None) -> str:
    """One sentence: how many prospects close the gap, the reserve, and when at this pace."""
    total = view.size
    gap = view.entry_gap
    if not gap:
        return (
            "No link plan: there is no entry gap to close."
            if gap == 0
            else "No link plan: there is no entry target to aim at."
        )
    if not total:
        return (
            f"No link plan: the entry gap is {gap:,} but no domain links to enough "
            "comparable pages to be a prospect."
        )
    noun = "prospect" if total == 1 else "prospects"
    if total >= gap:
        verb = "closes" if total == 1 else "close"
        sentence = f"{total:,} {noun} {verb} the entry gap of {gap:,}"
    else:
        sentence = (
            f"all {total:,} {noun} together close {total:,} of the entry gap of {gap:,}; the "
            f"other {gap - total:,} must come from sites that link to no competitor yet"
        )
    if view.reserve_size:
        sentence += f", with {view.reserve_size:,} in reserve for refusals"
    sentence += "."
    if view.eta_days is not None:
        when = f" ({(today + timedelta(days=view.eta_days)).isoformat()})" if today else ""
        days = f"{view.eta_days:,} days away{when}"
        sentence += f" At the campaign's pace the entry target is {days}."
    return sentence


def next_step(view: PlanView) -> str | None:
    """``Pitch these 3 first: a.com, b.com, c.com`` — the plan's head as one line."""
    return pitch_first([line.domain for line in view.entries])


def _linked_page(page: Mapping[str, Any]) -> LinkedPage:
    """A stored ``linked_pages`` item back as the value the analysis had."""
    seen = page.get("first_seen")
    return LinkedPage(
        position=int(page.get("position") or 0),
        competitor_url=str(page.get("competitor_url") or ""),
        linking_url=page.get("linking_url"),
        anchor=page.get("anchor"),
        followed=bool(page.get("followed")),
        first_seen=date.fromisoformat(seen) if isinstance(seen, str) else None,
        title=page.get("title"),
    )
