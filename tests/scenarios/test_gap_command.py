"""``/linkgap gap`` end to end: signed request → fast ack → progress → report → CSV."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from bot.local.standin import StoredMessage
from bot.store.db import transaction
from bot.store.models import Analysis, Job
from tests.scenarios.harness import GENERAL, SlackApp, running_app

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"


def count(app: SlackApp, model: type) -> int:
    with transaction(app.runtime.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def report_message(app: SlackApp) -> StoredMessage:
    update = app.slack.calls("chat.update")[-1]
    found = app.slack.message(update.params["channel"], update.params["ts"])
    assert found is not None
    return found


def test_gap_command_acks_fast_then_posts_progress_then_the_report(database_url: str) -> None:
    with running_app(database_url) as app:
        started = time.perf_counter()
        response = app.command(f'gap "{KEYWORD}" {TARGET}')
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        assert elapsed < 3
        assert count(app, Job) == 1
        assert app.run_jobs() == 1

        posted = app.slack.calls("chat.postMessage")
        assert len(posted) == 1
        assert "Analysing" in str(posted[0].params)
        updates = app.slack.calls("chat.update")
        assert len(updates) == 1
        report = report_message(app)
        text = str(report.blocks)
        assert "Link gap: trail running shoes" in text
        assert "Entry target" in text
        assert "Stretch target" in text
        assert "Sample data" in text
        # The demo's sample web answers the crawl of www.example.com.
        assert "*Internal support*: " in text
        assert "pages link here (of " in text
        assert "could link here: <https://www.example.com/blog/trail-running-shoes-" in text
        assert count(app, Analysis) == 1
        upload = app.slack.files()
        assert len(upload) == 1
        assert report.thread_ts is None  # the CSV goes into the report's thread
        replies = app.slack.thread(GENERAL, report.ts)
        assert [len(reply.files) for reply in replies] == [1]
        assert upload[0].title.startswith("All ")
        assert upload[0].content is not None
        assert (
            b"domain,competitors_linked,domain_rating,traffic,warm,followed,topical_fit"
            in upload[0].content
        )


def test_the_crawl_of_your_site_shows_its_progress_in_the_analysing_message(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.slack.jobs.gap.PROGRESS_EVERY_SECONDS", 0.0)
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        assert app.run_jobs() == 1
        updates = [str(call.params) for call in app.slack.calls("chat.update")]
    assert len(updates) >= 3  # the crawl's progress lines, then the report
    assert re.search(r"Crawling your site for internal support: \d+ of \d+ pages read", updates[0])
    assert "Analysing the link gap" in updates[0]
    assert "Link gap: trail running shoes" in updates[-1]


def test_shorthand_without_subcommand_runs_a_gap_analysis(database_url: str) -> None:
    with running_app(database_url) as app:
        assert app.command(f'"{KEYWORD}" {TARGET}').status_code == 200
        assert app.run_jobs() == 1
        assert "Link gap: trail running shoes" in str(report_message(app).blocks)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("frobnicate", "don't know the command"),
        (f'gap "{KEYWORD}"', "URL is missing"),
        (f"gap {TARGET}", "keyword is missing"),
        (f'gap "{KEYWORD}" ftp://example.com/x', "http:// or https://"),
        ('gap "' + "k" * 201 + f'" {TARGET}', "limit is 200"),
        (f'gap "{KEYWORD}" https://localhost/x', "no valid host"),
    ],
)
def test_bad_input_gets_an_ephemeral_usage_answer_and_creates_nothing(
    database_url: str, text: str, says: str
) -> None:
    with running_app(database_url) as app:
        response = app.command(text)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_type"] == "ephemeral"
        assert says in answer["text"]
        assert count(app, Job) == 0
        assert app.slack.calls("chat.postMessage") == []
