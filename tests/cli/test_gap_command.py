from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from bot.cli import main
from bot.errors import ProviderUnavailable
from bot.store.models import Analysis, RdSnapshotRow
from tests.digest.test_chart import png_size

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"

CONTRACT_KEYS = {
    "keyword", "target_url", "provider", "sample_data", "own", "results", "entry_target",
    "stretch_target", "entry_gap", "stretch_gap", "prospects", "flags",
    "provider_requests", "estimated_cost_usd", "plan", "internal_support",
}  # fmt: skip
OWN_KEYS = {
    "url", "position", "referring_domains", "quality_referring_domains", "domain_rating",
    "followed_referring_domains",
}  # fmt: skip
RESULT_KEYS = {
    "position", "url", "domain", "referring_domains", "quality_referring_domains",
    "domain_rating", "comparable", "excluded_reason", "followed_referring_domains",
}  # fmt: skip
PROSPECT_KEYS = {
    "domain", "competitors_linked", "domain_rating", "warm", "linked_pages", "topical_fit",
}  # fmt: skip
LINKED_PAGE_KEYS = {
    "position", "competitor_url", "linking_url", "anchor", "followed", "first_seen", "title",
}  # fmt: skip
PLAN_KEYS = {"prospects", "reserve", "eta_days"}
PLAN_ENTRY_KEYS = {"domain", "score", "reason"}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("LINKGAP_PROVIDER", raising=False)
    for name in ("DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD", "AHREFS_API_KEY", "SEMRUSH_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return path


def count_rows(path: Path, model: type) -> int:
    if not path.exists():
        return 0
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(model)) or 0)
    except Exception:  # no tables yet
        return 0
    finally:
        engine.dispose()


