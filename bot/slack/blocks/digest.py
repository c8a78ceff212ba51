"""The digest as a Slack message: Block Kit from ``templates/digest.json.j2`` and a notification.

Python builds the sentences, the template holds the JSON. Text built here is
``Mrkdwn`` (it uses bold and code spans) and every outside piece in it — the
keyword, the URL, domains — goes through ``escape`` or ``link`` first, so
nothing from a SERP or a user can mention a channel or disguise a link.
"""

from __future__ import annotations

from typing import Any

from bot.digest.models import Digest, Movement, ProgressBar, Traffic
from bot.slack.blocks.messages import compact_url, count_text
from bot.slack.blocks.mrkdwn import Mrkdwn, escape, link, render_blocks

_POSITION_SOURCE = {"serp-snapshot": "SERP snapshots", "search-console": "Search Console"}
_TRAFFIC_SOURCE = {"search-console": "Search Console", "provider-estimate": "provider estimate"}


def digest_blocks(digest: Digest, *, chart_file_id: str | None = None) -> list[dict[str, Any]]:
    """The digest message; ``chart_file_id`` (a ``files_upload_v2`` file) adds the chart inline."""
    return render_blocks(
        "digest.json.j2",
        header=f"Weekly digest: {digest.keyword}",
        late_line=late_line(digest),
        page_line=Mrkdwn(
            f"*Page:* {link(digest.target_url, compact_url(digest.target_url, 80))}"
            f" · week {escape(digest.period.key)}"
        ),
        summary_fields=[
            _rds_field(digest),
            _position_field(digest.movement, digest.rds_now is not None),
            _traffic_field(digest.traffic),
            _eta_field(digest),
            *_internal_support_field(digest),
        ],
        progress_text=_progress_text(digest),
        chart_file_id=chart_file_id,
        chart_alt=_chart_alt(digest),
        new_text=_domain_list("New quality domains", digest, new=True),
        lost_text=_domain_list("Lost quality domains", digest, new=False),
        quality_text=_quality_text(digest),
        next_step_text=Mrkdwn(f":point_right: *Next step:* {escape(digest.next_step.message)}"),
        footer=_footer(digest),
    )


def digest_text(digest: Digest) -> str:
    """The notification / fallback text: one escaped line."""
    parts = [f"Weekly digest for “{digest.keyword}”"]
    if digest.rds_now is not None:
        change = digest.rds_change
        parts.append(
            f"{digest.rds_now:,} quality referring domains"
            + (f" ({change:+,d} this week)" if change is not None else "")
        )
    if digest.entry_gap:
        parts.append(f"entry gap {digest.entry_gap:,}")
    elif digest.stretch_gap:
        parts.append(f"stretch gap {digest.stretch_gap:,}")
    text = ": ".join(parts[:2]) + "".join(f", {part}" for part in parts[2:])
    return escape(("(late) " if digest.late else "") + text)


def late_line(digest: Digest) -> str | None:
    """The header line of a late digest, naming the wall-clock time it was due at."""
    if not digest.late:
        return None
    at = digest.period.scheduled_local
    return (
        f":warning: This digest is late: linkgap was down at {at:%H:%M} {at:%A} "
        f"{at.day} {at:%b} ({at.tzname()}, {at.tzinfo}), when it was due."
    )


def _rds_field(digest: Digest) -> Mrkdwn:
    title = "*Quality referring domains*"
    if digest.rds_now is None:
        return Mrkdwn(f"{title}\nno snapshot yet")
    change = digest.rds_change
    if change is None:
        return Mrkdwn(f"{title}\n{digest.rds_now:,} (first week: nothing to compare yet)")
    return Mrkdwn(f"{title}\n*{digest.rds_now:,}* ({change:+,d} vs 7 days ago)")


def _internal_support_field(digest: Digest) -> list[Mrkdwn]:
    """Pages of your own site linking to the page, week to week; nothing if never crawled."""
    support = digest.internal_support
    if support is None:
        return []
    title = "*Internal support* (pages of your site linking here)"
    if support.now is None:
        return [Mrkdwn(f"{title}\nnot measured this week (last on {support.last_day:%d %b})")]
    change = support.change
    if change is None:
        return [Mrkdwn(f"{title}\n{support.now:,} (first count: nothing to compare yet)")]
    return [Mrkdwn(f"{title}\n*{support.now:,}* ({change:+,d} vs 7 days ago)")]


def _position(value: float | None, source: str) -> str:
    if value is None:
        return "not ranking"
    return f"#{value:.0f}" if source == "serp-snapshot" else f"avg {value:.1f}"


def _position_field(movement: Movement, has_data: bool) -> Mrkdwn:
    title = f"*Keyword position* ({_POSITION_SOURCE[movement.source]})"
    if not has_data and movement.source == "serp-snapshot":
        return Mrkdwn(f"{title}\nno snapshot yet")
    now = _position(movement.now, movement.source)
    if not movement.compared:
        return Mrkdwn(f"{title}\n*{now}* (first week: nothing to compare yet)")
    if movement.week_ago is None and movement.now is None:
        return Mrkdwn(f"{title}\nnot ranking (nor a week ago)")
    before = _position(movement.week_ago, movement.source)
    gained = movement.places_gained
    if gained is None:
        change = "new in the results" if movement.week_ago is None else "dropped out"
    elif gained == 0:
        change = "no change"
    else:
        digits = 0 if movement.source == "serp-snapshot" else 1
        amount = f"{abs(gained):.{digits}f}"
        change = f"{'up' if gained > 0 else 'down'} {amount}"
    return Mrkdwn(f"{title}\n{before} → *{now}* ({change})")


