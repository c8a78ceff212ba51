"""Plain data into and out of the digest assembly.

The edge (scheduler job, ``/linkgap digest``) reads the store, Search Console
and the provider, and hands everything over as these values; the assembly
turns a ``DigestInput`` into a ``Digest`` without touching the world, so every
number in a digest can be checked on paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

from bot.digest.internal_support import InternalSupportChange
from bot.digest.periods import DigestPeriod
from bot.gap.models import Prospect, RdSnapshot

TrafficSource = Literal["search-console", "provider-estimate"]
PositionSource = Literal["serp-snapshot", "search-console"]
ProgressStage = Literal["entry", "stretch", "done"]


class SnapshotLike(Protocol):
    """One day of the target page from the daily refresh.

    ``bot.store.repositories.snapshots.PageSnapshot`` fits as it is, so the
    edge can pass store rows straight through.
    """

    @property
    def day(self) -> date: ...

    @property
    def quality_referring_domains(self) -> int: ...

    @property
    def quality_domains(self) -> tuple[str, ...]: ...

    @property
    def position(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class DigestSnapshot:
    """A ``SnapshotLike`` of our own, for tests, demos and edges that build snapshots by hand."""

    day: date
    quality_referring_domains: int
    #: Registrable domains that passed the junk filter; empty when the provider gave counts only.
    quality_domains: tuple[str, ...] = ()
    #: Organic position that day; ``None`` = not ranking in the results fetched.
    position: int | None = None


@dataclass(frozen=True, slots=True)
class PositionReading:
    """Positions from Search Console (average position, so a float) when it is connected."""

    now: float | None
    week_ago: float | None
    source: PositionSource = "search-console"
    #: False when Search Console has no day at all in the week before (just connected):
    #: ``week_ago`` is then unknown, not "not ranking".
    week_ago_known: bool = True


@dataclass(frozen=True, slots=True)
class TrafficReading:
    """Organic visits to the landing page: the last 7 days and the 7 days before."""

    last_7_days: int
    previous_7_days: int
    source: TrafficSource
    #: False when the source has no day in the previous 7 days (just connected).
    previous_known: bool = True


@dataclass(frozen=True, slots=True)
class PlacementSummary:
    """The approvals pipeline of the campaign.

    ``pending`` counts placements awaiting votes now; ``approved``, ``rejected``
    and ``live_this_week`` count decisions and detections during the period.
    """

    pending: int = 0
    approved: int = 0
    rejected: int = 0
    live_this_week: int = 0
    #: When the oldest pending placement was proposed (the "waiting > 3 days" rule).
    oldest_pending_at: datetime | None = None


@dataclass(frozen=True)
class DigestInput:
    """Everything one digest needs, already fetched."""

    keyword: str
    target_url: str
    #: Targets of the latest analysis (``None`` when it could not set one).
    entry_target: int | None
    stretch_target: int | None
    #: Snapshots of the target page, any order, at least the last 90 days (velocity needs them).
    history: Sequence[SnapshotLike]
    #: The campaign's local date the digest is assembled on ("now" for snapshots).
    today: date
    #: The instant of assembly (ages of pending placements are measured from it).
    now: datetime
    period: DigestPeriod
    late: bool = False
    #: Search Console positions when connected; otherwise the snapshots' SERP positions are used.
    positions: PositionReading | None = None
    #: ``None`` = neither Search Console nor a provider estimate is connected.
    traffic: TrafficReading | None = None
    placements: PlacementSummary = field(default_factory=PlacementSummary)
    #: Anchor class (``brand``, ``exact``, …) of every live placement of the campaign.
    live_anchor_classes: Sequence[str] = ()
    #: Prospects of the latest analysis, best first (``bot.gap.prospects`` order).
    prospects: Sequence[Prospect] = ()
    #: The latest analysis's link plan, in its order: the prospects to pitch first.
    plan_domains: Sequence[str] = ()
    #: Domains already proposed for this campaign (any status but withdrawn): the next
    #: step never asks to pitch a site the team has already dealt with.
    proposed_domains: frozenset[str] = frozenset()
    #: Every registrable domain first seen linking to the page in the last 7 days, junk
    #: included, from the refresh's raw list; ``None`` when the provider reports counts only.
    #: Those also in today's quality set passed the junk filter.
    new_domains_all: Sequence[str] | None = None
    #: Domain ratings when known: new and lost domains are then listed strongest first.
    domain_ratings: Mapping[str, float] = field(default_factory=dict)
    #: (day, pages of the own site linking to the page) for the days a crawl was read.
    internal_support_counts: Sequence[tuple[date, int]] = ()


@dataclass(frozen=True, slots=True)
class DomainChanges:
    """Quality referring domains gained and lost between the two snapshots."""

    #: The first few, strongest first (by name when ratings are unknown).
    new: tuple[str, ...]
    lost: tuple[str, ...]
    new_count: int
    lost_count: int


@dataclass(frozen=True, slots=True)
class JunkShare:
    """How many of the week's new referring domains passed the junk filter."""

    passed: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.passed * 100 / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class ProgressBar:
    """Where the page stands between its first snapshot and the target it is working toward."""

    stage: ProgressStage
    start: int
    current: int
    goal: int
    filled: int
    cells: int

    @property
    def bar(self) -> str:
        return "▓" * self.filled + "░" * (self.cells - self.filled)


