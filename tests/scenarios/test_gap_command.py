"""``/linkgap gap`` end to end: signed request → fast ack → progress → report → chart, CSV."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from bot.local.standin import StoredMessage
from bot.store.db import transaction
from bot.store.models import Analysis, Job
from tests.digest.test_chart import png_size
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
        chart, csv_file = app.slack.files()  # the chart first, then the CSV
        assert report.thread_ts is None  # both go into the report's thread
        replies = app.slack.thread(GENERAL, report.ts)
        assert [[shared.id for shared in reply.files] for reply in replies] == [
            [chart.id],
            [csv_file.id],
        ]
        assert chart.name == "linkgap-gap-chart-trail-running-shoes.png"
        assert chart.content is not None
        assert png_size(chart.content) == (800, 400)
        assert chart.alt_txt is not None
        assert "your page (#6) has 14; comparable pages" in chart.alt_txt
        assert csv_file.title.startswith("All ")
        assert csv_file.content is not None
        assert (
            b"domain,competitors_linked,domain_rating,traffic,warm,followed,topical_fit"
            in csv_file.content
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


def _report_without_chart(app: SlackApp) -> None:
    """The report and its CSV are in Slack, the job is done, and no chart was shared."""
    report = report_message(app)
    assert "Link gap: trail running shoes" in str(report.blocks)
    shared = [f.name for m in app.slack.thread(GENERAL, report.ts) for f in m.files]
    assert shared == ["linkgap-prospects-trail-running-shoes.csv"]
    (job,) = app.rows(Job)
    assert job.status == "done", job.error
    assert job.attempts == 1


def test_a_chart_that_cannot_be_drawn_leaves_the_report_and_its_csv(
    database_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(chart: object) -> bytes:
        raise ValueError("no font")

    monkeypatch.setattr("bot.slack.jobs.gap.render_gap_chart", broken)
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        assert app.run_jobs() == 1
        _report_without_chart(app)
        assert app.slack.calls("files.getUploadURLExternal")[0].params["filename"].endswith(".csv")
    assert "could not attach the chart" in caplog.text


def test_a_chart_slack_refuses_leaves_the_report_and_its_csv(database_url: str) -> None:
    with running_app(database_url) as app:
        app.slack.answer_error("files.getUploadURLExternal", "internal_error")  # the chart's
        app.command(f'gap "{KEYWORD}" {TARGET}')
        assert app.run_jobs() == 1
        _report_without_chart(app)
