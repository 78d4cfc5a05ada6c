"""Early warnings (治安预警) and the counts they are decided on.

The warning watch (a reaction to the service's own case events) keeps its counts in
aggregates of its own, never in a view:

- `MonthlyTally`, one per series and month (uuid5 of area, kind, month): the cases counted
  there live, the office's past figure for the month if loaded, and the baseline the month is
  judged against (worked out at its first case and again when the history changes);
- `CountedCase`, one per case: where the case counted, so that a withdrawal or a
  reclassification takes it back from the right tallies;
- `CountHistory`, one for the district: the first month on record and a revision that moves
  when past figures are loaded, so that baselines are worked out again;
- `MonthFigures`, one per month: the past figures loaded for it, so that a reload replaces them.

An `EarlyWarning` has the id uuid5(area, kind, month): a second one for the same series and month
cannot be created, whoever tries. raised → acknowledged (签收) → response recorded (处置) →
closed (办结).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from campaigns.domain.warning_rule import Series
from pingan.write.business_time import Fact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


def _id(*parts: str) -> UUID:
    return uuid5(NAMESPACE_URL, "pingan:campaigns:" + ":".join(parts))


class MonthlyTally(Aggregate):
    """The count of one series in one month."""

    @staticmethod
    def create_id(area: str, kind: str, month: str) -> UUID:
        return _id("tally", area, kind, month)

    @classmethod
    def id_of(cls, series: Series, month: str) -> UUID:
        return cls.create_id(series.area, series.kind, month)

    @event("Opened")
    def __init__(self, area: str, kind: str, month: str) -> None:
        self.area = area
        self.kind = kind
        self.month = month
        self.cases: list[UUID] = []
        self.figure = 0
        self.baseline: float | None = None
        self.judged_at: int | None = None

    @property
    def total(self) -> int:
        return len(self.cases) + self.figure

    def count(self, case_id: UUID) -> None:
        if case_id not in self.cases:
            self._counted(case_id=case_id)

    @event("Counted")
    def _counted(self, case_id: UUID) -> None:
        self.cases.append(case_id)

    def uncount(self, case_id: UUID) -> None:
        if case_id in self.cases:
            self._uncounted(case_id=case_id)

    @event("Uncounted")
    def _uncounted(self, case_id: UUID) -> None:
        self.cases.remove(case_id)

    def load(self, figure: int) -> None:
        if figure != self.figure:
            self._loaded(figure=figure)

    @event("FigureLoaded")
    def _loaded(self, figure: int) -> None:
        self.figure = figure

    def judge(self, baseline: float | None, revision: int) -> None:
        """Keep the baseline the month is judged against, worked out at `revision` of the
        history."""
        if (baseline, revision) != (self.baseline, self.judged_at):
            self._judged(baseline=baseline, revision=revision)

    @event("Judged")
    def _judged(self, baseline: float | None, revision: int) -> None:
        self.baseline = baseline
        self.judged_at = revision


class CountedCase(Aggregate):
    """Where one case counted, so that it can be taken back."""

    @staticmethod
    def create_id(case_id: UUID, **_: Any) -> UUID:
        return _id("counted-case", str(case_id))

    class Counted(Aggregate.Created):
        case_id: UUID
        township: str
        kind: str
        category: str
        month: str

    @event(Counted)
    def __init__(self, case_id: UUID, township: str, kind: str, category: str, month: str) -> None:
        self.case_id = case_id
        self.township = township
        self.kind = kind
        self.category = category
        self.month = month
        self.counting = True

    @event("Moved")
    def move(self, kind: str, category: str) -> None:
        self.kind = kind
        self.category = category

    @event("Withdrawn")
    def withdraw(self) -> None:
        self.counting = False


HISTORY_ID = _id("count-history")


class CountHistory(Aggregate):
    """The first month on record in the district, and a revision of the history."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return HISTORY_ID

    @event("Begun")
    def __init__(self, since: str) -> None:
        self.since = since
        self.revision = 0

    def reaches(self, month: str) -> None:
        """The record begins no later than `month`."""
        if month < self.since:
            self._reached(since=month)

    @event("Reached")
    def _reached(self, since: str) -> None:
        self.since = since
        self.revision += 1

    @event("Revised")
    def revise(self, month: str) -> None:
        """Past figures of `month` were loaded: baselines are worked out again."""
        self.revision += 1


