from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.store.db import make_engine, make_session_factory, write_transaction
from bot.store.migrate import upgrade
from bot.store.models import SHELL_TEAM_ID
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.workspaces import get_or_create_workspace

TARGET = "https://www.example.com/trail-shoes"
CHECK_NAMES = [
    "domain-quality", "new-referring-domain", "topical-fit", "editorial-context",
    "page-relevance", "anchor",
]  # fmt: skip


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "vet.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("LINKGAP_PROVIDER", raising=False)
    return path


def vet_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["vet", *args, "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_json_is_exactly_the_contract(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = vet_json(
        capsys, "https://blog.runner.co.uk/gear", TARGET, "--anchor", "this guide",
        "--keyword", "trail running shoes", "--placement", "in-content", "--no-fetch",
    )  # fmt: skip
    assert set(result) == {"verdict", "anchor_class", "checks"}
    assert result["verdict"] in {"pass", "warn", "fail"}
    assert result["anchor_class"] == "generic"
    assert [check["name"] for check in result["checks"]] == CHECK_NAMES
    for check in result["checks"]:
        assert set(check) == {"name", "verdict", "reason"}
        assert check["reason"]
    topical = next(c for c in result["checks"] if c["name"] == "topical-fit")
    assert topical["verdict"] == "warn"


@pytest.mark.parametrize(
    "prospect",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://2852039166/latest/meta-data/",
        "http://0251.0376.0251.0376/",
        "http://0xa9fea9fe/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00::1]/x",
    ],
)
def test_an_ip_prospect_in_any_spelling_is_refused_and_never_connected_to(
    database: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    prospect: str,
) -> None:
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: object) -> None:
        attempts.append(address)
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", spy)
    args = [prospect, TARGET, "--anchor", "Example", "--keyword", "trail running shoes"]
    assert main(["vet", *args]) == 2
    assert "is an IP address" in capsys.readouterr().err
    assert attempts == []


def test_an_exact_anchor_to_the_homepage_fails(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = vet_json(
        capsys, "https://blog.runner.co.uk/gear", "https://www.example.com/", "--anchor",
        "Trail Running Shoes!", "--keyword", "trail running shoes", "--no-fetch",
    )  # fmt: skip
    assert result["anchor_class"] == "exact"
    assert result["verdict"] == "fail"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ftp://x.com/a", TARGET, "--anchor", "a", "--keyword", "k"], "http:// or https://"),
        (["https://x.com/a", TARGET, "--anchor", "a" * 301, "--keyword", "k"], "300"),
        (
            ["https://x.com/a", TARGET, "--anchor", "a", "--keyword", "k", "--placement", "popup"],
            "in-content",
        ),
        (["https://x.com/a", TARGET, "--anchor", "a"], "--keyword"),
        (["https://x.com/a", TARGET, "--anchor", " ", "--keyword", "k"], "anchor text is missing"),
        (["https://blog.example.com/a", TARGET, "--anchor", "a", "--keyword", "k"], "own site"),
        (["https://intranet.corp/a", TARGET, "--anchor", "a", "--keyword", "k"], "public host"),
        (["https://x.com/a", TARGET, "--anchor", "a", "--campaign", "99"], "no campaign 99"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    database: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(["vet", *args, "--no-fetch"]) == 2
    err = capsys.readouterr().err
    assert says in err
    assert err.count("\n") == 1


def test_terminal_output_names_every_check_and_says_sample_data(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["https://blog.runner.co.uk/gear", TARGET, "--anchor", "Example shoes"]
    args += ["--keyword", "trail running shoes", "--brand", "Example", "--no-fetch"]
    assert main(["vet", *args]) == 0
    out = capsys.readouterr().out
    assert "SAMPLE DATA" in out
    for name in CHECK_NAMES:
        assert name in out


def test_a_campaign_tracked_in_the_local_shell_can_be_vetted_against(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with write_transaction(make_session_factory(engine)) as session:
            workspace = get_or_create_workspace(session, SHELL_TEAM_ID)
            spec = CampaignSpec("trail running shoes", TARGET)
            campaign_id = create_campaign(session, workspace.id, spec).id
    finally:
        engine.dispose()

    result = vet_json(
        capsys, "https://www.runnersweekly.com/trail-running-shoes-review", TARGET,
        "--anchor", "trail shoes guide", "--campaign", str(campaign_id), "--no-fetch",
    )  # fmt: skip

    assert [check["name"] for check in result["checks"]] == CHECK_NAMES
