"""``linkgap gsc``: connect, import and refresh a local campaign, with the CLI's exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.local.standin.state import Identity
from bot.providers.search_console import SearchConsoleClient
from bot.services import search_console as search_console_service
from bot.services.search_console import SearchConsoleLink
from bot.store.db import make_engine, make_session_factory, transaction, write_transaction
from bot.store.migrate import upgrade
from bot.store.models import SHELL_TEAM_ID, Campaign, CampaignMetric
from bot.store.repositories.campaigns import CampaignSpec, create_campaign
from bot.store.repositories.workspaces import get_or_create_local_workspace, get_or_create_workspace
from tests.providers.test_search_console import (
    FIXTURES,
    SERVICE_ACCOUNT,
    FakeCredentials,
    write_service_account_key,
)

TARGET = "https://www.example.com/trail-shoes"
SITE = "sc-domain:example.com"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    upgrade(url)
    return url


def add_campaign(url: str, *, team: str | None = None) -> int:
    engine = make_engine(url)
    try:
        with write_transaction(make_session_factory(engine)) as session:
            workspace = (
                get_or_create_workspace(session, team)
                if team
                else get_or_create_local_workspace(session)
            )
            return create_campaign(
                session, workspace.id, CampaignSpec("trail running shoes", TARGET)
            ).id
    finally:
        engine.dispose()


def read(url: str, query: Callable[..., object]) -> object:
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine)) as session:
            return query(session)
    finally:
        engine.dispose()


def metric_rows(url: str) -> object:
    return read(url, lambda s: s.scalar(select(func.count()).select_from(CampaignMetric)))


def use_search_console(
    monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]
) -> None:
    def factory(link: SearchConsoleLink) -> SearchConsoleClient:
        return SearchConsoleClient(
            FakeCredentials(), link.site_url, httpx.MockTransport(handler), sleep=lambda _s: None
        )

    monkeypatch.setattr(search_console_service, "default_client_factory", factory)


def test_connect_stores_the_link_and_says_whom_to_add(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign_id = add_campaign(database)
    key = write_service_account_key(tmp_path)

    code = main(["gsc", "connect", str(campaign_id), "--site", SITE, "--credentials", str(key)])

    out = capsys.readouterr().out
    assert code == 0
    assert SERVICE_ACCOUNT in out
    assert f"linkgap gsc refresh {campaign_id}" in out
    settings = read(database, lambda s: s.get(Campaign, campaign_id).settings)
    assert settings == {
        "search_console": {"site_url": SITE, "credentials_path": str(key.resolve())}
    }


def test_an_unknown_campaign_is_exit_2_and_says_where_it_looked(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slack_campaign = add_campaign(database, team="T0SLACK")
    add_campaign(database)  # the local workspace exists, but not with that id
    key = write_service_account_key(tmp_path)

    code = main(["gsc", "connect", str(slack_campaign), "--site", SITE, "--credentials", str(key)])

    assert code == 2
    assert f"no campaign {slack_campaign} in the local workspace" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments",
    [
        ["--site", "example.com"],
        ["--site", "sc-domain:other.com"],
        ["--site", SITE, "--credentials", "missing.json"],
    ],
)
def test_bad_connect_input_is_exit_2(
    database: str, tmp_path: Path, arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    campaign_id = add_campaign(database)
    if "--credentials" not in arguments:
        arguments = [*arguments, "--credentials", str(write_service_account_key(tmp_path))]

    assert main(["gsc", "connect", str(campaign_id), *arguments]) == 2
    assert capsys.readouterr().err.startswith("linkgap: ")


def test_import_twice_keeps_one_row_a_day(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign_id = add_campaign(database)

    assert main(["gsc", "import", str(campaign_id), str(FIXTURES / "Dates.csv")]) == 0
    assert main(["gsc", "import", str(campaign_id), str(FIXTURES / "Dates.csv")]) == 0

    assert "Imported 14 days (2026-11-16 … 2026-11-29)" in capsys.readouterr().out
    assert metric_rows(database) == 14


def test_importing_the_wrong_table_is_exit_2(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign_id = add_campaign(database)

    assert main(["gsc", "import", str(campaign_id), str(FIXTURES / "Pages.csv")]) == 2
    assert "Pages.csv" in capsys.readouterr().err
    assert metric_rows(database) == 0


def test_refresh_of_a_campaign_that_is_not_connected_is_exit_2(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    campaign_id = add_campaign(database)

    assert main(["gsc", "refresh", str(campaign_id)]) == 2
    assert "not connected to Search Console" in capsys.readouterr().err


def test_refresh_stores_what_search_console_answers(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    campaign_id = add_campaign(database)
    key = write_service_account_key(tmp_path)
    assert (
        main(["gsc", "connect", str(campaign_id), "--site", SITE, "--credentials", str(key)]) == 0
    )
    body = json.loads((FIXTURES / "query_by_date.json").read_text())
    use_search_console(monkeypatch, lambda _request: httpx.Response(200, json=body))

    assert main(["gsc", "refresh", str(campaign_id)]) == 0

    assert "Stored 3 days (2026-11-25 … 2026-11-27)" in capsys.readouterr().out
    assert metric_rows(database) == 3


def test_refresh_refused_by_search_console_is_exit_3(
    database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    campaign_id = add_campaign(database)
    key = write_service_account_key(tmp_path)
    assert (
        main(["gsc", "connect", str(campaign_id), "--site", SITE, "--credentials", str(key)]) == 0
    )
    body = json.loads((FIXTURES / "error_403_permission_denied.json").read_text())
    use_search_console(monkeypatch, lambda _request: httpx.Response(403, json=body))

    assert main(["gsc", "refresh", str(campaign_id)]) == 3
    err = capsys.readouterr().err
    assert "Users and permissions" in err
    assert len(err.strip().splitlines()) == 1
    assert metric_rows(database) == 0


def test_a_campaign_tracked_in_the_local_shell_is_found_from_the_terminal(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell_campaign = add_campaign(database, team=SHELL_TEAM_ID)
    key = write_service_account_key(tmp_path)

    code = main(["gsc", "connect", str(shell_campaign), "--site", SITE, "--credentials", str(key)])

    assert code == 0
    assert f"linkgap gsc refresh {shell_campaign}" in capsys.readouterr().out
    assert Identity().team_id == SHELL_TEAM_ID  # the shell's stand-in is that workspace
