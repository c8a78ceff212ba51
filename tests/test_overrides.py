from __future__ import annotations

import pytest

from bot.errors import BadInput
from bot.gap.settings import GapSettings, merge_settings
from bot.overrides import NumberRule, number, term_list
from bot.vetting.settings import VettingSettings, merge_vetting_settings


@pytest.mark.parametrize("value", ["nan", float("nan"), "inf", float("-inf"), True, None, "ten"])
def test_numbers_must_be_finite_numbers(value: object) -> None:
    with pytest.raises(BadInput, match="'x' must be a"):
        number("x", value, NumberRule(0, 100))


def test_number_rules_name_the_range() -> None:
    assert number("x", "42.5", NumberRule(0, 100)) == 42.5
    assert number("n", 3.0, NumberRule(1, whole=True)) == 3
    with pytest.raises(BadInput, match=r"between 0 and 1 \(0\.25 = 25%\)"):
        number("share", 1.5, NumberRule(0, 1, hint=" (0.25 = 25%)"))
    with pytest.raises(BadInput, match="whole number of at least 1"):
        number("n", 2.5, NumberRule(1, whole=True))
    with pytest.raises(BadInput, match="at least 0"):
        number("ratio", -1, NumberRule(0))


def test_term_lists_are_trimmed_lower_cased_and_deduplicated() -> None:
    assert term_list(" Amazon, .xyz ,amazon,, Read  More") == ("amazon", "xyz", "read more")
    assert term_list(["..Click here"], strip_leading_dots=False) == ("..click here",)


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"min_domain_rating": "nan"}, "finite"),
        ({"min_domain_rating": 101}, "between 0 and 100"),
        ({"spread_ratio": float("inf")}, "finite"),
        ({"page_one_size": 0}, "whole number"),
        ({"min_dr": 5}, "Unknown analysis setting 'min_dr'"),
    ],
)
def test_analysis_settings_refuse_bad_overrides(overrides: dict[str, object], says: str) -> None:
    with pytest.raises(BadInput, match=says):
        merge_settings(GapSettings(), overrides)


def test_both_settings_apply_overrides_in_order() -> None:
    merged = merge_settings(GapSettings(), {"min_domain_rating": 20}, {"min_domain_rating": "25"})
    assert merged.min_domain_rating == 25
    vetting = merge_vetting_settings(VettingSettings(), {"exact_share_limit": "0.2"}, None)
    assert vetting.exact_share_limit == 0.2
    with pytest.raises(BadInput, match="Unknown vetting setting"):
        merge_vetting_settings(VettingSettings(), {"platforms": "x"})
