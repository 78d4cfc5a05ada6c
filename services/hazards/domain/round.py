"""The InvestigationRound aggregate: one rolling sweep (滚动式排查摸底) of chosen areas in a
period. Each finding is a new hazard in the ledger; the round keeps which hazards it found and
in what category, and counts them when it is closed with its summary.

A finding lies in the round's areas and in its period: its business date (the day it was
found, today unless stated) falls between the round's first and last day, both included. A
round still open after its last day takes findings dated within it (a ledger brought in
late), not ones found after it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hazards.domain.vocabulary import Category
from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class RoundStatus(StrEnum):
    OPEN = "open"  # 排查中
    CLOSED = "closed"  # 已总结


S = RoundStatus

#: Each command's API action and the states that allow it, before the guards on arguments.
TRANSITIONS = Transitions(
    "round",
    Label("排查轮次", "investigation round"),
    {S.OPEN: Label("排查中", "open"), S.CLOSED: Label("已总结", "closed")},
    record_finding=("/findings", Label("记录排查发现", "record a finding"), (S.OPEN,)),
    close=("/close", Label("结束排查并总结", "close"), (S.OPEN,)),
)


class InvestigationRound(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Opened(FirstFact):
        name: str
        areas: list[str]
        starts_on: date
        ends_on: date
        organiser: str

    class FindingRecorded(Fact):
        hazard_id: UUID
        category: str

    class Closed(Fact):
        summary: str
        closed_by: str
        found_by_category: dict[str, int]
        total: int

    @event(Opened)
    def __init__(
        self, name: str, areas: list[str], starts_on: date, ends_on: date, organiser: str
    ) -> None:
        self.name = name
        self.areas = list(areas)
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.organiser = organiser
        self.status = S.OPEN
        self.findings: dict[UUID, Category] = {}

    @classmethod
    def open(
        cls, name: str, areas: list[str], starts_on: date, ends_on: date, organiser: str
    ) -> InvestigationRound:
        """Open a round over the named areas (townships, villages, communities) and period."""
        if not areas:
            raise RuleViolation("a round must name at least one area")
        if len(set(areas)) != len(areas):
            raise RuleViolation("a round names each area once")
        if ends_on < starts_on:
            raise RuleViolation("a round cannot end before it starts")
        return cls(
            name=name, areas=list(areas), starts_on=starts_on, ends_on=ends_on, organiser=organiser
        )

    # -- guards ------------------------------------------------------------------------------

    def covers(self, township: str, village: str) -> bool:
        return township in self.areas or village in self.areas

    # -- commands ----------------------------------------------------------------------------

    def record_finding(
        self, hazard_id: UUID, category: Category, township: str, village: str, found_on: date
    ) -> None:
        """Record a hazard this round found; it lies in one of the round's areas and was
        found within the round's period."""
        self._require("record_finding")
        if not self.starts_on <= found_on <= self.ends_on:
            raise RuleViolation(
                f"发现日期 {found_on.isoformat()} 不在本轮排查期间 {self.starts_on.isoformat()}"
                f" 至 {self.ends_on.isoformat()} 内 (a finding of {found_on.isoformat()} lies "
                f"outside the round's period, {self.starts_on.isoformat()} to "
                f"{self.ends_on.isoformat()})"
            )
        if not self.covers(township, village):
            raise RuleViolation(
                f"{township} {village} lies outside the round's areas ({', '.join(self.areas)})"
            )
        if hazard_id in self.findings:
            raise RuleViolation("the round has already recorded this hazard")
        self._found(hazard_id=hazard_id, category=category.value)

    @event(FindingRecorded)
    def _found(self, hazard_id: UUID, category: str) -> None:
        self.findings[hazard_id] = Category(category)

    def found_by_category(self) -> dict[str, int]:
        counts = Counter(category.value for category in self.findings.values())
        return dict(sorted(counts.items()))

    def close(self, summary: str, closed_by: str) -> None:
        """Close the round with its summary (总结); the findings are counted by category."""
        self._require("close")
        if not summary.strip():
            raise RuleViolation("a round is closed with a summary")
        self._closed(
            summary=summary,
            closed_by=closed_by,
            found_by_category=self.found_by_category(),
            total=len(self.findings),
        )

    @event(Closed)
    def _closed(
        self, summary: str, closed_by: str, found_by_category: dict[str, int], total: int
    ) -> None:
        self.status = S.CLOSED
