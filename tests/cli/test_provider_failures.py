"""``linkgap gap`` when a live provider fails: exit 3, one line saying what to do, nothing kept.

The registry builds the real provider from the environment; only the network
is replaced, by a stand-in of the API (``tests/providers/live_fixtures.py``)
with one endpoint answering a fault. The registry takes no ``sleep``, so the
patched factory rebuilds the provider it made with the same keys and an
instant, recorded sleep: the retry budget is spent without waiting.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.cli import main
from bot.providers import registry
from bot.store.models import Analysis, ProviderCacheEntry, RdSnapshotRow
from tests.providers.live_fixtures import (
    APIS,
    COLD_REQUESTS,
    ENVIRON,
    KEYWORD,
    TARGET,
    LiveApi,
    json_fixture,
    timeout,
)

ROOT = Path(__file__).parents[2]
KEY_VARIABLES = ("DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD", "AHREFS_API_KEY", "SEMRUSH_API_KEY")
#: How each provider names itself to the user.
SHOWN = {"dataforseo": "DataForSEO", "ahrefs": "Ahrefs", "semrush": "Semrush"}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("LINKGAP_PROVIDER", raising=False)
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return path


def count_rows(path: Path, model: type) -> int:
    if not path.exists():
        return 0
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def serve(monkeypatch: pytest.MonkeyPatch, api: LiveApi, sleeps: list[float]) -> None:
    """Route the CLI's provider to ``api``, with retries that record their waits instead."""
    make_provider = registry.make_provider

    def factory(
        name: str,
        *,
        data_dir: Path | None = None,
        environ: Any = None,
        transport: httpx.BaseTransport | None = None,
    ) -> Any:
        built = make_provider(name, data_dir=data_dir, environ=environ)
        key = name.strip().lower()
        if key not in registry.PROVIDER_KEYS:
            return built  # demo, csv: no network
        built.close()  # type: ignore[attr-defined]
        # The keys the CLI passed down from its settings, never the process environment.
        values = [environ[variable].strip() for variable in registry.PROVIDER_KEYS[key]]
        rebuild: Any = type(built)
        return rebuild(*values, transport=httpx.MockTransport(api), sleep=sleeps.append)

    monkeypatch.setattr("bot.providers.registry.make_provider", factory)


def set_keys(monkeypatch: pytest.MonkeyPatch, provider: str, **overrides: str) -> list[str]:
    """Put the provider's keys in the environment; return every secret value set."""
    values = {**ENVIRON[provider], **overrides}
    for variable, value in values.items():
        monkeypatch.setenv(variable, value)
    return [*values.values(), *ENVIRON[provider].values()]


def answer(status: int, **kwargs: Any) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _request: httpx.Response(status, **kwargs)


