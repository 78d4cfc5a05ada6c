"""Comparing two case counts: differences, exact p-values, percentages only on a large base."""

from __future__ import annotations

from decimal import Decimal

from campaigns.domain.comparison import compare, p_value


def test_a_rise_from_one_to_two_is_a_difference_of_one_and_no_news() -> None:
    found = compare(2, 1)

    assert (found.difference, found.percent, found.significant) == (1, None, False)
    assert found.p_value == 1.0


def test_a_percentage_is_shown_once_the_base_is_ten() -> None:
    assert compare(15, 10).percent == Decimal("50.0")
    assert compare(15, 9).percent is None


def test_the_p_value_is_the_exact_two_sided_conditional_binomial_one() -> None:
    # Binomial(28, 1/2): P(X <= 8) = 0.01785...
    assert abs(p_value(20, 8) - 0.035698) < 1e-5
    assert p_value(8, 20) == p_value(20, 8)
    assert p_value(0, 0) == 1.0
    assert compare(20, 8).significant


def test_the_variance_stabilised_difference_is_two_root_differences() -> None:
    assert compare(16, 9).sqrt_difference == 2.0
    assert compare(9, 16).sqrt_difference == -2.0


def test_large_counts_stay_finite() -> None:
    assert 0 < p_value(3000, 2800) < 0.01
