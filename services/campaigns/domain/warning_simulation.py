"""The warning rule on a simulated district: how often it fires when nothing changes, and how
often it catches a doubling.

A steady history: every township x kind cell draws its monthly count from a Poisson law with
a mean of its own (kinds from rare to common, townships from small to large, seeded), for
`months` months. The rule is run on every series (cells and aggregates) of every month that
has `min_history_months` months before it; each warning is a false alarm. Then, in the last
month, one cell (or one township, or one kind across the district) has its mean doubled, and
a detection is a warning on any series it counts in.

`python -m campaigns.domain.warning_simulation` prints the figures.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from campaigns.domain.warning_rule import DISTRICT, Series, WarningRule, month_name, series_of

Cell = tuple[str, str]  # (township, kind)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's product of uniforms, in chunks so that large means work)."""
    count, left = 0, mean
    while left > 0:
        step = min(left, 30.0)
        left -= step
        limit, product = math.exp(-step), rng.random()
        while product > limit:
            count += 1
            product *= rng.random()
    return count


@dataclass(frozen=True)
class District:
    """Mean monthly counts per cell; `category` of each kind."""

    means: dict[Cell, float]
    category: dict[str, str]

    @classmethod
    def steady(
        cls, townships: Sequence[str], kinds: Sequence[tuple[str, str]], seed: int = 20261202
    ) -> District:
        """Each kind's district mean from rare (~0.1 a month) to common (~100), median 5;
        each township's share from small to large."""
        rng = random.Random(seed)  # noqa: S311 - a seeded simulation
        share = {t: rng.lognormvariate(0, 0.7) for t in townships}
        total = sum(share.values())
        means = {}
        for kind, _ in kinds:
            district_mean = min(150.0, rng.lognormvariate(math.log(5), 1.3))
            for township in townships:
                means[(township, kind)] = district_mean * share[township] / total
        return cls(means, dict(kinds))

    def draw(self, rng: random.Random, doubled: frozenset[Cell] = frozenset()) -> dict[Cell, int]:
        return {
            cell: poisson(rng, mean * (2 if cell in doubled else 1))
            for cell, mean in self.means.items()
        }

    def series(self, cell: Cell) -> tuple[Series, ...]:
        township, kind = cell
        return series_of(township, kind, self.category[kind])


def totals(district: District, counts: dict[Cell, int]) -> dict[Series, int]:
    found: dict[Series, int] = defaultdict(int)
    for cell, count in counts.items():
        for series in district.series(cell):
            found[series] += count
    return found


@dataclass(frozen=True)
class Outcome:
    series: int
    months_evaluated: int
    false_alarms: int
    #: Per kind of doubling and band of its baseline: (detected, trials).
    detection: dict[str, tuple[int, int]]

    @property
    def false_alarms_per_month(self) -> float:
        return self.false_alarms / self.months_evaluated

    def rate(self, what: str) -> float:
        detected, trials = self.detection[what]
        return detected / trials if trials else 0.0


def simulate(
    townships: Sequence[str],
    kinds: Sequence[tuple[str, str]],
    rule: WarningRule | None = None,
    *,
    months: int = 36,
    seed: int = 20261202,
    trials: int = 10,
) -> Outcome:
    rule = rule or WarningRule()
    district = District.steady(townships, kinds, seed)
    rng = random.Random(seed + 1)  # noqa: S311 - a seeded simulation
    history = [totals(district, district.draw(rng)) for _ in range(months)]
    since = month_name(0)
    all_series = sorted({s for month in history for s in month} | _every(district))

    def baseline(series: Series, at: int) -> float | None:
        return rule.baseline(month_name(at), since, lambda m: history[_index(m)].get(series, 0))

    false_alarms, evaluated = 0, 0
    for at in range(rule.min_history_months, months):
        evaluated += 1
        for series in all_series:
            b = baseline(series, at)
            if b is not None and rule.fires(history[at].get(series, 0), b):
                false_alarms += 1

    # The doublings: in a month after the history, against the history's baselines.
    baselines = {s: baseline_after(rule, history, s, months) for s in all_series}
    groups: list[tuple[str, Series, list[Cell]]] = []
    for cell in district.means:
        groups.append(("one cell", Series(*cell), [cell]))
    by_township: dict[str, list[Cell]] = defaultdict(list)
    by_kind: dict[str, list[Cell]] = defaultdict(list)
    for cell in district.means:
        by_township[cell[0]].append(cell)
        by_kind[cell[1]].append(cell)
    for township, cells in by_township.items():
        for category in sorted(set(district.category.values())):
            chosen = [c for c in cells if district.category[c[1]] == category]
            groups.append(("a township's kinds", Series(township, category), chosen))
    for kind, cells in by_kind.items():
        groups.append(("a kind across the district", Series(DISTRICT, kind), cells))
    detection: dict[str, list[int]] = {}
    for _ in range(trials):
        base = district.draw(rng)
        base_totals = totals(district, base)
        for what, primary, cells in groups:
            label = f"{what}, baseline {band(baselines[primary])}"
            tally = detection.setdefault(label, [0, 0])
            tally[1] += 1
            tally[0] += _detected(district, rule, baselines, base_totals, cells, rng)
    return Outcome(
        len(all_series),
        evaluated,
        false_alarms,
        {label: (d, t) for label, (d, t) in sorted(detection.items(), key=_order)},
    )


