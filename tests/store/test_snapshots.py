"""RD snapshots: one row per page per day, read back in day order for velocity and the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from threading import Barrier, Thread

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.gap.models import RdSnapshot
from bot.store.db import write_transaction
from bot.store.models import RdSnapshotRow
from bot.store.repositories import (
    get_or_create_workspace,
    snapshot_at_or_before,
    snapshot_history,
    upsert_snapshot,
)

PAGE = "https://www.shop.example/trail-shoes/"


def _rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(RdSnapshotRow)) or 0


def test_second_run_on_the_same_day_updates_the_one_row(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    day = date(2025, 6, 2)
    upsert_snapshot(
        session, ws, PAGE, day, referring_domains=40, quality_referring_domains=30,
        quality_domains=["a.com", "b.com"], position=8, provider="demo",
    )  # fmt: skip
    upsert_snapshot(
        session, ws, "http://shop.example/trail-shoes", day, referring_domains=42,
        quality_referring_domains=31, quality_domains=["c.com", "a.com", "a.com"], position=7,
        provider="demo",
    )  # fmt: skip

    assert _rows(session) == 1
    latest = snapshot_at_or_before(session, ws, PAGE, day)
    assert latest is not None
    assert (latest.referring_domains, latest.quality_referring_domains) == (42, 31)
    assert latest.quality_domains == ("a.com", "c.com")
    assert latest.position == 7
    assert latest.page_key == "shop.example/trail-shoes"


def test_history_is_oldest_first_from_the_given_day(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    for day, count in [(date(2025, 6, 9), 33), (date(2025, 5, 1), 10), (date(2025, 6, 2), 31)]:
        upsert_snapshot(
            session, ws, PAGE, day, referring_domains=count, quality_referring_domains=count,
            provider="demo",
        )  # fmt: skip

    history = snapshot_history(session, ws, "shop.example/trail-shoes", since=date(2025, 6, 1))

    assert history == [
        RdSnapshot(day=date(2025, 6, 2), quality_referring_domains=31),
        RdSnapshot(day=date(2025, 6, 9), quality_referring_domains=33),
    ]


def test_snapshots_of_other_pages_and_workspaces_stay_out_of_the_history(session: Session) -> None:
    ours = get_or_create_workspace(session, "T1").id
    theirs = get_or_create_workspace(session, "T2").id
    day = date(2025, 6, 2)
    upsert_snapshot(session, ours, PAGE, day, referring_domains=1, quality_referring_domains=1,
                    provider="demo")  # fmt: skip
    upsert_snapshot(session, theirs, PAGE, day, referring_domains=9, quality_referring_domains=9,
                    provider="demo")  # fmt: skip
    upsert_snapshot(session, ours, "https://shop.example/other", day, referring_domains=5,
                    quality_referring_domains=5, provider="demo")  # fmt: skip

    assert snapshot_history(session, ours, PAGE, since=day) == [RdSnapshot(day, 1)]
    assert _rows(session) == 3


def test_snapshot_a_week_ago_is_the_newest_on_or_before_that_day(session: Session) -> None:
    ws = get_or_create_workspace(session, "T1").id
    for day in (date(2025, 6, 1), date(2025, 6, 4), date(2025, 6, 10)):
        upsert_snapshot(session, ws, PAGE, day, referring_domains=day.day,
                        quality_referring_domains=day.day, provider="demo")  # fmt: skip

    week_ago = snapshot_at_or_before(session, ws, PAGE, date(2025, 6, 8))

    assert week_ago is not None
    assert week_ago.day == date(2025, 6, 4)
    assert snapshot_at_or_before(session, ws, PAGE, date(2025, 5, 31)) is None


def test_concurrent_upserts_of_one_page_and_day_leave_one_row(
    session_factory: sessionmaker[Session],
) -> None:
    with write_transaction(session_factory) as session:
        ws = get_or_create_workspace(session, "T1").id
    writers = 6
    barrier = Barrier(writers)
    errors: list[BaseException] = []

    def write(count: int) -> None:
        try:
            barrier.wait(timeout=10)
            with write_transaction(session_factory) as session:
                upsert_snapshot(session, ws, PAGE, date(2025, 6, 2), referring_domains=count,
                                quality_referring_domains=count, provider="demo",
                                now=datetime.now(UTC))  # fmt: skip
        except BaseException as error:
            errors.append(error)

    threads = [Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    with session_factory() as session:
        assert _rows(session) == 1
