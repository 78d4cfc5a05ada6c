"""The Campaign aggregate: one special campaign (专项行动) of the strike-hard drive (严打).

Planned with its kind, jurisdiction (the whole district, or named townships), period, lead
unit and targets; launched; concluded with a summary. While it is planned or running its
period and targets can be adjusted, each change keeping its reason. Cases are not linked to
it one by one: a case counts towards every campaign whose kind, jurisdiction and period it
matches (the dashboard view does the matching); a case may also be linked by hand, with a
reason, when it belongs to the campaign without matching it (e.g. a case of another kind
solved in the course of the drive).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from campaigns.domain.kinds import CampaignKind
from campaigns.domain.measures import Targets
from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class CampaignStatus(StrEnum):
    PLANNED = "planned"  # 已部署
    LAUNCHED = "launched"  # 开展中
    CONCLUDED = "concluded"  # 已结束


S = CampaignStatus
TRANSITIONS = Transitions(
    "campaign",
    Label("专项行动", "campaign"),
    {
        S.PLANNED: Label("已部署", "planned"),
        S.LAUNCHED: Label("开展中", "under way"),
        S.CONCLUDED: Label("已结束", "concluded"),
    },
    launch=("/launch", Label("启动", "launch"), (S.PLANNED,)),
    adjust=("/adjustments", Label("调整期限或目标", "adjust"), (S.PLANNED, S.LAUNCHED)),
    link_case=("/links", Label("关联案件", "link a case"), (S.PLANNED, S.LAUNCHED)),
    conclude=("/conclude", Label("总结", "conclude"), (S.LAUNCHED,)),
)


def _require_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise RuleViolation("a campaign cannot end before it starts")


class Campaign(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Planned(FirstFact):
        kind: str
        kind_name: str
        case_kinds: list[str]
        place_tag: str | None
        name: str
        townships: list[str]
        starts_on: date
        ends_on: date
        lead_unit: str
        targets: dict[str, Any]
        planned_by: str

    class Launched(Fact):
        launched_on: date

    class Adjusted(Fact):
        starts_on: date
        ends_on: date
        targets: dict[str, Any]
        reason: str

    class CaseLinked(Fact):
        case_id: UUID
        reason: str

    class Concluded(Fact):
        concluded_on: date
        summary: str

    @classmethod
    def plan(
        cls,
        *,
        kind: CampaignKind,
        name: str,
        townships: list[str],
        starts_on: date,
        ends_on: date,
        lead_unit: str,
        targets: Targets,
        planned_by: str,
    ) -> Campaign:
        """Plan a campaign; no townships means the whole district."""
        _require_period(starts_on, ends_on)
        if len(set(townships)) != len(townships):
            raise RuleViolation("a campaign names each township once")
        return cls(
            kind=kind.code,
            kind_name=kind.name,
            case_kinds=list(kind.case_kinds),
            place_tag=kind.place_tag,
            name=name,
            townships=sorted(townships),
            starts_on=starts_on,
            ends_on=ends_on,
            lead_unit=lead_unit,
            targets=targets.data(),
            planned_by=planned_by,
        )

    @event(Planned)
    def __init__(
        self,
        kind: str,
        kind_name: str,
        case_kinds: list[str],
        place_tag: str | None,
        name: str,
        townships: list[str],
        starts_on: date,
        ends_on: date,
        lead_unit: str,
        targets: dict[str, Any],
        planned_by: str,
    ) -> None:
        self.kind = kind
        self.kind_name = kind_name
        self.case_kinds = tuple(case_kinds)
        self.place_tag = place_tag
        self.name = name
        self.townships = tuple(townships)
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.lead_unit = lead_unit
        # Kept as recorded, so that the aggregate's state stays plain data.
        self.target_data = targets
        self.status = S.PLANNED
        self.launched_on: date | None = None
        self.linked: list[UUID] = []
        self.summary: str | None = None

    @property
    def targets(self) -> Targets:
        return Targets.of(self.target_data)

    def covers(self, township: str) -> bool:
        """Whether the campaign's jurisdiction takes in the township."""
        return not self.townships or township in self.townships

    def launch(self, launched_on: date) -> None:
        """Launch the campaign (启动), at the latest on the last day of its period."""
        self._require("launch")
        if launched_on > self.ends_on:
            raise RuleViolation("a campaign cannot be launched after its period has ended")
        self._launched(launched_on=launched_on)

    @event(Launched)
    def _launched(self, launched_on: date) -> None:
        self.launched_on = launched_on
        self.status = S.LAUNCHED

    def adjust(
        self,
        reason: str,
        *,
        starts_on: date | None = None,
        ends_on: date | None = None,
        targets: Targets | None = None,
    ) -> None:
        """Change the period or the targets while planned or running, with the reason; what
        is left out stays. A running campaign keeps its start."""
        self._require("adjust")
        start = self.starts_on if starts_on is None else starts_on
        end = self.ends_on if ends_on is None else ends_on
        _require_period(start, end)
        if self.status is S.LAUNCHED and start != self.starts_on:
            raise RuleViolation("a running campaign keeps its start date")
        new_targets = self.targets if targets is None else targets
        if (start, end, new_targets) == (self.starts_on, self.ends_on, self.targets):
            raise RuleViolation("the adjustment changes nothing")
        self._adjusted(starts_on=start, ends_on=end, targets=new_targets.data(), reason=reason)

    @event(Adjusted)
    def _adjusted(
        self, starts_on: date, ends_on: date, targets: dict[str, Any], reason: str
    ) -> None:
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.target_data = targets

    def link_case(self, case_id: UUID, reason: str) -> None:
        """Count a case towards this campaign by hand, with the reason."""
        self._require("link_case")
        if case_id in self.linked:
            raise RuleViolation("the case is already linked to this campaign")
        self._case_linked(case_id=case_id, reason=reason)

    @event(CaseLinked)
    def _case_linked(self, case_id: UUID, reason: str) -> None:
        self.linked.append(case_id)

    def conclude(self, concluded_on: date, summary: str) -> None:
        """Conclude the campaign (总结) with its summary."""
        self._require("conclude")
        if self.launched_on is not None and concluded_on < self.launched_on:
            raise RuleViolation("a campaign cannot conclude before it was launched")
        self._concluded(concluded_on=concluded_on, summary=summary)

    @event(Concluded)
    def _concluded(self, concluded_on: date, summary: str) -> None:
        self.summary = summary
        self.status = S.CONCLUDED
