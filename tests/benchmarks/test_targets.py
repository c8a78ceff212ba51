"""Every benchmark exits non-zero when its target is missed, so ``make bench`` can fail."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import digests, gap_analysis, internal_support, slack_ack
from bot.gap.models import GapInput, ReferringDomain, SerpResult


def _small_input() -> GapInput:
    """Three pages of 40 referring domains: the real analysis, in milliseconds."""
    serp = [SerpResult(n + 1, f"https://www.competitor{n}.com/guide") for n in range(3)]
    links = {
        result.url: [ReferringDomain(f"site{n}-{i}.com", 40.0) for i in range(40)]
        for n, result in enumerate(serp)
    }
    target = "https://www.example.com/guide"
    links[target] = [ReferringDomain("site0-1.com", 40.0)]
    return GapInput("guide", target, serp, links)


@pytest.mark.parametrize(("target", "code"), [(0.0, 1), (60.0, 0)])
def test_gap_analysis_exits_1_when_the_analysis_is_over_its_target(
    target: float, code: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(gap_analysis, "build_input", _small_input)
    monkeypatch.setattr(gap_analysis, "TARGET_SECONDS", target)
    assert gap_analysis.main() == code
    assert ("TARGET MISSED" in capsys.readouterr().out) == bool(code)


def test_gap_analysis_names_a_link_plan_over_its_target() -> None:
    assert gap_analysis.missed(0.2, 0.05) == []
    assert gap_analysis.missed(0.2, 0.15) == ["the link plan adds 0.150 s, over the 0.1 s target"]
    assert gap_analysis.missed(0.2, 0.05, 0.8) == [
        "the link plan with linking pages adds 0.800 s, over the 0.1 s target"
    ]


def test_gap_analysis_exits_1_when_the_plan_is_over_its_target(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(gap_analysis, "build_input", _small_input)
    monkeypatch.setattr(gap_analysis, "PLAN_TARGET_SECONDS", 0.0)
    assert gap_analysis.main() == 1
    assert "TARGET MISSED: the link plan adds" in capsys.readouterr().out


def test_slack_ack_names_each_missed_target_per_mode() -> None:
    def check(mode: str, **missed: bool) -> dict[str, Any]:
        return {"mode": mode, "p99_ratio": 1.6, "p50_ratio": 1.0,
                "p99_target_met": True, "acks_target_met": True, **missed}  # fmt: skip

    met = {"checks": [check("default"), check("procfile")]}
    assert slack_ack.missed(met) == []
    slow = {"checks": [check("default", p99_target_met=False), check("procfile")]}
    assert slack_ack.missed(slow) == ["default mode: p99 1.6 x the bare Bolt app's (target 1.5 x)"]
    late = {"checks": [check("default"), check("procfile", acks_target_met=False)]}
    assert slack_ack.missed(late) == ["procfile mode: an ack over 3 s (or not 200)"]


def test_slack_ack_figures_show_both_modes_beside_the_bare_app() -> None:
    from benchmarks.ack_report import figures_markdown

    row = {"requests": 250, "non_200": 0, "p50_ms": 40.0, "p99_ms": 80.0, "max_ms": 90.0,
           "over_3s": 0}  # fmt: skip
    burst = {**row, "load_before": [1.0, 1.0, 1.0]}
    checks = [{"mode": mode, "p99_ratio": 1.0, "p50_ratio": 1.0, "p99_target_met": True,
               "acks_target_met": mode == "procfile"} for mode in slack_ack.MODES]  # fmt: skip
    result = {
        "machine": {"cores": 2, "cpu": "x", "python": "3.11"}, "load_average_at_start": [1, 1, 1],
        "load_average_at_end": [1, 1, 1], "gunicorn": {"workers": 1, "threads": 8},
        "rounds": 5, "concurrency": 50, "apps": dict.fromkeys(("default", "procfile", "bare"), row),
        "checks": checks, "per_round": [], "burst": {"concurrency": 200, "default": burst,
        "procfile": burst, "bare": burst}, "jobs_after": {"default": {"done": 1}},
        "chat_post_messages": 1,
    }  # fmt: skip

    text = figures_markdown(result)

    assert text.count("| linkgap, default (`serve`) |") == 2  # rounds and burst tables
    assert text.count("| linkgap, Procfile (`serve --no-jobs` + `worker`) |") == 2
    assert "default mode: p99 ≤ 1.5 × bare met, no ack over 3 s **missed**" in text
    assert "procfile mode: p99 ≤ 1.5 × bare met, no ack over 3 s met" in text


def _digest_run(wall: float) -> dict[str, Any]:
    """A run of two campaigns that each got this week's digest once."""
    return {
        "campaigns": 2,
        "wall": wall,
        "timed_out": False,
        "claims": {"posted": 2},
        "slack": {
            "digests": {"1:2026-W49": 1, "2:2026-W49": 1},
            "refused_then_posted": 1,
            "refused_campaigns": 1,
            "retry_wait_min": 1.0,
            "errors": 0,
        },
    }


def test_digests_fail_past_sixty_seconds_even_when_every_digest_was_posted() -> None:
    assert digests.check(_digest_run(59.0)) == []
    assert digests.check(_digest_run(61.0)) == ["61.0 s, over the 60 s target"]


@pytest.mark.parametrize(("target", "code"), [(0.0, 1), (60.0, 0)])
def test_internal_support_exits_1_when_the_crawl_is_over_its_target(
    target: float, code: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 12-page site without latency: the real crawl of a real loopback server, in a second."""
    monkeypatch.setattr(internal_support, "TARGET_SECONDS", target)
    assert internal_support.main(pages=12, latency=0.0) == code
    out = capsys.readouterr().out
    assert ("TARGET MISSED" in out) == bool(code)
    assert '"pages_read": 14' in out  # the 12 listed pages, the homepage and the target


def test_internal_support_names_a_short_crawl() -> None:
    result = {"crawl_seconds": 3.0, "target_seconds": 60.0, "max_pages": 500, "site_pages": 600,
              "pages_read": 420}  # fmt: skip
    assert internal_support.missed(result) == ["420 pages read of 500"]
