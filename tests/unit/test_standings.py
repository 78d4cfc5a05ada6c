"""A township's and the district's standing, against a computation by hand."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.domain.period import parse_period
from scoring.domain.standing import Figures, Term, Weights, ranked, standing, total

YUQUAN = Figures(
    units=4,
    named=2,
    assessed=2,
    points=180,
    surveyed=2,
    security=1.6,
    revocations=1,
    hazards_due=4,
    hazards_on_time=3,
    cases_registered=5,
    cases_solved=2,
    warnings=2,
)
TAIJING = Figures(units=2, named=2, assessed=2, points=160)


def test_a_standing_is_the_weighted_rates_less_the_deductions() -> None:
    found = standing("玉泉镇", YUQUAN, Weights())
    by = {t.term: t for t in found.terms}
    # 100 × (0.25×0.5 + 0.25×0.9 + 0.15×0.8 + 0.20×0.75 + 0.15×0.4) − 2×1 − 1×2
    assert found.points == pytest.approx(64.0)
    assert by[Term.NAMED].figure == pytest.approx(0.5)
    assert by[Term.NAMED].contribution == pytest.approx(12.5)
    assert by[Term.SCORE].contribution == pytest.approx(22.5)
    assert by[Term.HAZARDS].share == pytest.approx(0.2)
    assert (by[Term.REVOCATIONS].figure, by[Term.REVOCATIONS].contribution) == (1, -2.0)
    assert (by[Term.WARNINGS].figure, by[Term.WARNINGS].contribution) == (2, -2.0)


def test_a_rate_with_nothing_to_measure_hands_its_weight_to_the_others() -> None:
    found = standing("太京镇", TAIJING, Weights())
    by = {t.term: t for t in found.terms}
    # only named (1.0) and score (0.8) apply, each half of 0.5: 100 × (0.5×1 + 0.5×0.8)
    assert found.points == pytest.approx(90.0)
    assert by[Term.HAZARDS].figure is None and by[Term.HAZARDS].contribution == 0
    assert by[Term.NAMED].share == pytest.approx(0.5)


def test_the_district_stands_on_the_sum_of_its_townships() -> None:
    district = standing("全区", total([YUQUAN, TAIJING]), Weights())
    expected = 100 * (0.25 * 4 / 6 + 0.25 * 0.85 + 0.15 * 0.8 + 0.2 * 0.75 + 0.15 * 0.4) - 4
    assert district.points == pytest.approx(round(expected, 2))


def test_weights_come_from_configuration() -> None:
    only_score = Weights(named=0, score=1, security=0, hazards=0, clearance=0, revocations=10)
    assert standing("玉泉镇", YUQUAN, only_score).points == pytest.approx(90 - 10 - 2)


def test_townships_rank_by_points_and_share_a_rank_on_a_tie() -> None:
    weights = Weights()
    order = ranked(
        [
            standing("玉泉镇", YUQUAN, weights),
            standing("太京镇", TAIJING, weights),
            standing("藉口镇", TAIJING, weights),
        ]
    )
    assert [(s.place, s.rank) for s in order] == [("太京镇", 1), ("藉口镇", 1), ("玉泉镇", 3)]


def test_a_period_is_a_month_or_a_quarter() -> None:
    month, quarter = parse_period("2026-11"), parse_period("2026-Q4")
    assert (month.first, month.last, month.months) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        ["2026-11"],
    )
    assert (quarter.first, quarter.last) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter.months == ["2026-10", "2026-11", "2026-12"]
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_period("2026-13")