# (id, provider, env overrides, endpoint that fails, its answer, expected attempts there,
#  words the message must contain)
FAILURES: list[tuple[str, str, dict[str, str], str, Any, int, tuple[str, ...]]] = [
    ("dataforseo-401-wrong-password", "dataforseo", {"DATAFORSEO_PASSWORD": "pw-wrong-0000"},
     "serp", None, 1, ("rejected the credentials", "DATAFORSEO_LOGIN", "DATAFORSEO_PASSWORD")),
    ("dataforseo-403", "dataforseo", {}, "page",
     answer(403, json=json_fixture("dataforseo", "error_40100_unauthorized.json")), 1,
     ("rejected the credentials", "DATAFORSEO_PASSWORD")),
    ("dataforseo-40210-funds", "dataforseo", {}, "rating",
     answer(200, json=json_fixture("dataforseo", "error_40210_funds.json")), 1,
     ("lack of funds", "top up the balance")),
    ("dataforseo-40202-past-budget", "dataforseo", {}, "page",
     answer(200, json=json_fixture("dataforseo", "error_40202_rate_limit.json")), 4,
     ("too many requests", "after 4 tries", "try again in a few minutes")),
    ("dataforseo-timeouts", "dataforseo", {}, "page", timeout, 4,
     ("timed out after 4 tries", "try again")),
    ("ahrefs-401-wrong-key", "ahrefs", {"AHREFS_API_KEY": "ahrefs-key-revoked-9999"},
     "serp", None, 1, ("rejected the API key", "AHREFS_API_KEY")),
    ("ahrefs-403-insufficient-plan", "ahrefs", {}, "page",
     answer(403, json=json_fixture("ahrefs", "error_403_insufficient_plan.json")), 1,
     ("plan", "AHREFS_API_KEY", "Insufficient plan")),
    ("ahrefs-timeouts", "ahrefs", {}, "serp", timeout, 4,
     ("timed out after 4 tries", "try again")),
    ("semrush-error-120-wrong-key", "semrush", {"SEMRUSH_API_KEY": "semrush-key-revoked-99"},
     "serp", None, 1, ("rejected the API key", "ERROR 120", "SEMRUSH_API_KEY")),
    ("semrush-403", "semrush", {}, "site", answer(403, text="Forbidden"), 1,
     ("rejected the credentials", "SEMRUSH_API_KEY")),
    ("semrush-error-132-balance-zero", "semrush", {}, "page",
     answer(200, text="ERROR 132 :: API UNITS BALANCE IS ZERO"), 1,
     ("balance is zero", "ERROR 132", "SEMRUSH_API_KEY", "API units")),
    ("semrush-timeouts", "semrush", {}, "rating", timeout, 4,
     ("timed out after 4 tries", "try again")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("provider", "overrides", "endpoint", "fault", "attempts", "says"),
    [pytest.param(*case[1:], id=case[0]) for case in FAILURES],
)
def test_a_provider_failure_is_exit_3_one_line_no_secret_and_nothing_written(
    database: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    provider: str,
    overrides: dict[str, str],
    endpoint: str,
    fault: Any,
    attempts: int,
    says: tuple[str, ...],
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx logs every URL (Semrush's key is in it)
    api = APIS[provider]()
    if fault is not None:
        api.fail(endpoint, fault)
    sleeps: list[float] = []
    serve(monkeypatch, api, sleeps)
    secrets = set_keys(monkeypatch, provider, **overrides)

    code = main(["gap", KEYWORD, TARGET, "--provider", provider, "--no-fetch", "--json"])

    captured = capsys.readouterr()
    assert code == 3
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("linkgap: ")
    assert SHOWN[provider] in captured.err
    for words in says:
        assert words in captured.err
    assert "Traceback" not in captured.err
    for secret in secrets:
        assert secret not in captured.err
        assert secret not in caplog.text
    assert api.count(endpoint) == attempts
    assert sleeps == [1.0, 2.0, 4.0][: attempts - 1]  # the documented backoff, not waited
    assert count_rows(database, Analysis) == 0
    assert count_rows(database, RdSnapshotRow) == 0


def test_a_failure_after_the_serp_keeps_the_paid_answers_but_records_no_analysis(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps complete answers (the SERP, the pages before the failure), never the
    failed one, and the rerun after the fault pays only for what is missing."""
    api = APIS["ahrefs"]().fail(
        "site", answer(403, json=json_fixture("ahrefs", "error_403_insufficient_plan.json"))
    )
    serve(monkeypatch, api, [])
    set_keys(monkeypatch, "ahrefs")
    assert main(["gap", KEYWORD, TARGET, "--provider", "ahrefs", "--no-fetch", "--json"]) == 3
    capsys.readouterr()
    assert count_rows(database, Analysis) == 0
    assert count_rows(database, ProviderCacheEntry) == 1 + 11  # SERP + every page, no site list
    paid = len(api.requests)

    api.faults.clear()
    assert main(["gap", KEYWORD, TARGET, "--provider", "ahrefs", "--no-fetch", "--json"]) == 0
    assert '"provider_requests": 2' in capsys.readouterr().out  # site list + rating
    assert len(api.requests) == paid + 2 == COLD_REQUESTS + 1
    assert count_rows(database, Analysis) == 1


def test_linkgap_provider_without_its_keys_is_exit_2_naming_both_variables(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINKGAP_PROVIDER", "dataforseo")
    assert main(["gap", KEYWORD, TARGET, "--no-fetch"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "DATAFORSEO_LOGIN and DATAFORSEO_PASSWORD" in captured.err
    assert count_rows(database, Analysis) == 0


def test_the_provider_option_overrides_linkgap_provider(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = APIS["semrush"]()
    serve(monkeypatch, api, [])
    set_keys(monkeypatch, "semrush")
    monkeypatch.setenv("LINKGAP_PROVIDER", "dataforseo")  # its keys are not set

    assert main(["gap", KEYWORD, TARGET, "--provider", "semrush", "--no-fetch", "--json"]) == 0
    assert '"provider": "semrush"' in capsys.readouterr().out
    assert len(api.requests) == COLD_REQUESTS

    monkeypatch.setenv("LINKGAP_PROVIDER", "semrush")
    assert main(["gap", KEYWORD, TARGET, "--provider", "demo", "--no-fetch", "--json"]) == 0
    assert '"provider": "demo"' in capsys.readouterr().out
    assert len(api.requests) == COLD_REQUESTS  # the demo never reaches Semrush


_SCRIPT = textwrap.dedent(
    """
    import os, sys
    import httpx
    from bot.cli import main
    from bot.providers import registry
    from tests.providers.live_fixtures import APIS, timeout

    api = APIS["dataforseo"]().fail("page", timeout)
    make_provider = registry.make_provider

    def factory(name, *, data_dir=None, environ=None, transport=None):
        built = make_provider(name, data_dir=data_dir, environ=environ)
        values = [os.environ[v] for v in registry.PROVIDER_KEYS[name]]
        return type(built)(*values, transport=httpx.MockTransport(api), sleep=lambda s: None)

    registry.make_provider = factory
    sys.exit(main(sys.argv[1:]))
    """
)


def test_outside_pytest_a_timeout_is_still_one_line_on_stderr(tmp_path: Path) -> None:
    """pytest's own log handlers hide what a user sees; a real process shows it."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in KEY_VARIABLES},
        **ENVIRON["dataforseo"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("LINKGAP_PROVIDER", None)
    completed = subprocess.run(
        [sys.executable, "-c", _SCRIPT, "gap", KEYWORD, TARGET, "--provider", "dataforseo",
         "--no-fetch"],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    assert completed.returncode == 3
    assert "timed out after 4 tries" in completed.stderr
    assert completed.stderr.count("\n") == 1, completed.stderr


@pytest.mark.parametrize("provider", ["ahrefs", "dataforseo"])
def test_keys_set_only_in_dotenv_reach_the_live_provider(
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    provider: str,
) -> None:
    """The settings read ``.env`` once; the registry gets the keys from them, not os.environ."""
    (tmp_path / ".env").write_text(
        "".join(f"{name}={value}\n" for name, value in ENVIRON[provider].items())
    )
    monkeypatch.chdir(tmp_path)
    assert not any(name in os.environ for name in KEY_VARIABLES)
    api = APIS[provider]()
    serve(monkeypatch, api, [])
    assert main(["gap", KEYWORD, TARGET, "--provider", provider, "--no-fetch", "--json"]) == 0
    assert f'"provider": "{provider}"' in capsys.readouterr().out
    assert len(api.requests) == COLD_REQUESTS
    assert count_rows(database, Analysis) == 1
