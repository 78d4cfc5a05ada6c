"""The early-warning rule on constructed histories, and its false-alarm budget and detection
on a simulated steady district."""

from __future__ import annotations

import pytest

from campaigns.domain.warning_rule import DISTRICT, Series, WarningRule, score, series_of, shift
from campaigns.domain.warning_simulation import shipped, simulate

RULE = WarningRule()
SINCE = "2024-01"


def _flat(level: int) -> dict[str, int]:
    return {shift(SINCE, k): level for k in range(24)}


def _baseline(history: dict[str, int], month: str = "2026-01", rule: WarningRule = RULE) -> float:
    found = rule.baseline(month, SINCE, lambda m: history.get(m, 0))
    assert found is not None
    return found


def test_a_month_far_above_its_history_warns() -> None:
    b = _baseline(_flat(4))
    assert b == 4
    assert RULE.fires(16, b)  # 2(4 - 2) = 4
    assert RULE.threshold(b) == 13  # (2 + 1.5)^2 = 12.25


def test_an_ordinary_month_stays_quiet() -> None:
    b = _baseline(_flat(4))
    assert not RULE.fires(7, b)
    assert not RULE.fires(12, b)


def test_a_rise_from_one_to_two_never_warns_whatever_the_baseline() -> None:
    for level in (0, 1, 2):
        assert not RULE.fires(2, _baseline(_flat(level)))
    assert score(2, 0.0) < 3


def test_the_floor_keeps_a_quiet_series_from_warning_on_a_few_cases() -> None:
    b = _baseline(_flat(0))
    assert b == RULE.floor
    assert RULE.threshold(b) == 5
    assert not RULE.fires(4, b) and RULE.fires(5, b)


def test_a_seasonal_peak_is_measured_against_the_same_month_of_earlier_years() -> None:
    history = _flat(2)
    history["2024-07"] = history["2025-07"] = 12
    b = _baseline(history, "2026-07")
    assert b == 12
    assert not RULE.fires(14, b)


def test_no_warning_before_the_minimum_history() -> None:
    assert RULE.baseline("2024-12", SINCE, lambda m: 3) is None
    assert RULE.baseline("2025-01", SINCE, lambda m: 3) == 3
    assert RULE.baseline("2025-01", None, lambda m: 3) is None


def test_a_stricter_z_asks_for_more() -> None:
    strict = WarningRule(z=4)
    assert strict.threshold(4) == 16 and RULE.threshold(4) == 13


@pytest.mark.parametrize("bad", [{"z": 0}, {"floor": 0}, {"trailing_months": 0}])
def test_a_rule_refuses_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        WarningRule(**bad)  # type: ignore[arg-type]


def test_a_case_counts_in_its_cell_and_the_aggregates_above_it() -> None:
    assert series_of("玉泉镇", "theft", "criminal") == (
        Series("玉泉镇", "theft"),
        Series("玉泉镇", "criminal"),
        Series(DISTRICT, "theft"),
        Series(DISTRICT, "criminal"),
    )


def test_on_a_steady_district_the_rule_keeps_its_budget_and_catches_large_doublings() -> None:
    townships, kinds = shipped()
    outcome = simulate(townships, kinds, months=36, seed=20261202, trials=5)
    assert len(townships) == 23 and outcome.series > 800
    assert outcome.months_evaluated == 24
    # The budget: about one false warning a month for the whole district, at most.
    assert outcome.false_alarms_per_month <= 1.0
    # A doubling of a large series is caught; of a small cell, seldom (that is the price).
    assert outcome.rate("a kind across the district, baseline ≥ 30") >= 0.9
    assert outcome.rate("a township's kinds, baseline 10-30") >= 0.3
    assert outcome.rate("one cell, baseline < 1") <= 0.1
