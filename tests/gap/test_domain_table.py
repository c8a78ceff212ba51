"""Referring-domain tables and the domain encoding under them."""

from __future__ import annotations

import math
import threading
from datetime import date

import pytest

from bot.gap import domain_ids
from bot.gap.domain_ids import DomainIds, shared_encoding
from bot.gap.domain_table import DomainTable
from bot.gap.models import ReferringDomain
from bot.gap.quality import JunkFilter
from bot.gap.settings import GapSettings


def test_rows_are_reduced_to_registrable_domains_with_merged_signals() -> None:
    table = DomainTable.from_links(
        [
            ReferringDomain("blog.example.co.uk", 20, spam_score=10),
            ReferringDomain("other.com", None),
            ReferringDomain("www.example.co.uk", 45, spam_score=None),
            ReferringDomain("example.co.uk", None, is_spam=True, spam_score=70),
            ReferringDomain("", 99),
            ReferringDomain("news.other.com", math.nan),
        ]
    )

    assert table == DomainTable(
        ("example.co.uk", "other.com"), (45.0, None), (True, False), (70.0, None)
    )
    assert [row.domain for row in table.rows()] == ["example.co.uk", "other.com"]
    assert table.rows()[0] == ReferringDomain("example.co.uk", 45.0, True, 70.0)


def test_domains_keep_the_order_of_their_first_row() -> None:
    table = DomainTable.from_links([ReferringDomain(h, 1) for h in ("b.com", "a.com", "x.b.com")])
    assert table.domains == ("b.com", "a.com")


def test_nan_is_no_value_and_columns_are_checked() -> None:
    table = DomainTable.from_columns(["a.com"], [math.nan], [False], [math.nan])
    assert table.ratings == (None,)
    assert table.spam_scores == (None,)
    with pytest.raises(ValueError, match="one value per domain"):
        DomainTable(("a.com",), (), (False,), (None,))
    with pytest.raises(ValueError, match="each domain once"):
        DomainTable(("a.com", "a.com"), (1.0, 2.0), (False, False), (None, None))


def test_spellings_of_one_page_merge_into_one_table() -> None:
    first = DomainTable.from_links([ReferringDomain("a.com", 30), ReferringDomain("b.com", None)])
    second = DomainTable.from_links([ReferringDomain("www.b.com", 60, is_spam=True)])
    assert DomainTable.merged([first, second]) == DomainTable(
        ("a.com", "b.com"), (30.0, 60.0), (False, True), (None, None)
    )


def test_one_followed_link_makes_its_domain_followed() -> None:
    table = DomainTable.from_links(
        [
            ReferringDomain("a.com", 30, followed=False),
            ReferringDomain("www.a.com", 30, followed=True),
            ReferringDomain("b.com", 10, followed=False),
            ReferringDomain("c.com", 10),
        ]
    )
    assert table.followed == (True, False, True)
    assert table.followed_mask.tolist() == [True, False, True]
    assert [row.followed for row in table.rows()] == [True, False, True]
    other = DomainTable.from_links([ReferringDomain("news.b.com", 5, followed=True)])
    assert DomainTable.merged([table, other]).followed == (True, True, True)


def test_a_domain_is_known_by_a_followed_link_then_its_earliest() -> None:
    def link(host: str, seen: date | None, *, followed: bool = True) -> ReferringDomain:
        return ReferringDomain(
            host, 30, followed=followed, first_seen=seen, linking_url=f"https://{host}/{seen}"
        )

    table = DomainTable.from_links(
        [
            link("a.com", date(2023, 1, 1), followed=False),  # earliest, but nofollow
            link("blog.a.com", None),  # followed, never dated: after every dated one
            link("www.a.com", date(2024, 5, 1)),
            link("news.a.com", date(2024, 2, 1)),
            link("b.com", date(2024, 3, 1), followed=False),
            link("www.b.com", date(2024, 1, 1), followed=False),
            link("c.com", date(2024, 1, 1)),
            link("www.c.com", date(2024, 1, 1)),  # same day: the first listed wins
        ]
    )
    assert [detail.linking_url for detail in table.details] == [
        "https://news.a.com/2024-02-01",
        "https://www.b.com/2024-01-01",
        "https://c.com/2024-01-01",
    ]


def test_a_table_moves_to_another_encoding_unchanged() -> None:
    table = DomainTable.from_links([ReferringDomain("a.com", 30), ReferringDomain("b.com", 5)])
    fresh = DomainIds()
    moved = table.in_encoding(fresh)

    assert moved == table
    assert moved.encoding is fresh
    assert moved.ids.tolist() == [0, 1]
    assert table.in_encoding(table.encoding) is table


def test_ids_are_stable_and_hosts_without_a_name_get_minus_one() -> None:
    ids = DomainIds()
    assert ids.encode(["a.com", "b.com", "a.com"]).tolist() == [0, 1, 0]
    assert ids.encode_hosts(["www.b.com", "", "c.a.com", "new.org"]).tolist() == [1, -1, 0, 2]
    assert ids.decode(ids.encode(["new.org"])) == ["new.org"]
    assert ids.id_of("nowhere.com") is None


def test_threads_encoding_the_same_names_agree() -> None:
    ids = DomainIds()
    names = [f"site{n}.com" for n in range(5_000)]
    results: list[list[int]] = []

    def encode() -> None:
        results.append(ids.encode(names).tolist())

    threads = [threading.Thread(target=encode) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(ids) == len(names)
    assert all(result == results[0] for result in results)
    assert sorted(results[0]) == list(range(len(names)))


def test_a_full_encoding_is_replaced_and_old_tables_still_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(domain_ids, "_shared", DomainIds(capacity=3))
    old = DomainTable.from_links([ReferringDomain(h, 50) for h in ("a.com", "b.com", "c.com")])
    assert shared_encoding() is not old.encoding

    new = DomainTable.from_links([ReferringDomain("d.com", 50)])
    junk = JunkFilter(GapSettings())
    assert junk.page_domains(old).quality_domains == {"a.com", "b.com", "c.com"}
    assert junk.page_domains(new).quality_domains == {"d.com"}
    assert DomainTable.merged([old, new]).domains == ("a.com", "b.com", "c.com", "d.com")
