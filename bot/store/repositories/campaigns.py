"""Campaigns: created, found and archived strictly within one workspace."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import BadInput
from bot.gap.urls import normalise_url, validate_url
from bot.store.models import KEYWORD_LENGTH, LOCAL_TEAM_IDS, Campaign, Workspace
from bot.store.repositories._upsert import insert_on_conflict
from bot.store.types import utc_now


class CampaignExists(BadInput):
    """An active campaign already tracks this keyword for this page in the workspace."""

    def __init__(self, message: str, campaign_id: int | None) -> None:
        super().__init__(message)
        self.campaign_id = campaign_id


@dataclass(frozen=True)
class CampaignSpec:
    """What a user asks for with ``/linkgap track``; defaults are DESIGN's (Monday 09:00)."""

    keyword: str
    target_url: str
    country: str = "us"
    language: str = "en"
    channel_id: str | None = None
    approvals_channel_id: str | None = None
    approvers: Sequence[str] = ()
    approver_usergroup: str | None = None
    brand_terms: Sequence[str] = ()
    topic_terms: Sequence[str] = ()
    timezone: str = "UTC"
    digest_weekday: int = 0
    digest_hour: int = 9
    digest_minute: int = 0
    settings: dict[str, Any] = field(default_factory=dict)


def keyword_key(keyword: str) -> str:
    """The keyword as campaigns are matched: case-folded, whitespace collapsed."""
    return re.sub(r"\s+", " ", keyword).strip().casefold()


def _validated(spec: CampaignSpec) -> CampaignSpec:
    keyword = re.sub(r"\s+", " ", spec.keyword).strip()
    if not keyword:
        raise BadInput('The keyword is empty. Usage: /linkgap track "<keyword>" <url>')
    if len(keyword) > KEYWORD_LENGTH:
        raise BadInput(f"The keyword is {len(keyword)} characters long; the limit is 200.")
    target_url = validate_url(spec.target_url, what="target URL")
    try:
        ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(
            f"{spec.timezone!r} is not a time zone name; use one such as Europe/Berlin."
        ) from None
    if not 0 <= spec.digest_weekday <= 6:
        raise BadInput("The digest weekday must be 0 (Monday) to 6 (Sunday).")
    if not (0 <= spec.digest_hour <= 23 and 0 <= spec.digest_minute <= 59):
        raise BadInput("The digest time must be between 00:00 and 23:59.")
    return replace(spec, keyword=keyword, target_url=target_url)


def create_campaign(
    session: Session,
    workspace_id: int,
    spec: CampaignSpec,
    *,
    created_by: str | None = None,
    now: datetime | None = None,
) -> Campaign:
    """Start tracking a keyword for a page; a second active one for the same pair is refused.

    The refusal comes from the unique index (``ON CONFLICT DO NOTHING``), so
    two people tracking the same thing at the same moment get one campaign.
    """
    spec = _validated(spec)
    key = keyword_key(spec.keyword)
    target_key = normalise_url(spec.target_url)
    statement = (
        insert_on_conflict(session, Campaign)
        .values(
            workspace_id=workspace_id,
            keyword=spec.keyword,
            keyword_key=key,
            target_url=spec.target_url,
            target_key=target_key,
            country=spec.country.lower(),
            language=spec.language.lower(),
            channel_id=spec.channel_id,
            approvals_channel_id=spec.approvals_channel_id,
            approvers=list(dict.fromkeys(spec.approvers)),
            approver_usergroup=spec.approver_usergroup,
            brand_terms=list(dict.fromkeys(spec.brand_terms)),
            topic_terms=list(dict.fromkeys(spec.topic_terms)),
            timezone=spec.timezone,
            digest_weekday=spec.digest_weekday,
            digest_hour=spec.digest_hour,
            digest_minute=spec.digest_minute,
            settings=dict(spec.settings),
            created_by=created_by,
            created_at=now or utc_now(),
        )
        .on_conflict_do_nothing(
            index_elements=[Campaign.workspace_id, Campaign.keyword_key, Campaign.target_key],
            index_where=Campaign.archived_at.is_(None),
        )
        .returning(Campaign.id)
    )
    campaign_id = session.execute(statement).scalar_one_or_none()
    if campaign_id is None:
        existing = session.scalars(
            select(Campaign.id).where(
                Campaign.workspace_id == workspace_id,
                Campaign.keyword_key == key,
                Campaign.target_key == target_key,
                Campaign.archived_at.is_(None),
            )
        ).first()
        raise CampaignExists(
            f"Campaign {existing} already tracks “{spec.keyword}” for {spec.target_url}.",
            existing,
        )
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    return campaign


def get_campaign(session: Session, workspace_id: int, campaign_id: int) -> Campaign | None:
    """The campaign if it belongs to this workspace; another workspace's id finds nothing."""
    return session.scalars(
        select(Campaign).where(Campaign.id == campaign_id, Campaign.workspace_id == workspace_id)
    ).one_or_none()


def find_local_campaign(session: Session, campaign_id: int) -> Campaign | None:
    """A campaign tracked on this machine: from the terminal or in ``linkgap shell``."""
    return session.scalars(
        select(Campaign)
        .join(Workspace, Campaign.workspace_id == Workspace.id)
        .where(Campaign.id == campaign_id, Workspace.team_id.in_(LOCAL_TEAM_IDS))
    ).one_or_none()


def list_campaigns(
    session: Session, workspace_id: int, *, include_archived: bool = False
) -> list[Campaign]:
    """The workspace's campaigns, oldest first."""
    query = select(Campaign).where(Campaign.workspace_id == workspace_id)
    if not include_archived:
        query = query.where(Campaign.archived_at.is_(None))
    return list(session.scalars(query.order_by(Campaign.created_at, Campaign.id)))


def archive_campaign(
    session: Session, workspace_id: int, campaign_id: int, *, now: datetime | None = None
) -> bool:
    """Stop tracking (history is kept); ``False`` when there was no such active campaign."""
    campaign = get_campaign(session, workspace_id, campaign_id)
    if campaign is None or campaign.archived_at is not None:
        return False
    campaign.archived_at = now or utc_now()
    session.flush()
    return True


def resume_campaign(session: Session, workspace_id: int, spec: CampaignSpec) -> Campaign | None:
    """Track an untracked campaign of the same keyword and page again, with ``spec``'s settings.

    Its number, placements, analyses and digests are kept: untracking only paused it.
    ``None`` when there is no untracked campaign to resume (or an active one exists).
    """
    spec = _validated(spec)
    key, target_key = keyword_key(spec.keyword), normalise_url(spec.target_url)
    matching = select(Campaign).where(
        Campaign.workspace_id == workspace_id,
        Campaign.keyword_key == key,
        Campaign.target_key == target_key,
    )
    if session.scalars(matching.where(Campaign.archived_at.is_(None))).first() is not None:
        return None
    campaign = session.scalars(
        matching.order_by(Campaign.archived_at.desc(), Campaign.id.desc()).with_for_update()
    ).first()
    if campaign is None:
        return None
    campaign.archived_at = None
    for name in (
        "channel_id", "approvals_channel_id", "approver_usergroup", "timezone",
        "digest_weekday", "digest_hour", "digest_minute", "country", "language",
    ):  # fmt: skip
        setattr(campaign, name, getattr(spec, name))
    campaign.approvers = list(dict.fromkeys(spec.approvers))
    campaign.brand_terms = list(dict.fromkeys(spec.brand_terms))
    campaign.topic_terms = list(dict.fromkeys(spec.topic_terms))
    campaign.settings = {**(campaign.settings or {}), **spec.settings}
    session.flush()
    return campaign