@dataclass(frozen=True, slots=True)
class Movement:
    """Keyword position now vs a week ago (lower is better; ``None`` = not ranking)."""

    now: float | None
    week_ago: float | None
    source: PositionSource
    #: False in the first week (no reading a week ago): there is no movement to claim.
    compared: bool = True

    @property
    def places_gained(self) -> float | None:
        """Positive when the page moved up; ``None`` when either side is not ranking."""
        if self.now is None or self.week_ago is None:
            return None
        return self.week_ago - self.now


@dataclass(frozen=True, slots=True)
class Traffic:
    last_7_days: int
    previous_7_days: int
    source: TrafficSource
    previous_known: bool = True

    @property
    def change_percent(self) -> float | None:
        """Change vs the previous 7 days; ``None`` when there were no visits to compare with."""
        if self.previous_7_days == 0:
            return None
        return (self.last_7_days - self.previous_7_days) * 100 / self.previous_7_days


@dataclass(frozen=True, slots=True)
class NextStep:
    """The one thing to do next, and which rule chose it (``code``)."""

    code: str
    #: Plain text that may name outside domains: escaped when rendered.
    message: str


@dataclass(frozen=True)
class Digest:
    """One campaign's weekly digest as data; ``bot.slack.blocks.digest`` turns it into Block Kit."""

    keyword: str
    target_url: str
    period: DigestPeriod
    late: bool
    #: Quality referring domains on the newest snapshot on or before today / 7 days ago.
    rds_now: int | None
    rds_week_ago: int | None
    #: ``None`` when a snapshot lacks the domain list (counts-only provider) or is missing.
    domains: DomainChanges | None
    junk_share: JunkShare | None
    entry_target: int | None
    stretch_target: int | None
    entry_gap: int | None
    stretch_gap: int | None
    progress: ProgressBar | None
    velocity_per_30_days: float | None
    #: Days to the target the progress bar is working toward, at the current velocity.
    eta_days: int | None
    eta_date: date | None
    movement: Movement
    traffic: Traffic | None
    #: Live placements per anchor class, most used first.
    anchor_mix: tuple[tuple[str, int], ...]
    placements: PlacementSummary
    next_step: NextStep
    #: The counts behind the chart and velocity, oldest first, one per day.
    history: tuple[RdSnapshot, ...]
    #: Pages of the own site linking to the page, this week and the week before.
    internal_support: InternalSupportChange | None = None

    @property
    def rds_change(self) -> int | None:
        if self.rds_now is None or self.rds_week_ago is None:
            return None
        return self.rds_now - self.rds_week_ago

    @property
    def exact_anchor_share(self) -> int | None:
        """Percent of live placements with an ``exact`` anchor (DESIGN 3 warns above 10%)."""
        total = sum(count for _, count in self.anchor_mix)
        if not total:
            return None
        return round(dict(self.anchor_mix).get("exact", 0) * 100 / total)


@dataclass(frozen=True)
class DigestOutcome:
    """What one attempt to post a weekly digest came to (the clock logs and counts it)."""

    campaign_id: int
    status: str  # posted | recovered | not-due | claimed-elsewhere | archived | failed
    period: str | None = None
    late: bool = False
    ts: str | None = None