BANDS: tuple[tuple[float, float, str], ...] = (
    (0.0, 1.0, "< 1"),
    (1.0, 3.0, "1-3"),
    (3.0, 10.0, "3-10"),
    (10.0, 30.0, "10-30"),
    (30.0, math.inf, "≥ 30"),
)


def band(baseline: float) -> str:
    return next(label for low, high, label in BANDS if low <= baseline < high)


def _order(item: tuple[str, list[int]]) -> tuple[str, int]:
    what, _, rest = item[0].partition(", baseline ")
    return what, [label for *_, label in BANDS].index(rest)


def _every(district: District) -> set[Series]:
    return {s for cell in district.means for s in district.series(cell)}


def _index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def baseline_after(
    rule: WarningRule, history: list[dict[Series, int]], series: Series, at: int
) -> float:
    found = rule.baseline(
        month_name(at), month_name(0), lambda m: history[_index(m)].get(series, 0)
    )
    if found is None:
        raise ValueError("the history is shorter than the rule's minimum")
    return found


def _detected(
    district: District,
    rule: WarningRule,
    baselines: dict[Series, float],
    base: dict[Series, int],
    doubled: list[Cell],
    rng: random.Random,
) -> int:
    """Whether a month with these cells' means doubled warns on a series they count in."""
    month: dict[Series, int] = {}
    for cell in doubled:
        # Doubling a Poisson mean adds an independent draw with the same mean.
        extra = poisson(rng, district.means[cell])
        for series in district.series(cell):
            month[series] = month.get(series, base.get(series, 0)) + extra
    return int(any(rule.fires(count, baselines[s]) for s, count in month.items()))


def shipped() -> tuple[list[str], list[tuple[str, str]]]:
    """The district's townships (reference areas) and the shipped case kinds."""
    from campaigns.domain.kinds import CASE_KINDS
    from pingan.reference import current_district

    townships = [t.name for t in current_district().townships]
    return townships, [(k.code, k.category.value) for k in CASE_KINDS]


def report(outcome: Outcome, rule: WarningRule) -> str:
    lines = [
        f"rule: 2(√x - √b) ≥ {rule.z}, baseline = max(mean of {rule.trailing_months} months, "
        f"same month of {rule.seasonal_years} years, {rule.floor}); "
        f"{rule.min_history_months} months of history first",
        f"series: {outcome.series} (cells and aggregates); months evaluated: "
        f"{outcome.months_evaluated}",
        f"false alarms: {outcome.false_alarms} in all, "
        f"{outcome.false_alarms_per_month:.2f} a month for the district",
        "detection of a doubling in one month:",
    ]
    for label, (detected, trials) in outcome.detection.items():
        lines.append(f"  {label}: {detected}/{trials} = {detected / max(trials, 1):.1%}")
    return "\n".join(lines)


def main() -> None:
    townships, kinds = shipped()
    rule = WarningRule()
    print(report(simulate(townships, kinds, rule), rule))


if __name__ == "__main__":
    main()