def _traffic_field(traffic: Traffic | None) -> Mrkdwn:
    if traffic is None:
        return Mrkdwn(
            "*Landing-page traffic*\nnot connected: connect Search Console or a provider "
            "with traffic estimates"
        )
    title = f"*Landing-page traffic* ({_TRAFFIC_SOURCE[traffic.source]})"
    change = traffic.change_percent
    if not traffic.previous_known:
        versus = "first week: nothing to compare yet"
    elif change is not None:
        versus = f"{change:+.0f}% vs previous 7 days"
    else:
        versus = "previous 7 days: 0, no % to show"
    return Mrkdwn(f"{title}\n*{traffic.last_7_days:,}* visits in 7 days ({versus})")


def _eta_field(digest: Digest) -> Mrkdwn:
    progress = digest.progress
    if progress is None:
        return Mrkdwn("*ETA*\nno targets yet")
    if progress.stage == "done":
        return Mrkdwn("*ETA*\nboth targets reached")
    title = f"*ETA to the {progress.stage} target*"
    velocity = digest.velocity_per_30_days
    if velocity is None:
        return Mrkdwn(f"{title}\nnot enough history yet (needs 2 weeks of snapshots)")
    pace = f"{velocity:.1f} quality referring domains / 30 days"
    if digest.eta_days is None or digest.eta_date is None:
        return Mrkdwn(f"{title}\nnone at the current pace ({pace})")
    return Mrkdwn(f"{title}\n~{digest.eta_days} days ({digest.eta_date:%d %b %Y}) at {pace}")


def _progress_text(digest: Digest) -> Mrkdwn:
    gaps = []
    if digest.entry_target is not None:
        gaps.append(f"entry gap *{count_text(digest.entry_gap)}* (target {digest.entry_target:,})")
    if digest.stretch_target is not None:
        gaps.append(
            f"stretch gap *{count_text(digest.stretch_gap)}* (target {digest.stretch_target:,})"
        )
    if not gaps:
        return Mrkdwn(
            "*Gap progress*\nNo targets: the latest analysis found too few comparable pages."
        )
    gap_line = " · ".join(gaps)
    gap_line = gap_line[0].upper() + gap_line[1:]
    return Mrkdwn(f"*Gap progress*\n{_bar_line(digest.progress)}\n{gap_line}")


def _bar_line(bar: ProgressBar | None) -> str:
    if bar is None:
        return "no snapshot yet"
    if bar.stage == "done":
        return f"`{bar.bar}` {bar.current:,}: every target reached"
    return (
        f"`{bar.bar}` {bar.current:,} of {bar.goal:,} toward the {bar.stage} target "
        f"(started at {bar.start:,})"
    )


def _domain_list(title: str, digest: Digest, *, new: bool) -> Mrkdwn:
    changes = digest.domains
    if changes is None:
        reason = (
            "first week: nothing to compare yet"
            if digest.rds_week_ago is None
            else "the provider gave counts only"
        )
        return Mrkdwn(f"*{title}*\n{reason}")
    names, count = (changes.new, changes.new_count) if new else (changes.lost, changes.lost_count)
    if not count:
        return Mrkdwn(f"*{title}* (0)\nnone")
    lines = [f"• {escape(name)}" for name in names]
    if count > len(names):
        lines.append(f"…and {count - len(names):,} more")
    return Mrkdwn(f"*{title}* ({count:,})\n" + "\n".join(lines))


def _quality_text(digest: Digest) -> Mrkdwn:
    share = digest.junk_share
    if share is None:
        junk = "not available (the provider gave no list of new domains)"
    elif share.total == 0:
        junk = "no new referring domains this week"
    else:
        junk = f"*{share.percent}%* ({share.passed:,} of {share.total:,})"
    if digest.anchor_mix:
        mix = " · ".join(f"{escape(name)} {count:,}" for name, count in digest.anchor_mix)
        mix += f" (exact {digest.exact_anchor_share}%)"
    else:
        mix = "no live placements yet"
    p = digest.placements
    pipeline = (
        f"{p.pending:,} pending · {p.approved:,} approved · {p.rejected:,} rejected · "
        f"{p.live_this_week:,} live this week"
    )
    return Mrkdwn(
        "*Link-source quality*\n"
        f"New referring domains that pass the junk filter: {junk}\n"
        f"Anchor mix of live placements: {mix}\n"
        f"Approvals: {pipeline}"
    )


def _chart_alt(digest: Digest) -> str:
    return (
        f"Quality referring domains over time for {digest.keyword}: now "
        f"{count_text(digest.rds_now)}, entry target {count_text(digest.entry_target)}, "
        f"stretch target {count_text(digest.stretch_target)}"
    )


def _footer(digest: Digest) -> str:
    traffic = _TRAFFIC_SOURCE[digest.traffic.source] if digest.traffic else "not connected"
    return (
        "Referring domains: daily refresh snapshots · "
        f"positions: {_POSITION_SOURCE[digest.movement.source]} · traffic: {traffic}"
    )
