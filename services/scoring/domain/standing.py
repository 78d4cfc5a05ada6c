"""Standings (排名/评比) of townships and of the district: each from its period's figures,
as a weighted sum that shows how it was computed.

Five rates make the score, each on a 0-1 scale and weighted: the share of units named, the
average assessment score (out of 100), the sense of security (群众安全感, the share of surveyed
households that feel safe), the share of hazards due that were closed on time, and the share
of cases registered that were solved (现行破案率). A rate with nothing to measure (no hazard
fell due) leaves the score, and the other weights share its part: a township is neither
rewarded nor punished for what it had no occasion to do. Revoked titles and early warnings
then deduct their weight in points each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum


class Term(StrEnum):
    NAMED = "named"
    SCORE = "score"
    SECURITY = "security"
    HAZARDS = "hazards"
    CLEARANCE = "clearance"
    REVOCATIONS = "revocations"
    WARNINGS = "warnings"


RATES = (Term.NAMED, Term.SCORE, Term.SECURITY, Term.HAZARDS, Term.CLEARANCE)
DEDUCTIONS = (Term.REVOCATIONS, Term.WARNINGS)


@dataclass(frozen=True)
class Weights:
    named: float = 0.25
    score: float = 0.25
    security: float = 0.15
    hazards: float = 0.20
    clearance: float = 0.15
    revocations: float = 2.0
    warnings: float = 1.0

    def of(self, term: Term) -> float:
        weight: float = getattr(self, term.value)
        return weight


@dataclass(frozen=True)
class Figures:
    """A place's period in counts and sums, so that the district's is the sum of its parts."""

    units: int = 0
    named: int = 0
    assessed: int = 0
    points: int = 0
    surveyed: int = 0
    security: float = 0.0
    revocations: int = 0
    hazards_due: int = 0
    hazards_on_time: int = 0
    cases_registered: int = 0
    cases_solved: int = 0
    warnings: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def average_score(self) -> float | None:
        return self.points / self.assessed if self.assessed else None

    def rate(self, term: Term) -> float | None:
        match term:
            case Term.NAMED:
                return _share(self.named, self.units)
            case Term.SCORE:
                average = self.average_score
                return None if average is None else average / 100
            case Term.SECURITY:
                return self.security / self.surveyed if self.surveyed else None
            case Term.HAZARDS:
                return _share(self.hazards_on_time, self.hazards_due)
            case Term.CLEARANCE:
                return _share(self.cases_solved, self.cases_registered)
        raise ValueError(f"{term} is no rate")

    def count(self, term: Term) -> int:
        return self.revocations if term is Term.REVOCATIONS else self.warnings


def total(figures: Iterable[Figures]) -> Figures:
    return sum(figures, Figures())


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Computed:
    """One term of a standing: its figure, its weight, its share of the rates' weight (rates
    only) and the points it contributes."""

    term: Term
    figure: float | None
    weight: float
    share: float | None
    contribution: float


@dataclass(frozen=True)
class Standing:
    place: str
    figures: Figures
    terms: tuple[Computed, ...]
    points: float
    rank: int | None = None


def standing(place: str, figures: Figures, weights: Weights) -> Standing:
    rates = {term: figures.rate(term) for term in RATES}
    applicable = sum(weights.of(t) for t, r in rates.items() if r is not None)
    terms = []
    for term, rate in rates.items():
        share = weights.of(term) / applicable if rate is not None and applicable else None
        contribution = 100 * share * rate if share is not None and rate is not None else 0.0
        terms.append(Computed(term, rate, weights.of(term), share, contribution))
    for term in DEDUCTIONS:
        count = figures.count(term)
        terms.append(Computed(term, count, weights.of(term), None, -weights.of(term) * count))
    points = sum(t.contribution for t in terms)
    return Standing(place, figures, tuple(terms), round(points, 2))


def ranked(standings: Sequence[Standing]) -> list[Standing]:
    """Highest points first; equal points share a rank (1, 1, 3), then go by name."""
    ordered = sorted(standings, key=lambda s: (-s.points, s.place))
    out: list[Standing] = []
    for i, s in enumerate(ordered):
        rank = out[-1].rank if out and out[-1].points == s.points else i + 1
        out.append(Standing(s.place, s.figures, s.terms, s.points, rank))
    return out
