"""Exactly-once digests across real processes: two ``digest --due`` runs racing, and a SIGKILL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from bot.slack.jobs.digest import METADATA_EVENT
from tests.scenarios.digest_seed import DUE, seed_campaign
from tests.scenarios.harness import SIGNING_SECRET, SlackApp, running_app

ROOT = Path(__file__).resolve().parents[2]
LINKGAP = str(Path(sys.executable).with_name("linkgap"))


def environment(database_url: str, slack_api_url: str, bot_token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LINKGAP_"))}
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=slack_api_url,
        SLACK_BOT_TOKEN=bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        PYTHONPATH=str(ROOT),
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def due_at(moment: object) -> list[str]:
    return [LINKGAP, "digest", "--due", "--at", moment.isoformat()]  # type: ignore[attr-defined]


def posted_digests(app: SlackApp) -> int:
    return sum(
        1
        for m in app.slack.messages("C0SEO")
        if (m.metadata or {}).get("event_type") == METADATA_EVENT
    )


def test_two_digest_due_processes_at_once_post_one_digest(database_url: str) -> None:
    with running_app(database_url) as app:
        seed_campaign(app.runtime.sessions)
        env = environment(database_url, app.slack.api_url, app.slack.bot_token)
        command = [LINKGAP, "digest", "--due", "--at", DUE.isoformat()]
        runs = [
            subprocess.Popen(
                command,
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert posted_digests(app) == 1
        assert sum("posted 2026-W49" in out for out, _ in outputs) == 1


_CLAIM_THEN_DIE = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime
    from bot.store.db import make_engine, make_session_factory
    from bot.store.repositories.digests import claim_digest, mark_posting
    sessions = make_session_factory(make_engine(sys.argv[1]))
    now = datetime.fromisoformat(sys.argv[3])
    claim = claim_digest(sessions, int(sys.argv[2]), "2026-W49", "doomed", now=now)
    assert claim is not None
    mark_posting(sessions, claim, now=now)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_a_process_killed_after_claiming_is_taken_over_once_after_the_lease(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        campaign_id = seed_campaign(app.runtime.sessions)
        env = environment(database_url, app.slack.api_url, app.slack.bot_token)
        script = [sys.executable, "-c", _CLAIM_THEN_DIE, database_url, str(campaign_id)]
        doomed = run([*script, DUE.isoformat()], env)
        assert doomed.returncode == -9, doomed.stderr
        during = [LINKGAP, "digest", "--due", "--at", (DUE + timedelta(minutes=2)).isoformat()]
        after = [LINKGAP, "digest", "--due", "--at", (DUE + timedelta(minutes=10)).isoformat()]
        first = subprocess.run(
            during, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        assert first.returncode == 0, first.stderr
        assert posted_digests(app) == 0  # the lease still holds
        second = subprocess.run(
            after, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        assert second.returncode == 0, second.stderr
        assert posted_digests(app) == 1
        again = subprocess.run(
            after, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        assert again.returncode == 0
        assert posted_digests(app) == 1