def test_json_output_is_exactly_the_contract(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", KEYWORD, TARGET, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == CONTRACT_KEYS
    assert report["sample_data"] is True
    assert report["provider"] == "demo"
    assert report["keyword"] == KEYWORD
    assert report["target_url"] == TARGET
    assert set(report["own"]) == OWN_KEYS
    assert len(report["results"]) == 10
    for row in report["results"]:
        assert set(row) == RESULT_KEYS
        assert row["comparable"] is (row["excluded_reason"] is None)
        assert row["excluded_reason"] in {None, "own-site", "platform", "gov-edu", "page-type"}
        assert row["quality_referring_domains"] <= row["followed_referring_domains"]
        assert row["followed_referring_domains"] <= row["referring_domains"]
    comparable = {row["url"]: row["position"] for row in report["results"] if row["comparable"]}
    for prospect in report["prospects"]:
        assert set(prospect) == PROSPECT_KEYS
        assert prospect["competitors_linked"] >= 2
        assert len(prospect["linked_pages"]) == prospect["competitors_linked"]
        for page in prospect["linked_pages"]:
            assert set(page) == LINKED_PAGE_KEYS
            assert comparable[page["competitor_url"]] == page["position"]
        assert prospect["topical_fit"] is None or 0 <= prospect["topical_fit"] <= 1
    assert set(report["plan"]) == PLAN_KEYS
    gap, eligible = report["entry_gap"] or 0, len(report["prospects"])
    assert len(report["plan"]["prospects"]) == min(gap, eligible)
    assert len(report["plan"]["reserve"]) <= len(report["plan"]["prospects"]) // 2
    for entry in report["plan"]["prospects"] + report["plan"]["reserve"]:
        assert set(entry) == PLAN_ENTRY_KEYS
        assert 0 <= entry["score"] <= 1
        assert entry["reason"].startswith("links to ")
    for target in ("entry_target", "stretch_target", "entry_gap", "stretch_gap"):
        assert report[target] is None or isinstance(report[target], int)
    assert all(set(flag) == {"code", "message"} for flag in report["flags"])
    assert report["provider_requests"] == 0
    assert report["estimated_cost_usd"] == 0


def test_same_inputs_give_the_same_report(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["gap", KEYWORD, TARGET, "--json"])
    first = capsys.readouterr().out
    main(["gap", KEYWORD, TARGET, "--json"])
    assert capsys.readouterr().out == first


def test_terminal_report_shows_targets_table_and_sample_banner(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", KEYWORD, TARGET]) == 0
    out = capsys.readouterr().out
    assert "SAMPLE DATA" in out
    assert "Entry target" in out
    assert "Stretch target" in out
    assert "Top results" in out
    assert "example.com/trail-shoes" in out


def test_a_successful_run_records_the_analysis_and_a_snapshot(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", KEYWORD, TARGET, "--json"]) == 0
    assert count_rows(database, Analysis) == 1
    assert count_rows(database, RdSnapshotRow) == 1
    main(["gap", KEYWORD, TARGET, "--json"])
    assert count_rows(database, Analysis) == 2
    assert count_rows(database, RdSnapshotRow) == 1  # one snapshot per page per day


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["gap", "", TARGET], "keyword is empty"),
        (["gap", "   ", TARGET], "keyword is empty"),
        (["gap", "k" * 201, TARGET], "limit is 200"),
        (["gap", KEYWORD, "ftp://example.com/x"], "http:// or https://"),
        (["gap", KEYWORD, "www.example.com/x"], "http:// or https://"),
        (["gap", KEYWORD, "https://example.com/" + "a" * 2050], "limit is 2048"),
        (["gap", KEYWORD, TARGET, "--provider", "nope"], "Unknown provider"),
        (["gap", KEYWORD, TARGET, "--provider", "csv"], "--data"),
        (["gap", KEYWORD, TARGET, "--country", "usa"], "two-letter"),
        (["gap", KEYWORD, TARGET, "--provider", "dataforseo"], "DATAFORSEO_LOGIN"),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_nothing_written(
    database: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert says in captured.err
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert count_rows(database, Analysis) == 0


def test_missing_provider_keys_name_every_missing_variable(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", "crm software", "https://example.com/crm", "--provider", "dataforseo"]) == 2
    err = capsys.readouterr().err
    assert "DATAFORSEO_LOGIN" in err
    assert "DATAFORSEO_PASSWORD" in err


def test_provider_failure_is_exit_3_with_the_providers_message_and_writes_nothing(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class FailingProvider:
        name = "dataforseo"
        sample_data = False

        def serp(self, query: object) -> list[object]:
            raise ProviderUnavailable(
                "dataforseo", "DataForSEO timed out after 3 tries; try again."
            )

    monkeypatch.setattr("bot.providers.registry.make_provider", lambda *a, **k: FailingProvider())
    assert main(["gap", KEYWORD, TARGET]) == 3
    err = capsys.readouterr().err
    assert err.strip() == "linkgap: DataForSEO timed out after 3 tries; try again."
    assert count_rows(database, Analysis) == 0


def test_db_upgrade_reports_the_revision(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "database at revision" in capsys.readouterr().out


def test_the_console_script_runs_offline_as_a_user_would(database: Path) -> None:
    linkgap = Path(sys.executable).with_name("linkgap")
    completed = subprocess.run(
        [str(linkgap), "gap", KEYWORD, TARGET, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["sample_data"] is True


def test_the_crawl_s_progress_is_one_line_rewritten_in_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.gap import crawl_progress

    crawl_progress(120, 1500)
    crawl_progress(121, 1500)
    assert capsys.readouterr().err == (
        "\rCrawling your site for internal support: 120 of 1,500 pages"
        "\rCrawling your site for internal support: 121 of 1,500 pages"
    )


def test_no_fetch_leaves_internal_support_null(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", KEYWORD, TARGET, "--json", "--no-fetch"]) == 0
    assert json.loads(capsys.readouterr().out)["internal_support"] is None
    assert main(["gap", KEYWORD, TARGET, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["internal_support"]["linking_pages"] >= 1


def test_plan_prints_the_plan_contract_sized_to_the_entry_gap(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gap", KEYWORD, "https://www.example.org/trail-running", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert main(["plan", KEYWORD, "https://www.example.org/trail-running", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan == report["plan"]  # the same analysis, the same plan
    assert set(plan) == PLAN_KEYS
    expected = min(report["entry_gap"], len(report["prospects"]))
    assert len(plan["prospects"]) == expected > 0
    assert 0 < len(plan["reserve"]) <= expected // 2
    scores = [entry["score"] for entry in plan["prospects"] + plan["reserve"]]
    assert scores == sorted(scores, reverse=True)


def test_plan_in_the_terminal_lists_every_entry_the_reserve_and_the_next_step(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", KEYWORD, "https://www.example.org/trail-running", "--no-fetch"]) == 0
    out = capsys.readouterr().out
    assert "prospects close the entry gap of" in out
    assert "Pitch in this order" in out
    assert "Reserve (for refusals)" in out
    assert "Next step: Pitch these 3 first: " in out


def test_chart_writes_the_reports_png_and_keeps_stdout_for_the_report(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "gap.png"
    assert main(["gap", KEYWORD, TARGET, "--no-fetch", "--json", "--chart", str(chart)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["keyword"] == KEYWORD  # stdout is the JSON contract alone
    assert captured.err == f"chart written to {chart}\n"
    assert png_size(chart.read_bytes()) == (800, 400)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing/gap.png", "the folder {tmp}/missing does not exist"),
        ("gap.jpg", "the chart is a PNG"),
        ("a-file/gap.png", "{tmp}/a-file is a file, not a folder"),
        ("a-folder.png", "is a folder; give a file name"),
    ],
)
def test_a_chart_path_that_cannot_take_the_png_is_exit_2_before_anything_runs(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, says: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder.png").mkdir()
    assert main(["gap", KEYWORD, TARGET, "--chart", str(tmp_path / name)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert says.format(tmp=tmp_path) in captured.err
    assert captured.err.count("\n") == 1
    assert count_rows(database, Analysis) == 0
