from __future__ import annotations

import pytest

from bot.approvals.rules import (
    ApprovalPolicy,
    check_vote,
    decide,
    failed_checks,
    needs_override,
)

POLICY = ApprovalPolicy(approvers=frozenset({"UA", "UB", "UP"}))


@pytest.mark.parametrize(
    ("user", "emoji", "bot", "counted", "why"),
    [
        ("UA", "white_check_mark", False, True, ""),
        ("UA", "x", False, True, ""),
        ("UA", "white_check_mark::skin-tone-3", False, True, ""),
        ("UA", "tada", False, False, "not an approval emoji"),
        ("UP", "white_check_mark", False, False, "the proposer's own reaction"),
        ("UZ", "white_check_mark", False, False, "not an approver"),
        ("UB", "white_check_mark", True, False, "bot"),
    ],
)
def test_who_counts(user: str, emoji: str, bot: bool, counted: bool, why: str) -> None:
    check = check_vote(POLICY, user_id=user, emoji=emoji, proposer="UP", is_bot=bot)
    assert (check.counted, check.reason) == (counted, why)


def test_quorum_one_decides_on_the_first_counted_vote() -> None:
    assert decide(POLICY, {}) is None
    assert decide(POLICY, {"white_check_mark": {"UA"}}) == ("approved", frozenset({"UA"}))
    assert decide(POLICY, {"x": {"UB"}}) == ("rejected", frozenset({"UB"}))


def test_quorum_two_waits_for_two_approvers_and_rejection_wins_a_tie() -> None:
    policy = ApprovalPolicy(approvers=frozenset({"UA", "UB"}), quorum=2)
    assert decide(policy, {"white_check_mark": {"UA"}}) is None
    assert decide(policy, {"white_check_mark": {"UA", "UB"}}) == (
        "approved",
        frozenset({"UA", "UB"}),
    )
    assert decide(policy, {"white_check_mark": {"UA", "UB"}, "x": {"UA", "UB"}})[0] == "rejected"  # type: ignore[index]


def test_policy_from_campaign_settings() -> None:
    policy = ApprovalPolicy.from_campaign(["UA"], {"quorum": 2, "approve_emoji": "+1"})
    assert policy.quorum == 2
    assert policy.approve_emoji == "+1"
    assert policy.reject_emoji == "x"
    assert ApprovalPolicy.from_campaign([], None).quorum == 1


def test_failed_checks_names_only_the_failed_ones_in_order() -> None:
    checks = [
        {"name": "domain-quality", "verdict": "pass"},
        {"name": "topical-fit", "verdict": "fail"},
        {"name": "anchor", "verdict": "warn"},
        {"name": "page-relevance", "verdict": "fail"},
    ]
    assert failed_checks(checks) == ("topical-fit", "page-relevance")
    assert failed_checks([]) == ()


def test_only_an_approval_of_a_failed_placement_needs_an_override() -> None:
    assert needs_override("fail", "approved")
    assert not needs_override("fail", "rejected")
    assert not needs_override("fail", None)
    assert not needs_override("warn", "approved")
    assert not needs_override("pass", "approved")
