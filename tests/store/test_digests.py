from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction, write_transaction
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.digests import (
    claim_digest,
    digest_post,
    last_posted_period,
    mark_failed,
    mark_posted,
    mark_posting,
)
from bot.store.repositories.workspaces import get_or_create_workspace

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def campaign(sessions: sessionmaker[Session]) -> int:
    with write_transaction(sessions) as session:
        workspace = get_or_create_workspace(session, "T1")
        return create_campaign(
            session, workspace.id, CampaignSpec("trail shoes", "https://www.example.com/trail")
        ).id


def test_concurrent_claimers_of_one_period_get_one_claim(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = campaign(session_factory)
    claims: list[object] = []
    barrier = threading.Barrier(5)

    def claim(n: int) -> None:
        barrier.wait()
        claims.append(claim_digest(session_factory, campaign_id, "2026-W49", f"w{n}", now=NOW))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for c in claims if c is not None) == 1


def test_a_posted_digest_is_never_claimed_again(session_factory: sessionmaker[Session]) -> None:
    campaign_id = campaign(session_factory)
    claim = claim_digest(session_factory, campaign_id, "2026-W49", "a", now=NOW)
    assert claim is not None
    assert mark_posting(session_factory, claim, now=NOW)
    assert mark_posted(session_factory, claim, channel_id="C1", ts="1.0", now=NOW)
    assert (
        claim_digest(session_factory, campaign_id, "2026-W49", "b", now=NOW + timedelta(days=1))
        is None
    )
    with transaction(session_factory) as session:
        assert last_posted_period(session, campaign_id) == "2026-W49"


def test_a_dead_claimers_claim_is_taken_over_after_the_lease_only(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = campaign(session_factory)
    dead = claim_digest(session_factory, campaign_id, "2026-W49", "dead", now=NOW)
    assert dead is not None
    assert mark_posting(session_factory, dead, now=NOW)
    assert (
        claim_digest(session_factory, campaign_id, "2026-W49", "b", now=NOW + timedelta(minutes=1))
        is None
    )
    taker = claim_digest(
        session_factory, campaign_id, "2026-W49", "b", now=NOW + timedelta(minutes=6)
    )
    assert taker is not None
    assert taker.takeover
    assert taker.previous_claimed_at == NOW
    assert not mark_posted(
        session_factory, dead, channel_id="C1", ts="1.0", now=NOW
    )  # lost its claim
    with transaction(session_factory) as session:
        post = digest_post(session, campaign_id, "2026-W49")
        assert post is not None
        assert post.attempts == 2


def test_a_definite_failure_is_retried_later_without_a_takeover_search(
    session_factory: sessionmaker[Session],
) -> None:
    campaign_id = campaign(session_factory)
    claim = claim_digest(session_factory, campaign_id, "2026-W49", "a", now=NOW)
    assert claim is not None
    mark_failed(
        session_factory, claim, error="channel_not_found", retry_at=NOW + timedelta(minutes=10)
    )
    assert (
        claim_digest(session_factory, campaign_id, "2026-W49", "b", now=NOW + timedelta(minutes=5))
        is None
    )
    retry = claim_digest(
        session_factory, campaign_id, "2026-W49", "b", now=NOW + timedelta(minutes=11)
    )
    assert retry is not None
    assert not retry.takeover
