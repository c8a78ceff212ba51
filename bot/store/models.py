"""The tables linkgap keeps, as typed SQLAlchemy models.

Every row belongs to a workspace (a Slack team, or ``local`` for the CLI and
the shell), and every query in ``bot.store.repositories`` is scoped by it:
that is how tenants never see each other's data. The Alembic migrations in
``bot/store/migrations`` create exactly this schema; a test holds them equal.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UtcDateTime, json_document, utc_now

#: Stable constraint names, so later migrations (batch mode on SQLite) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The workspace of the terminal commands, which have no Slack team.
LOCAL_TEAM_ID = "local"
#: The team of the local shell's stand-in of Slack (``bot.local.standin``).
SHELL_TEAM_ID = "T0STANDIN"
#: Workspaces on this machine: ``linkgap vet --campaign`` and ``linkgap gsc`` find their
#: campaigns, so a campaign tracked in ``linkgap shell`` can be used from the terminal.
LOCAL_TEAM_IDS = (LOCAL_TEAM_ID, SHELL_TEAM_ID)

SLACK_ID = 32
URL_LENGTH = 2048
KEYWORD_LENGTH = 200


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workspace(Base):
    """A Slack workspace (team) that installed the app, with its analysis overrides.

    Slack team ids are unique within an Enterprise Grid org, and outside one
    ``enterprise_id`` is NULL. Because NULLs never collide in a unique
    constraint, the no-enterprise case has its own partial unique index.
    """

    __tablename__ = "workspaces"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id"),
        Index(
            "uq_workspaces_team_id_no_enterprise",
            "team_id",
            unique=True,
            sqlite_where="enterprise_id IS NULL",
            postgresql_where="enterprise_id IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(SLACK_ID))
    enterprise_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    name: Mapped[str] = mapped_column(String(255), default="")
    #: Overrides of the analysis defaults (``bot.gap.settings.merge_settings`` input).
    settings: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    #: When Slack said the app lost this workspace (``app_uninstalled``, or its bot token
    #: revoked); its jobs, digests and refreshes stop until a request from it comes again.
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: The Slack event that disabled it: ``app_uninstalled`` or ``tokens_revoked``.
    disabled_reason: Mapped[str | None] = mapped_column(String(32))


class Campaign(Base):
    """A tracked keyword and target page: its Slack channels, approvers and digest schedule."""

    __tablename__ = "campaigns"
    __table_args__ = (
        # One active campaign per keyword and page; archived ones may repeat.
        Index(
            "uq_campaigns_active_keyword_target",
            "workspace_id",
            "keyword_key",
            "target_key",
            unique=True,
            sqlite_where="archived_at IS NULL",
            postgresql_where="archived_at IS NULL",
        ),
        CheckConstraint("digest_weekday BETWEEN 0 AND 6", name="digest_weekday"),
        CheckConstraint("digest_hour BETWEEN 0 AND 23", name="digest_hour"),
        CheckConstraint("digest_minute BETWEEN 0 AND 59", name="digest_minute"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    keyword: Mapped[str] = mapped_column(String(KEYWORD_LENGTH))
    #: The keyword case-folded with whitespace collapsed: "Trail  Shoes" and "trail shoes" are one.
    keyword_key: Mapped[str] = mapped_column(String(KEYWORD_LENGTH))
    target_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    #: ``bot.gap.urls.normalise_url`` of the target: one page is one page however written.
    target_key: Mapped[str] = mapped_column(String(URL_LENGTH))
    country: Mapped[str] = mapped_column(String(8), default="us")
    language: Mapped[str] = mapped_column(String(8), default="en")
    #: Where the weekly digest goes.
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    #: Where vetting messages go for emoji approval.
    approvals_channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    approvers: Mapped[list[str]] = mapped_column(json_document(), default=list)
    approver_usergroup: Mapped[str | None] = mapped_column(String(SLACK_ID))
    brand_terms: Mapped[list[str]] = mapped_column(json_document(), default=list)
    topic_terms: Mapped[list[str]] = mapped_column(json_document(), default=list)
    #: IANA zone name the digest schedule is read in.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Python weekday numbering: Monday is 0.
    digest_weekday: Mapped[int] = mapped_column(SmallInteger, default=0)
    digest_hour: Mapped[int] = mapped_column(SmallInteger, default=9)
    digest_minute: Mapped[int] = mapped_column(SmallInteger, default=0)
    #: Per-campaign overrides (vetting thresholds, quorum, emoji, ...).
    settings: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)
    created_by: Mapped[str | None] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ProviderCacheEntry(Base):
    """A provider's answer to one query, reused until it expires (0 requests when warm)."""

    __tablename__ = "provider_cache_entries"
    __table_args__ = (UniqueConstraint("workspace_id", "provider", "cache_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(32))
    #: sha256 hex of the canonical query (``bot.store.repositories.cache.cache_key_for``).
    cache_key: Mapped[str] = mapped_column(String(64))
    query: Mapped[Any] = mapped_column(json_document())
    payload: Mapped[Any] = mapped_column(json_document())
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class RdSnapshotRow(Base):
    """A page's referring domains on one day: the history behind velocity, ETA and the digest."""

    __tablename__ = "rd_snapshots"
    __table_args__ = (
        UniqueConstraint("workspace_id", "page_key", "day"),
        CheckConstraint("referring_domains >= 0", name="referring_domains"),
        CheckConstraint("quality_referring_domains >= 0", name="quality_referring_domains"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    page_key: Mapped[str] = mapped_column(String(URL_LENGTH))
    day: Mapped[date] = mapped_column(Date)
    referring_domains: Mapped[int] = mapped_column(Integer)
    quality_referring_domains: Mapped[int] = mapped_column(Integer)
    #: Sorted registrable domains that passed the junk filter (new/lost domains in the digest).
    quality_domains: Mapped[list[str]] = mapped_column(json_document(), default=list)
    position: Mapped[int | None] = mapped_column(SmallInteger)
    provider: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    #: Pages of the own site linking to the page, when a crawl of the site was read that day.
    internal_linking_pages: Mapped[int | None] = mapped_column(Integer)


class SiteCrawlRow(Base):
    """A crawl of a workspace's own site, reused for 7 days (internal support in reports).

    ``pages`` holds each page's address, internal links (address and anchor) and prose
    blocks: what the internal-support rules read, for any keyword and target on the site.
    Sample-web crawls (the demo) are kept apart from crawls of the real site.
    """

    __tablename__ = "site_crawls"
    __table_args__ = (UniqueConstraint("workspace_id", "site", "sample_data"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    #: ``scheme://host[:port]`` of the site.
    site: Mapped[str] = mapped_column(String(URL_LENGTH))
    sample_data: Mapped[bool] = mapped_column(Boolean)
    pages: Mapped[list[Any]] = mapped_column(json_document())
    pages_failed: Mapped[int] = mapped_column(Integer)
    #: Why the crawl stopped early (the page or time limit), when it did.
    stopped: Mapped[str | None] = mapped_column(String(200))
    crawled_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Analysis(Base):
    """One gap analysis as it was reported, kept so a campaign can show how its targets moved."""

    __tablename__ = "analyses"
    __table_args__ = (Index(None, "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    keyword: Mapped[str] = mapped_column(String(KEYWORD_LENGTH))
    target_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    target_key: Mapped[str] = mapped_column(String(URL_LENGTH))
    provider: Mapped[str] = mapped_column(String(32))
    sample_data: Mapped[bool] = mapped_column(Boolean)
    entry_target: Mapped[int | None] = mapped_column(Integer)
    stretch_target: Mapped[int | None] = mapped_column(Integer)
    entry_gap: Mapped[int | None] = mapped_column(Integer)
    stretch_gap: Mapped[int | None] = mapped_column(Integer)
    #: The JSON contract of DESIGN section 9, exactly as printed by ``linkgap gap --json``.
    report: Mapped[dict[str, Any]] = mapped_column(json_document())
    created_by: Mapped[str | None] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class JobStatus(StrEnum):
    """Where a job is in its life: ``queued`` → ``running`` → ``done`` or ``failed``.

    A ``running`` job whose lease has expired belongs to a worker that died; it
    is claimable again (or failed, once it has used up its attempts).
    """

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """Slow work persisted in Slack's ack path and run once by whichever worker claims it.

    A claim sets ``lease_owner`` and ``lease_expires_at``; the owner renews the
    lease while it works and finishes with a compare-and-set on both owner and
    status, so a worker presumed dead that comes back cannot finish it twice.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        # The claim query: due queued jobs, and running jobs whose lease ran out.
        Index(None, "status", "available_at"),
        Index(None, "status", "lease_expires_at"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        CheckConstraint("max_attempts >= 1", name="max_attempts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    #: Which handler runs it (``gap``, ``vet``, ``digest``, ...).
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(json_document(), default=dict)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    #: Claims so far, the current one included.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    #: Not claimable before this (the backoff after a failed attempt).
    available_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    #: When the latest attempt began.
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: A message fit to show the user; never a stack trace or an exception's text.
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(json_document())


class ProcessedEvent(Base):
    """A Slack event id seen once: Slack retries unacknowledged events with the same id."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class SlackMessage(Base):
    """A message the app posted and may update later, kept so it never reads channel history.

    ``content`` is what was posted (``blocks`` and ``text``); ``subject_id``
    points at whatever the message is about (a placement, a campaign, a job),
    read according to ``kind``.
    """

    __tablename__ = "slack_messages"
    __table_args__ = (
        UniqueConstraint("channel_id", "ts"),
        Index(None, "workspace_id", "kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    #: ``gap-report``, ``progress``, ``vetting``, ``digest``, ...
    kind: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    ts: Mapped[str] = mapped_column(String(SLACK_ID))
    thread_ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    content: Mapped[dict[str, Any]] = mapped_column(json_document())
    subject_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class SlackEffect(Base):
    """One Slack side effect of a job or a decision, recorded before the call and after it.

    ``key`` names the effect within its workspace (``job:12:progress``,
    ``placement:3:v2:approved``): a row without ``done_at`` is an intent whose
    outcome is unknown (the process may have died mid-call), so whoever resumes
    looks in Slack for it before making the call again. ``ts`` is the message
    the effect made, ``file_id`` the file of an upload.
    """

    __tablename__ = "slack_effects"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    thread_ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    file_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    #: How many times the call was begun: more than one means a resumed attempt.
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    intended_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)


class PlacementStatus(StrEnum):
    """A proposed link's life: ``proposed`` → ``approved`` | ``rejected`` → ``live`` → ``lost``.

    ``withdrawn``: its proposer or an approver closed it while proposed or approved.
    """

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"
    LIVE = "live"
    LOST = "lost"
    WITHDRAWN = "withdrawn"


class Placement(Base):
    """A proposed link placement, its vetting verdict and where it is in its life.

    Decisions are compare-and-set transitions on ``status`` (and ``version``), so
    two approvers reacting at once, two web processes or a retried event can
    never decide a placement twice.
    """

    __tablename__ = "placements"
    __table_args__ = (
        Index(None, "workspace_id", "status"),
        Index(None, "campaign_id", "status"),
        CheckConstraint(
            "status IN ('proposed', 'approved', 'rejected', 'live', 'lost', 'withdrawn')",
            name="status",
        ),
        CheckConstraint("verdict IN ('pass', 'warn', 'fail')", name="verdict"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    prospect_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    #: Registrable domain of the prospect page (new-referring-domain and anchor-mix checks).
    prospect_domain: Mapped[str] = mapped_column(String(255))
    target_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    anchor: Mapped[str] = mapped_column(String(300))
    anchor_class: Mapped[str] = mapped_column(String(16))
    placement_type: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    proposed_by: Mapped[str] = mapped_column(String(SLACK_ID))
    verdict: Mapped[str] = mapped_column(String(8))
    #: Each check's name, verdict and reason as shown in the approval message.
    checks: Mapped[list[dict[str, Any]]] = mapped_column(json_document(), default=list)
    status: Mapped[str] = mapped_column(String(16), default=PlacementStatus.PROPOSED.value)
    #: Bumped on every transition: the compare-and-set token.
    version: Mapped[int] = mapped_column(Integer, default=0)
    decided_by: Mapped[list[str]] = mapped_column(json_document(), default=list)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    live_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    live_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lost_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    #: The job that vetted it, so a retried job finds its placement instead of making another.
    job_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class Vote(Base):
    """One reaction event on a placement's approval message, kept as an append-only log.

    ``action`` is ``add`` or ``remove``; a user's current vote for an emoji is
    their latest action. The unique Slack ``event_id`` makes a retried event a
    no-op at the database, whatever process receives it.
    """

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("event_id"),
        Index(None, "placement_id", "user_id", "emoji"),
        CheckConstraint("action IN ('add', 'remove')", name="action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    emoji: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))
    #: Whether the vote counted (an approver, not the proposer, while undecided) and why not.
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(255), default="")
    event_id: Mapped[str] = mapped_column(String(64))
    #: Set on an "Approve anyway": the failed checks the approver chose to overrule.
    overridden_checks: Mapped[list[str] | None] = mapped_column(json_document())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class VoteExplanation(Base):
    """That a person was told privately why their reaction on a placement did not count.

    One row per placement and person: the unique pair makes "tell them once"
    hold across retries and processes (the insert that wins is the one that tells).
    """

    __tablename__ = "vote_explanations"
    __table_args__ = (UniqueConstraint("placement_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    #: The reason they were given (as in the vote log's note).
    reason: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class DigestPost(Base):
    """The claim on one campaign's digest for one period: inserted before posting, so once only.

    ``claimed`` → ``posting`` → ``posted`` under a lease; a claim whose lease ran
    out belongs to a dead process and may be taken over (after looking for a
    message that already carries this digest's metadata).
    """

    __tablename__ = "digest_posts"
    __table_args__ = (
        UniqueConstraint("campaign_id", "period"),
        CheckConstraint("status IN ('claimed', 'posting', 'posted', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    #: ``2026-W48`` for the weekly digest; on-demand digests are not claimed here.
    period: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    error: Mapped[str | None] = mapped_column(Text)


class CampaignMetric(Base):
    """A campaign's landing-page traffic and position on one day, from one source.

    ``search-console`` (API or imported export) is preferred over the
    provider's ``provider-estimate`` when both exist.
    """

    __tablename__ = "campaign_metrics"
    __table_args__ = (UniqueConstraint("campaign_id", "day", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    clicks: Mapped[int | None] = mapped_column(Integer)
    impressions: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[float | None] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


# -- Slack installations (multi-workspace OAuth) ----------------------------------------------
#
# The three tables slack_sdk's SQLAlchemy installation and OAuth state stores read and write,
# with slack_sdk's column names so its stores run on them unchanged (bot.slack.installations).
# Keyed by Slack team, not by workspace row: Bolt looks installations up before any linkgap
# middleware runs. Two deliberate differences from slack_sdk's own table builders: the token
# columns (and the webhook URL, a secret too) are Text because they hold Fernet ciphertext,
# several times longer than a token; and the timestamps stay naive UTC as slack_sdk writes them.

#: The columns of slack_installations / slack_bots that hold secrets, encrypted at rest.
SLACK_SECRET_COLUMNS = (
    "bot_token",
    "bot_refresh_token",
    "user_token",
    "user_refresh_token",
    "incoming_webhook_url",
)


class SlackInstallation(Base):
    """One OAuth installation of the app in a workspace (slack_sdk's ``Installation``)."""

    __tablename__ = "slack_installations"
    __table_args__ = (
        Index(
            "slack_installations_idx",
            "client_id",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(SLACK_ID))
    app_id: Mapped[str] = mapped_column(String(SLACK_ID))
    enterprise_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_url: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(Text)
    bot_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    bot_user_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    user_token: Mapped[str | None] = mapped_column(Text)
    user_scopes: Mapped[str | None] = mapped_column(String(1000))
    user_refresh_token: Mapped[str | None] = mapped_column(Text)
    user_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    incoming_webhook_url: Mapped[str | None] = mapped_column(Text)
    incoming_webhook_channel: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_channel_id: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_configuration_url: Mapped[str | None] = mapped_column(String(200))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    token_type: Mapped[str | None] = mapped_column(String(SLACK_ID))
    installed_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())


class SlackBot(Base):
    """The latest bot token of a workspace (slack_sdk's ``Bot``): what requests authorize with."""

    __tablename__ = "slack_bots"
    __table_args__ = (
        Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(SLACK_ID))
    app_id: Mapped[str] = mapped_column(String(SLACK_ID))
    enterprise_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(Text)
    bot_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    bot_user_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())


class SlackOAuthState(Base):
    """An OAuth ``state`` handed to an installer's browser: single use, valid ten minutes."""

    __tablename__ = "slack_oauth_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    state: Mapped[str] = mapped_column(String(200), unique=True)
    expire_at: Mapped[datetime] = mapped_column(DateTime, index=True)
