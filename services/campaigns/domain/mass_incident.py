"""The MassIncident aggregate: a mass incident (群体性事件), reported and resolved.

A mass incident in a named unit strips its safe-unit title (摘牌制, decided in `scoring`): the
report carries the unit when known, and what scoring needs to apply the rule without tracking
the incident.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class IncidentStatus(StrEnum):
    REPORTED = "reported"  # 已报告
    RESOLVED = "resolved"  # 已平息处置


S = IncidentStatus
TRANSITIONS = Transitions(
    "mass incident",
    Label("群体性事件", "mass incident"),
    {S.REPORTED: Label("已报告", "reported"), S.RESOLVED: Label("已平息处置", "resolved")},
    resolve=("/resolve", Label("平息处置", "resolve"), (S.REPORTED,)),
)


class MassIncident(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Reported(FirstFact):
        happened_at: datetime
        township: str
        village: str
        place: str
        unit_id: str | None
        unit_name: str | None
        participants: int
        cause: str
        handling: str
        reported_by: str

    class Resolved(Fact):
        resolved_on: date
        outcome: str
        township: str
        unit_id: str | None

    @classmethod
    def report(
        cls,
        *,
        happened_at: datetime,
        township: str,
        village: str,
        place: str,
        participants: int,
        cause: str,
        handling: str,
        reported_by: str,
        now: datetime,
        unit_id: str | None = None,
        unit_name: str | None = None,
    ) -> MassIncident:
        """Report a mass incident with its scale (participants), cause and handling."""
        if happened_at.tzinfo is None:
            raise RuleViolation("the time of the incident must carry its UTC offset")
        if happened_at > now:
            raise RuleViolation("an incident cannot be reported before it happens")
        if participants < 1:
            raise RuleViolation("a mass incident has participants")
        return cls(
            happened_at=happened_at,
            township=township,
            village=village,
            place=place,
            unit_id=unit_id,
            unit_name=unit_name,
            participants=participants,
            cause=cause,
            handling=handling,
            reported_by=reported_by,
        )

    @event(Reported)
    def __init__(
        self,
        happened_at: datetime,
        township: str,
        village: str,
        place: str,
        unit_id: str | None,
        unit_name: str | None,
        participants: int,
        cause: str,
        handling: str,
        reported_by: str,
    ) -> None:
        self.happened_at = happened_at
        self.township = township
        self.village = village
        self.place = place
        self.unit_id = unit_id
        self.participants = participants
        self.status = S.REPORTED

    def resolve(self, resolved_on: date, outcome: str) -> None:
        """The incident was resolved (平息处置), with how."""
        self._require("resolve")
        if resolved_on < self.happened_at.date():
            raise RuleViolation("an incident cannot be resolved before it happened")
        self._resolved(
            resolved_on=resolved_on, outcome=outcome, township=self.township, unit_id=self.unit_id
        )

    @event(Resolved)
    def _resolved(
        self, resolved_on: date, outcome: str, township: str, unit_id: str | None
    ) -> None:
        self.status = S.RESOLVED
