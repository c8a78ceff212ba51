from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction, write_transaction
from bot.store.models import Placement
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.placements import (
    NewPlacement,
    campaign_placements,
    create_placement,
    current_votes,
    get_placement,
    record_vote,
    transition,
)
from bot.store.repositories.workspaces import get_or_create_workspace

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def seed(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with write_transaction(sessions) as session:
        workspace = get_or_create_workspace(session, "T1")
        campaign = create_campaign(
            session, workspace.id, CampaignSpec("trail shoes", "https://www.example.com/trail")
        )
        placement = create_placement(
            session,
            workspace.id,
            NewPlacement(
                campaign_id=campaign.id,
                prospect_url="https://blog.runner.co.uk/gear",
                prospect_domain="runner.co.uk",
                target_url="https://www.example.com/trail",
                anchor="trail shoes guide",
                anchor_class="partial",
                placement_type="in-content",
                proposed_by="U1",
                verdict="pass",
                checks=[{"name": "anchor", "verdict": "pass", "reason": "ok"}],
            ),
        )
        return workspace.id, placement.id


def test_a_decision_happens_once_however_many_deciders_race(
    session_factory: sessionmaker[Session],
) -> None:
    workspace_id, placement_id = seed(session_factory)
    winners: list[bool] = []
    barrier = threading.Barrier(6)

    def decide() -> None:
        barrier.wait()
        with write_transaction(session_factory) as session:
            winners.append(
                transition(
                    session,
                    workspace_id,
                    placement_id,
                    from_statuses=["proposed"],
                    to_status="approved",
                    decided_by=["U2"],
                )
            )

    threads = [threading.Thread(target=decide) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert winners.count(True) == 1
    with transaction(session_factory) as session:
        placement = get_placement(session, workspace_id, placement_id)
        assert placement is not None
        assert placement.status == "approved"
        assert placement.version == 1


def test_a_transition_from_the_wrong_state_changes_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    workspace_id, placement_id = seed(session_factory)
    with transaction(session_factory) as session:
        assert not transition(
            session, workspace_id, placement_id, from_statuses=["approved"], to_status="live"
        )
        assert not transition(
            session,
            workspace_id + 99,
            placement_id,
            from_statuses=["proposed"],
            to_status="approved",
        )


def test_a_retried_event_is_logged_once_and_removals_withdraw(
    session_factory: sessionmaker[Session],
) -> None:
    _, placement_id = seed(session_factory)
    with transaction(session_factory) as session:
        assert record_vote(
            session,
            placement_id,
            user_id="U2",
            emoji="white_check_mark",
            action="add",
            event_id="Ev1",
            counted=True,
            now=NOW,
        )
        assert not record_vote(
            session,
            placement_id,
            user_id="U2",
            emoji="white_check_mark",
            action="add",
            event_id="Ev1",
            counted=True,
            now=NOW,
        )
        record_vote(
            session,
            placement_id,
            user_id="U3",
            emoji="white_check_mark",
            action="add",
            event_id="Ev2",
            counted=True,
            now=NOW,
        )
        record_vote(
            session,
            placement_id,
            user_id="U9",
            emoji="white_check_mark",
            action="add",
            event_id="Ev3",
            counted=False,
            note="not an approver",
            now=NOW,
        )
        assert current_votes(session, placement_id) == {"white_check_mark": {"U2", "U3"}}
        record_vote(
            session,
            placement_id,
            user_id="U2",
            emoji="white_check_mark",
            action="remove",
            event_id="Ev4",
            counted=True,
            now=NOW,
        )
        assert current_votes(session, placement_id) == {"white_check_mark": {"U3"}}


def test_campaign_placements_filter_by_status(session_factory: sessionmaker[Session]) -> None:
    workspace_id, placement_id = seed(session_factory)
    with transaction(session_factory) as session:
        assert [p.id for p in campaign_placements(session, workspace_id, 1, ["proposed"])] == [
            placement_id
        ]
        assert campaign_placements(session, workspace_id, 1, ["approved", "live"]) == []
        assert session.get(Placement, placement_id) is not None