class MonthFigures(Aggregate):
    """The office's past figures of one month, by township and case kind."""

    @staticmethod
    def create_id(month: str) -> UUID:
        return _id("figures", month)

    @event("Opened")
    def __init__(self, month: str) -> None:
        self.month = month
        self.figures: dict[str, int] = {}

    def load(self, figures: Mapping[str, int]) -> dict[str, int]:
        """Replace the month's figures (keyed 'township|kind'); answers every cell's new
        figure, those no longer given at 0."""
        new = {key: count for key, count in figures.items() if count}
        changed = {key: 0 for key in self.figures if key not in new}
        changed.update(new)
        self._loaded(figures=new)
        return changed

    @event("Loaded")
    def _loaded(self, figures: dict[str, int]) -> None:
        self.figures = dict(figures)


class WarningStatus(StrEnum):
    RAISED = "raised"  # 已预警
    ACKNOWLEDGED = "acknowledged"  # 已签收
    RESPONDED = "responded"  # 已处置
    CLOSED = "closed"  # 已办结


class WarningLevel(StrEnum):
    """Which series warned: a township's kind, a township's total, or the district's."""

    CELL = "cell"  # 乡镇·案件类别
    TOWNSHIP = "township"  # 乡镇合计
    DISTRICT = "district"  # 全区


S = WarningStatus
TRANSITIONS = Transitions(
    "warning",
    Label("治安预警", "warning"),
    {
        S.RAISED: Label("已预警", "raised"),
        S.ACKNOWLEDGED: Label("已签收", "acknowledged"),
        S.RESPONDED: Label("已处置", "responded to"),
        S.CLOSED: Label("已办结", "closed"),
    },
    acknowledge=("/acknowledge", Label("签收预警", "acknowledge"), (S.RAISED,)),
    record_response=(
        "/response",
        Label("记录处置措施", "record a response"),
        (S.ACKNOWLEDGED, S.RESPONDED),
    ),
    close=("/close", Label("办结预警", "close"), (S.RESPONDED,)),
)


class EarlyWarning(StateMachine, Aggregate):
    transitions = TRANSITIONS

    @staticmethod
    def create_id(area: str, kind: str, month: str, **_: Any) -> UUID:
        return _id("warning", area, kind, month)

    class Raised(Aggregate.Created):
        area: str
        kind: str
        kind_name: str
        level: str
        month: str
        count: int
        baseline: float
        score: float
        z: float
        threshold: int
        case_id: UUID
        #: The area when it is a township (what a township's scope is checked against).
        township: str | None

    class Acknowledged(Fact):
        acknowledged_by: str
        note: str
        area: str

    class ResponseRecorded(Fact):
        response: str
        recorded_by: str
        area: str

    class Closed(Fact):
        summary: str
        closed_by: str
        area: str

    @event(Raised)
    def __init__(
        self,
        area: str,
        kind: str,
        kind_name: str,
        level: str,
        month: str,
        count: int,
        baseline: float,
        score: float,
        z: float,
        threshold: int,
        case_id: UUID,
        township: str | None,
    ) -> None:
        self.area = area
        self.kind = kind
        self.kind_name = kind_name
        self.level = WarningLevel(level)
        self.month = month
        self.count = count
        self.baseline = baseline
        self.status = S.RAISED
        self.responses: list[str] = []

    def acknowledge(self, acknowledged_by: str, note: str) -> None:
        """签收: the office or township takes the warning on."""
        self._require("acknowledge")
        self._acknowledged(acknowledged_by=acknowledged_by, note=note, area=self.area)

    @event(Acknowledged)
    def _acknowledged(self, acknowledged_by: str, note: str, area: str) -> None:
        self.status = S.ACKNOWLEDGED

    def record_response(self, response: str, recorded_by: str) -> None:
        """处置: what was done about it (patrols, a campaign, a meeting); more than once."""
        self._require("record_response")
        if not response.strip():
            raise RuleViolation("a response says what was done")
        self._responded(response=response, recorded_by=recorded_by, area=self.area)

    @event(ResponseRecorded)
    def _responded(self, response: str, recorded_by: str, area: str) -> None:
        self.responses.append(response)
        self.status = S.RESPONDED

    def close(self, summary: str, closed_by: str) -> None:
        """办结: the rise was dealt with or explained."""
        self._require("close")
        self._closed(summary=summary, closed_by=closed_by, area=self.area)

    @event(Closed)
    def _closed(self, summary: str, closed_by: str, area: str) -> None:
        self.status = S.CLOSED
