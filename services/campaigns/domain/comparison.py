"""Comparing two case counts: the difference, whether it is news, and a percentage only where
the base can carry one.

Two counts of the same area and kind over periods of the same length are compared as two
Poisson counts. Given their sum n, the current count is binomial (n, 1/2) when nothing has
changed, so the **two-sided p-value** is exact at any size (the conditional binomial test):
twice the smaller tail, at most 1. A difference is **significant** when p < 0.05. The
**variance-stabilised difference** 2(√x − √y) is shown beside it: each 2√count has variance
about 1, so the difference has variance about 2 and |2(√x − √y)| ≥ 2.8 is roughly p < 0.05.
The **percentage** change is shown only when the base is at least `MIN_BASE_FOR_PERCENT`
(10): a rise from 1 to 2 is "+1, p = 1.0", not "+100%".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_BASE_FOR_PERCENT = 10
SIGNIFICANCE_LEVEL = 0.05
_TENTH = Decimal("0.1")


def _log_binomial_half(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) - n * math.log(2)


def _tail(n: int, upto: int) -> float:
    """P(X <= upto) for X ~ Binomial(n, 1/2)."""
    if upto >= n:
        return 1.0
    logs = [_log_binomial_half(n, k) for k in range(upto + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(v - top) for v in logs))


def p_value(current: int, base: int) -> float:
    """Two-sided conditional binomial p-value of `current` against `base`."""
    n = current + base
    if n == 0:
        return 1.0
    low = min(current, base)
    return min(1.0, 2 * _tail(n, low)) if current != base else 1.0


def sqrt_difference(current: int, base: int) -> float:
    return round(2 * (math.sqrt(current) - math.sqrt(base)), 2)


@dataclass(frozen=True)
class Compared:
    current: int
    base: int
    difference: int
    percent: Decimal | None
    p_value: float
    sqrt_difference: float
    significant: bool


def compare(current: int, base: int) -> Compared:
    p = p_value(current, base)
    percent = (
        (Decimal(current - base) * 100 / base).quantize(_TENTH, ROUND_HALF_UP)
        if base >= MIN_BASE_FOR_PERCENT
        else None
    )
    return Compared(
        current=current,
        base=base,
        difference=current - base,
        percent=percent,
        p_value=round(p, 4),
        sqrt_difference=sqrt_difference(current, base),
        significant=p < SIGNIFICANCE_LEVEL,
    )
