"""``make hardening``'s WSGI part runs in ``make test`` too: every row handled, and it can fail."""

from __future__ import annotations

from tests.scenarios.hardening import Probe, Row, replay, run_wsgi, table
from tests.scenarios.harness import running_app
from tests.scenarios.hostile import FORM, JSON, UNVERIFIED, Case


def test_every_request_make_hardening_replays_is_handled(database_url: str) -> None:
    rows = run_wsgi(database_url)

    assert {row.group for row in rows} >= {
        "published", "malformed", "unverified", "timestamp", "limits", "command text",
        "events", "identity",
    }  # fmt: skip
    assert [(row.group, row.failures) for row in rows if row.failed] == []
    assert sum(row.tried for row in rows) >= 50


def test_a_wrong_status_or_a_missing_refusal_counts_as_failed(database_url: str) -> None:
    forged = next(case for case in UNVERIFIED if case.name == "timestamp abc")
    wrongly_expected = Probe(Case("x", "forged, expected 200", forged.body, JSON, 200,
                                  timestamp="abc"))  # fmt: skip
    unsaid = Probe(Case("x", "help", b"command=%2Flinkgap&text=help&team_id=T0STANDIN"
                        b"&user_id=U0STANDIN1&channel_id=C0GENERAL", FORM, 200),
                   says="words no answer contains")  # fmt: skip
    with running_app(database_url) as app:
        assert replay(app, wrongly_expected) == "HTTP 401, expected 200"
        assert replay(app, unsaid) == "the answer does not say 'words no answer contains'"


def test_the_table_totals_every_group() -> None:
    rows = [Row("published", 9, 9), Row("limits", 2, 1, ["10 MB: HTTP 500"])]

    assert table(rows).splitlines() == [
        "| group | tried | handled | failed |",
        "|---|---|---|---|",
        "| published | 9 | 9 | 0 |",
        "| limits | 2 | 1 | 1 |",
        "| **total** | **11** | **10** | **1** |",
    ]
