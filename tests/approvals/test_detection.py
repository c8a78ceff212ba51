from __future__ import annotations

from bot.approvals.detection import ProviderSighting, TrackedPlacement, sight


def test_approved_placements_go_live_and_live_ones_missing_are_rechecked() -> None:
    placements = [
        TrackedPlacement(1, "approved", "runner.co.uk"),  # now linking: live
        TrackedPlacement(2, "approved", "quiet.com"),  # not yet: stays approved
        TrackedPlacement(3, "live", "runner.co.uk"),  # still linking: nothing to do
        TrackedPlacement(4, "live", "gone.com"),  # dropped out: check the page
        TrackedPlacement(5, "proposed", "runner.co.uk"),  # not decided: never live by itself
        TrackedPlacement(6, "rejected", "runner.co.uk"),
    ]
    assert sight(placements, frozenset({"runner.co.uk"})) == ProviderSighting((1,), (4,))


def test_domains_match_whatever_their_case() -> None:
    placements = [TrackedPlacement(1, "approved", "Runner.CO.uk")]
    assert sight(placements, frozenset({"runner.co.uk"})).went_live == (1,)
