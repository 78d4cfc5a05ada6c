"""The early-warning rule (治安预警规则): when a month's count stands out against its own history.

A series is the monthly count of registered cases of one area and one kind: a township x a
case kind (the cells), and the aggregates that catch a rise no single cell shows, a township's
total of its criminal (or public-order) cases and a kind across the district (全区). Criminal
and public-order cases are never added together.

Monthly counts are Poisson-like and small. On the variance-stabilised scale, 2√X of a Poisson
count has a standard deviation close to 1 whatever its mean, so the rule is a one-sided test::

    score = 2 (√x - √b)        warn when score ≥ z          (z = 3 by default)

with x the month's count and b its baseline: the larger of the mean of the `trailing_months`
months before it and the mean of the same month in up to `seasonal_years` earlier years (so a
seasonal peak is not news), never less than `floor`. On a steady history z = 3 fires on about
0.1% of a series' months; the district has some 800 series, hence about one false warning a
month, where a per-cell rule at 2-5% (EARS C2) would give dozens.

Small counts cannot warn: x = 2 never scores 3 whatever the baseline (2√2 < 3), and with the
floor b ≥ 0.5 a month needs at least 5 cases. A series warns only once `min_history_months`
months are on record before the month (past figures loaded, or cases counted live), since a
baseline from a few months is itself too noisy for the budget.

The rule is pure: it reads counts through a function and decides nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: The area of a district-wide series (a kind across the district).
DISTRICT = "全区"


def month_index(month: str) -> int:
    """'YYYY-MM' as a count of months, so that months add and subtract."""
    year, number = month.split("-")
    if len(year) != 4 or len(number) != 2 or not 1 <= int(number) <= 12:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift(month: str, months: int) -> str:
    return month_name(month_index(month) + months)


@dataclass(frozen=True)
class WarningRule:
    """The rule's configuration; see the module's text for what each means."""

    z: float = 3.0
    trailing_months: int = 12
    seasonal_years: int = 3
    min_history_months: int = 12
    floor: float = 0.5

    def __post_init__(self) -> None:
        if self.z <= 0 or self.floor <= 0:
            raise ValueError("z and the floor of the baseline must be positive")
        if self.trailing_months < 1 or self.seasonal_years < 0:
            raise ValueError("the trailing window has at least one month")
        if self.min_history_months < 1:
            raise ValueError("a baseline needs at least one month of history")

    def history_months(self, month: str) -> list[str]:
        """The months a baseline of `month` reads: the trailing window, then the same month
        of earlier years that lie before it."""
        at = month_index(month)
        trailing = [month_name(at - k) for k in range(1, self.trailing_months + 1)]
        seasonal = [month_name(at - 12 * y) for y in range(1, self.seasonal_years + 1)]
        return trailing + [m for m in seasonal if m not in trailing]

    def baseline(self, month: str, since: str | None, count: Callable[[str], int]) -> float | None:
        """The baseline of `month`, from the months on record (from `since` on); None when
        fewer than `min_history_months` months lie on record before it."""
        if since is None:
            return None
        at, first = month_index(month), month_index(since)
        if at - first < self.min_history_months:
            return None
        trailing = [
            count(month_name(at - k)) for k in range(1, self.trailing_months + 1) if at - k >= first
        ]
        seasonal = [
            count(month_name(at - 12 * y))
            for y in range(1, self.seasonal_years + 1)
            if at - 12 * y >= first
        ]
        level = sum(trailing) / len(trailing)
        if seasonal:
            level = max(level, sum(seasonal) / len(seasonal))
        return max(self.floor, level)

    def threshold(self, baseline: float) -> int:
        """The least count that warns against `baseline`: x ≥ (√b + z/2)²."""
        bound = (math.sqrt(baseline) + self.z / 2) ** 2
        least = math.ceil(bound - 1e-9)
        return least if score(least, baseline) >= self.z - 1e-12 else least + 1

    def fires(self, count: int, baseline: float) -> bool:
        return score(count, baseline) >= self.z - 1e-12


def score(count: int, baseline: float) -> float:
    """2(√x - √b): about a standard normal deviate when x is Poisson with mean b."""
    return 2 * (math.sqrt(count) - math.sqrt(baseline))


@dataclass(frozen=True, order=True)
class Series:
    """One monthly series: an area (a township or 全区) and a kind (a case kind's code, or a
    category's value for the total of that category)."""

    area: str
    kind: str


def series_of(township: str, kind: str, category: str) -> tuple[Series, ...]:
    """Every series one case counts in: its cell, its township's total of its category, its
    kind across the district, and the district's total of its category."""
    return (
        Series(township, kind),
        Series(township, category),
        Series(DISTRICT, kind),
        Series(DISTRICT, category),
    )


def all_series(townships: Iterable[str], kinds: Iterable[tuple[str, str]]) -> list[Series]:
    """The district's series for these townships and (kind, category) pairs."""
    found: dict[Series, None] = {}
    for township in townships:
        for kind, category in kinds:
            for series in series_of(township, kind, category):
                found[series] = None
    return list(found)
