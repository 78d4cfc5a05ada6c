"""The StarRating aggregate: a family's ten stars (十星级平安和谐家庭, 平安家庭).

Each star is awarded (评星) or withdrawn with a reason on a business date. Stars are rated
by the year (年度评星): the first step dated in a new year opens that year's cycle, and the
stars of the last cycle lapse unless they are awarded again (re-confirmed) in the new one. A
family whose own title or whose enclosing unit's title was revoked (摘牌) is barred from new
stars for the bar period of the revoked title's standard, unless the title was restored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation


class Star(StrEnum):
    LAW = "law"
    UNITY = "unity"
    LEARNING = "learning"
    SAFETY = "safety"
    CARE = "care"
    PROSPERITY = "prosperity"
    SCIENCE = "science"
    ENVIRONMENT = "environment"
    THRIFT = "thrift"
    HEALTH = "health"


STAR_LABELS: dict[Star, Label] = {
    Star.LAW: Label("法纪星", "law"),
    Star.UNITY: Label("团结星", "unity"),
    Star.LEARNING: Label("学习星", "learning"),
    Star.SAFETY: Label("安全星", "safety"),
    Star.CARE: Label("关爱星", "care"),
    Star.PROSPERITY: Label("致富星", "prosperity"),
    Star.SCIENCE: Label("科技星", "science"),
    Star.ENVIRONMENT: Label("环保星", "environment"),
    Star.THRIFT: Label("节俭星", "thrift"),
    Star.HEALTH: Label("健康星", "health"),
}

_NUMERALS = "零一二三四五六七八九十"


def parse_star(value: str) -> Star:
    """A star by its code (`law`) or its Chinese name (法纪星 or 法纪)."""
    for star, label in STAR_LABELS.items():
        if value in (star.value, label.zh, label.zh.removesuffix("星")):
            return star
    raise RuleViolation(f"unknown star {value}; the stars are: {', '.join(Star)}")


def tier(count: int) -> Label:
    """The tier a number of stars earns: 十星级 for all ten, down to 一星级; none is 未评星."""
    if count == 0:
        return Label("未评星", "no star")
    return Label(f"{_NUMERALS[count]}星级平安家庭", f"{count}-star family")


def rating_id(family_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"pingan:scoring:stars:{family_id}")


@dataclass(frozen=True)
class Bar:
    """A revoked title that bars the family from new stars until `until`."""

    unit_id: UUID
    unit_name: str
    revoked_on: date
    until: date


class StarRating(Aggregate):
    class Opened(FirstFact):
        family_id: UUID
        name: str
        township: str
        village: str | None

    class CycleOpened(Fact):
        family_id: UUID
        year: int
        opened_on: date
        lapsed: list[str]

    class StarAwarded(Fact):
        family_id: UUID
        star: str
        reason: str
        awarded_on: date
        cycle: int
        confirmed: bool
        stars: list[str]

    class StarWithdrawn(Fact):
        family_id: UUID
        star: str
        reason: str
        withdrawn_on: date
        cycle: int
        stars: list[str]

    @staticmethod
    def create_id(family_id: UUID, **_: object) -> UUID:
        return rating_id(family_id)

    @event(Opened)
    def __init__(self, family_id: UUID, name: str, township: str, village: str | None) -> None:
        self.family_id = family_id
        self.name = name
        self.township = township
        self.village = village
        self.cycle: int | None = None
        self.stars: set[Star] = set()
        self.previous: set[Star] = set()

    @property
    def tier(self) -> Label:
        return tier(len(self.stars))

    def held(self) -> list[str]:
        return [s.value for s in Star if s in self.stars]

    def award(self, star: Star, reason: str, on: date, bars: Sequence[Bar] = ()) -> None:
        """Award a star in the cycle of `on`; refused while a revoked title bars the family."""
        for bar in bars:
            if bar.revoked_on <= on < bar.until:
                raise RuleViolation(
                    f"the family is barred from new stars until {bar.until.isoformat()}: "
                    f"{bar.unit_name} lost its title on {bar.revoked_on.isoformat()}"
                )
        self._enter_cycle(on)
        if star in self.stars:
            raise RuleViolation(f"the {star.value} star is already awarded in {self.cycle}")
        stars = self.held_with(star)
        self._awarded(
            family_id=self.family_id,
            star=star.value,
            reason=reason,
            awarded_on=on,
            cycle=on.year,
            confirmed=star in self.previous,
            stars=stars,
        )

    def withdraw(self, star: Star, reason: str, on: date) -> None:
        """Withdraw a star awarded in the cycle of `on`."""
        self._enter_cycle(on)
        if star not in self.stars:
            raise RuleViolation(f"the {star.value} star is not awarded in {self.cycle}")
        self._withdrawn(
            family_id=self.family_id,
            star=star.value,
            reason=reason,
            withdrawn_on=on,
            cycle=on.year,
            stars=[s for s in self.held() if s != star.value],
        )

    def held_with(self, star: Star) -> list[str]:
        return [s.value for s in Star if s in self.stars or s is star]

    def _enter_cycle(self, on: date) -> None:
        if self.cycle is not None and on.year < self.cycle:
            raise RuleViolation(f"the {on.year} rating cycle is closed")
        if self.cycle != on.year:
            self._cycle_opened(
                family_id=self.family_id, year=on.year, opened_on=on, lapsed=self.held()
            )

    @event(CycleOpened)
    def _cycle_opened(self, family_id: UUID, year: int, opened_on: date, lapsed: list[str]) -> None:
        self.cycle = year
        self.previous = {Star(s) for s in lapsed}
        self.stars = set()

    @event(StarAwarded)
    def _awarded(
        self,
        family_id: UUID,
        star: str,
        reason: str,
        awarded_on: date,
        cycle: int,
        confirmed: bool,
        stars: list[str],
    ) -> None:
        self.stars.add(Star(star))

    @event(StarWithdrawn)
    def _withdrawn(
        self,
        family_id: UUID,
        star: str,
        reason: str,
        withdrawn_on: date,
        cycle: int,
        stars: list[str],
    ) -> None:
        self.stars.discard(Star(star))
