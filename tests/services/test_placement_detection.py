"""The daily refresh: placements go live from the provider's data, and lost after a page check."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.errors import FetchRefused
from bot.services.placement_detection import detect_placements
from bot.store.db import transaction, write_transaction
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.placements import (
    NewPlacement,
    create_placement,
    get_placement,
    transition,
)
from bot.store.repositories.workspaces import get_or_create_workspace
from bot.web.fetcher import FetchedPage, PageGone

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TARGET = "https://www.example.com/trail"


class Pages:
    """A fetcher that serves fixed HTML per URL and refuses the rest."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages
        self.fetched: list[str] = []

    def fetch(self, url: str) -> FetchedPage:
        self.fetched.append(url)
        if url.endswith("/deleted"):
            raise PageGone("The page answered HTTP 404.")
        if url not in self.pages:
            raise FetchRefused(f"{url} did not answer")
        return FetchedPage(url, 200, "text/html", self.pages[url], 0.01)


def seed(sessions: sessionmaker[Session], statuses: dict[str, str]) -> tuple[int, int, list[int]]:
    """A campaign with one placement per prospect domain, each moved to its status."""
    with write_transaction(sessions) as session:
        workspace = get_or_create_workspace(session, "T1")
        campaign = create_campaign(session, workspace.id, CampaignSpec("trail shoes", TARGET))
        ids = []
        for domain, status in statuses.items():
            placement = create_placement(
                session,
                workspace.id,
                NewPlacement(
                    campaign_id=campaign.id, prospect_url=f"https://blog.{domain}/post",
                    prospect_domain=domain, target_url=TARGET, anchor="trail shoes guide",
                    anchor_class="partial", placement_type="in-content", proposed_by="U1",
                    verdict="pass", checks=[],
                ),
            )  # fmt: skip
            path = {"approved": ["approved"], "live": ["approved", "live"]}.get(status, [])
            previous = "proposed"
            for step in path:
                page = "deleted" if domain == "deleted.com" else "post"
                extra = {"live_url": f"https://blog.{domain}/{page}"} if step == "live" else {}
                transition(
                    session, workspace.id, placement.id,
                    from_statuses=[previous], to_status=step, now=NOW, **extra,
                )  # fmt: skip
                previous = step
            ids.append(placement.id)
        return workspace.id, campaign.id, ids


def statuses(sessions: sessionmaker[Session], workspace_id: int, ids: list[int]) -> list[str]:
    with transaction(sessions) as session:
        return [get_placement(session, workspace_id, i).status for i in ids]  # type: ignore[union-attr]


def test_provider_sightings_and_page_checks_move_placements(
    session_factory: sessionmaker[Session],
) -> None:
    workspace_id, campaign_id, ids = seed(
        session_factory,
        {
            "seen.com": "approved",  # the provider sees it: live
            "unseen.com": "approved",  # not yet: stays approved
            "dropped.com": "live",  # provider lost it and the page has no link: lost
            "stale.com": "live",  # provider lost it but the page still links: stays live
            "down.com": "live",  # provider lost it and the page cannot be fetched: stays live
            "deleted.com": "live",  # provider lost it and the page is gone (404): lost
            "proposed.com": "proposed",
        },
    )
    link = f'<html><body><p>See <a href="{TARGET}/">this guide</a>.</p></body></html>'
    pages = Pages(
        {
            "https://blog.dropped.com/post": "<html><body><p>No links here.</p></body></html>",
            "https://blog.stale.com/post": link,
        }
    )

    outcome = detect_placements(
        session_factory, workspace_id, campaign_id,
        frozenset({"seen.com", "proposed.com"}), lambda: pages, NOW,
    )  # fmt: skip

    assert outcome.live == (ids[0],)
    assert outcome.lost == (ids[2], ids[5])
    assert statuses(session_factory, workspace_id, ids) == [
        "live", "approved", "lost", "live", "live", "lost", "proposed",
    ]  # fmt: skip
    assert sorted(pages.fetched) == [
        "https://blog.deleted.com/deleted", "https://blog.down.com/post",
        "https://blog.dropped.com/post", "https://blog.stale.com/post",
    ]  # fmt: skip
    with transaction(session_factory) as session:
        went_live = get_placement(session, workspace_id, ids[0])
        gone = get_placement(session, workspace_id, ids[2])
        assert went_live is not None
        assert went_live.live_url == "https://blog.seen.com/post"
        assert gone is not None
        assert gone.lost_at is not None


def test_a_second_run_changes_nothing(session_factory: sessionmaker[Session]) -> None:
    workspace_id, campaign_id, ids = seed(session_factory, {"seen.com": "approved"})
    first = detect_placements(
        session_factory, workspace_id, campaign_id, frozenset({"seen.com"}), lambda: Pages({}), NOW
    )
    again = detect_placements(
        session_factory, workspace_id, campaign_id, frozenset({"seen.com"}), lambda: Pages({}), NOW
    )
    assert first.live == (ids[0],)
    assert again.live == again.lost == ()
