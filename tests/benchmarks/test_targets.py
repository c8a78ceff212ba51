"""Every benchmark exits non-zero when its target is missed, so ``make bench`` can fail."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import digests, gap_analysis, slack_ack
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


def test_slack_ack_names_each_missed_target() -> None:
    met = {"p99_target_met": True, "burst_target_met": True}
    assert slack_ack.missed(met) == []
    assert len(slack_ack.missed({**met, "p99_target_met": False})) == 1
    assert slack_ack.missed({**met, "burst_target_met": False}) == [
        "an ack over 3 s (or not 200) in the concurrent burst"
    ]


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
