"""The digest's one line on what to do next, chosen by rules tried in a fixed order.

One line, not a list: a digest that suggests six things gets none of them
done. The first rule that applies wins, most urgent first:

1. ``no-data``            no snapshot yet: nothing to judge.
2. ``approvals-waiting``  a placement has waited more than 3 days for votes:
                          the team is blocked on itself.
3. ``losing-domains``     more quality domains lost than gained this week (at
                          least 2 lost): links may have been removed.
4. ``targets-reached``    entry and stretch gaps are 0.
5. ``entry-reached``      the entry gap is 0: aim for the stretch target.
6. ``pitch-plan``         the entry gap is open and the latest analysis has a
                          link plan: pitch its first prospects not already
                          proposed for this campaign.
7. ``strong-prospects``   prospects link to 3+ competitors and not to you (an
                          analysis stored before link plans existed).
8. ``stalled``            no new quality domain in 2 weeks.
9. ``keep-going``         the gap left to the next target.
10. ``no-targets``        the latest analysis set no target.
"""

from __future__ import annotations

from datetime import timedelta

from bot.digest.models import DigestInput, DomainChanges, NextStep
from bot.digest.snapshots import has_domains, snapshot_on_or_before
from bot.gap.plan import pitch_first

APPROVAL_WAIT = timedelta(days=3)
STALL_WINDOW = timedelta(days=14)
#: A prospect linking to this many competitors is the strongest kind of lead.
STRONG_PROSPECT_COMPETITORS = 3
PROSPECTS_NAMED = 3
LOST_NAMED = 3


def choose_next_step(
    data: DigestInput,
    rds_now: int | None,
    entry_gap: int | None,
    stretch_gap: int | None,
    domains: DomainChanges | None,
) -> NextStep:
    if rds_now is None:
        return NextStep(
            "no-data",
            "No referring-domain snapshot yet: the daily refresh records the first one; "
            "next week's digest will show progress.",
        )
    waiting = _approvals_waiting(data)
    if waiting is not None:
        return waiting
    if domains is not None and domains.lost_count >= 2 and domains.lost_count > domains.new_count:
        named = ", ".join(domains.lost[:LOST_NAMED])
        more = domains.lost_count - min(LOST_NAMED, len(domains.lost))
        return NextStep(
            "losing-domains",
            f"{domains.lost_count:,} quality referring domains lost this week ({named}"
            + (f" and {more:,} more" if more > 0 else "")
            + "): check whether those links were removed or changed and ask for them back.",
        )
    if stretch_gap == 0 and entry_gap in (0, None):
        return NextStep(
            "targets-reached",
            "Entry and stretch targets reached: hold the position, watch for lost domains "
            "and re-run the analysis (`/linkgap gap`) to see whether the SERP moved.",
        )
    if entry_gap == 0:
        return NextStep(
            "entry-reached",
            "Entry target reached: aim for the stretch target"
            + (f" ({_domains(stretch_gap)} to go)." if stretch_gap else "."),
        )
    if entry_gap:
        unpitched = [name for name in data.plan_domains if name not in data.proposed_domains]
        pitch = pitch_first(unpitched)
        if pitch is not None:
            return NextStep(
                "pitch-plan",
                f"{pitch} — the head of the link plan for the entry gap of "
                f"{_domains(entry_gap)}; `/linkgap plan` gives each one's reason.",
            )
    strong = [p for p in data.prospects if p.competitors_linked >= STRONG_PROSPECT_COMPETITORS]
    if strong:
        names = ", ".join(p.domain for p in strong[:PROSPECTS_NAMED])
        more = len(strong) - PROSPECTS_NAMED
        verb = "links" if len(strong) == 1 else "link"
        noun = "prospect" if len(strong) == 1 else "prospects"
        return NextStep(
            "strong-prospects",
            f"{len(strong):,} {noun} {verb} to {STRONG_PROSPECT_COMPETITORS}+ competitors "
            f"and not to you: {names}" + (f" and {more:,} more" if more > 0 else ""),
        )
    if _stalled(data, rds_now):
        return NextStep(
            "stalled",
            "No new quality referring domains in 2 weeks: re-run the analysis for fresh "
            "prospects or publish something worth citing on the page.",
        )
    gap = entry_gap if entry_gap else stretch_gap
    if gap:
        which = "entry" if entry_gap else "stretch"
        return NextStep("keep-going", f"Keep going: {_domains(gap)} to the {which} target.")
    return NextStep(
        "no-targets",
        "No targets yet: run `/linkgap gap` for this keyword and page to set them.",
    )


def _domains(count: int) -> str:
    return f"{count:,} quality referring domain{'' if count == 1 else 's'}"


def _approvals_waiting(data: DigestInput) -> NextStep | None:
    oldest = data.placements.oldest_pending_at
    if not data.placements.pending or oldest is None:
        return None
    waited = data.now - oldest
    if waited <= APPROVAL_WAIT:
        return None
    pending = data.placements.pending
    return NextStep(
        "approvals-waiting",
        f"{pending} placement{'' if pending == 1 else 's'} waiting for approval, the oldest "
        f"for {waited.days} days: approvers, please vote in the approvals channel.",
    )


def _stalled(data: DigestInput, rds_now: int) -> bool:
    """No quality domain appeared between the snapshot 14 days ago and today's.

    With domain lists, any domain not there 14 days ago is new (even if the
    count fell); with counts only, a count that did not rise is a stall.
    """
    now_snap = snapshot_on_or_before(data.history, data.today)
    then = snapshot_on_or_before(data.history, data.today - STALL_WINDOW)
    if now_snap is None or then is None:
        return False
    if has_domains(now_snap) and has_domains(then):
        return not set(now_snap.quality_domains) - set(then.quality_domains)
    return rds_now <= then.quality_referring_domains
