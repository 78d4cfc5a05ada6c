"""The SafetyAccident aggregate: one safety accident (安全事故), from report to closing.

Severity follows the State Council's 生产安全事故报告和调查处理条例 (art. 3): the casualties and
the direct economic loss set a minimum grade, and a grade below it is refused. 以上 includes
the number and 以下 excludes it, so each threshold belongs to the graver grade:

=================  ==========  ================  =====================
grade              deaths      serious injuries  direct loss (yuan)
=================  ==========  ================  =====================
especially major   >= 30       >= 100            >= 100,000,000
major              10 - 29     50 - 99           50,000,000 - 99,999,999
larger             3 - 9       10 - 49           10,000,000 - 49,999,999
general            0 - 2       0 - 9             < 10,000,000
=================  ==========  ================  =====================

Any one criterion is enough. A grade above the minimum is allowed (the office may grade up,
e.g. for social impact). A major or especially major accident is `major`: it costs the unit
it happened in its safe-unit title (摘牌制, decided in `scoring`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class AccidentKind(StrEnum):
    FIRE = "fire"  # 火灾
    TRAFFIC = "traffic"  # 道路交通
    PRODUCTION = "production"  # 工矿商贸生产经营
    CONSTRUCTION = "construction"  # 建筑施工
    HAZARDOUS_CHEMICALS = "hazardous_chemicals"  # 危险化学品
    SPECIAL_EQUIPMENT = "special_equipment"  # 特种设备
    OTHER = "other"  # 其他


class Severity(StrEnum):
    GENERAL = "general"  # 一般事故
    LARGER = "larger"  # 较大事故
    MAJOR = "major"  # 重大事故
    ESPECIALLY_MAJOR = "especially_major"  # 特别重大事故

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER.index(self)

    @property
    def is_major(self) -> bool:
        return self.rank >= Severity.MAJOR.rank


SEVERITY_ORDER = (Severity.GENERAL, Severity.LARGER, Severity.MAJOR, Severity.ESPECIALLY_MAJOR)

#: The lower bound of each grade above general: (deaths, serious injuries, loss in yuan).
THRESHOLDS: tuple[tuple[Severity, int, int, Decimal], ...] = (
    (Severity.ESPECIALLY_MAJOR, 30, 100, Decimal(100_000_000)),
    (Severity.MAJOR, 10, 50, Decimal(50_000_000)),
    (Severity.LARGER, 3, 10, Decimal(10_000_000)),
)


class AccidentStatus(StrEnum):
    REPORTED = "reported"  # 已报告
    INVESTIGATED = "investigated"  # 调查结论已作出
    CLOSED = "closed"  # 结案


def minimum_severity(deaths: int, serious_injuries: int, direct_loss_yuan: Decimal) -> Severity:
    """The least grade the casualties and the loss imply (条例 art. 3)."""
    if deaths < 0 or serious_injuries < 0 or direct_loss_yuan < 0:
        raise RuleViolation("casualties and loss cannot be negative")
    for severity, deaths_from, injuries_from, loss_from in THRESHOLDS:
        if (
            deaths >= deaths_from
            or serious_injuries >= injuries_from
            or direct_loss_yuan >= loss_from
        ):
            return severity
    return Severity.GENERAL


def _require_at_least_minimum(
    severity: Severity, deaths: int, serious_injuries: int, direct_loss_yuan: Decimal
) -> None:
    minimum = minimum_severity(deaths, serious_injuries, direct_loss_yuan)
    if severity.rank < minimum.rank:
        grade = _words(minimum)
        raise RuleViolation(
            f"{deaths} deaths, {serious_injuries} serious injuries and a direct loss of "
            f"{direct_loss_yuan} yuan make at least {'an' if grade[0] in 'aeiou' else 'a'} "
            f"{grade} accident, not {_words(severity)}",
        )


def _words(severity: Severity) -> str:
    """A grade as a person writes it ("especially major"), not as the API spells it."""
    return severity.value.replace("_", " ")


S = AccidentStatus
#: Each command's API action and the states that allow it, before the guards on arguments.
TRANSITIONS = Transitions(
    "accident",
    Label("事故", "accident"),
    {
        S.REPORTED: Label("已报告", "reported"),
        S.INVESTIGATED: Label("调查结论已作出", "investigated"),
        S.CLOSED: Label("已结案", "closed"),
    },
    reclassify=(
        "/reclassification",
        Label("重新定级", "regrade"),
        (S.REPORTED, S.INVESTIGATED),
    ),
    conclude_investigation=(
        "/investigation",
        Label("作出调查结论", "conclude the investigation"),
        (S.REPORTED,),
    ),
    close=("/close", Label("结案", "close"), (S.INVESTIGATED,)),
)


class SafetyAccident(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Reported(FirstFact):
        happened_at: datetime
        township: str
        village: str
        place: str
        unit_id: str | None
        unit_name: str | None
        kind: str
        severity: str
        major: bool
        deaths: int
        serious_injuries: int
        direct_loss_yuan: Decimal
        description: str
        reported_by: str

    class Reclassified(Fact):
        severity: str
        previous_severity: str
        major: bool
        reason: str
        deaths: int
        serious_injuries: int
        direct_loss_yuan: Decimal
        township: str
        unit_id: str | None

    class InvestigationConcluded(Fact):
        cause: str
        responsibility: str
        conclusion_on: date

    class Closed(Fact):
        closed_by: str
        severity: str
        major: bool
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
        kind: AccidentKind,
        severity: Severity,
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        reported_by: str,
        now: datetime,
        description: str = "",
        unit_id: str | None = None,
        unit_name: str | None = None,
    ) -> SafetyAccident:
        """Report an accident, graded at least as its casualties and loss require."""
        if happened_at.tzinfo is None:
            raise RuleViolation("the time of the accident must carry its UTC offset")
        if happened_at > now:
            raise RuleViolation("an accident cannot be reported before it happens")
        _require_at_least_minimum(severity, deaths, serious_injuries, direct_loss_yuan)
        return cls(
            happened_at=happened_at,
            township=township,
            village=village,
            place=place,
            unit_id=unit_id,
            unit_name=unit_name,
            kind=kind.value,
            severity=severity.value,
            major=severity.is_major,
            deaths=deaths,
            serious_injuries=serious_injuries,
            direct_loss_yuan=direct_loss_yuan,
            description=description,
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
        kind: str,
        severity: str,
        major: bool,
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        description: str,
        reported_by: str,
    ) -> None:
        self.happened_at = happened_at
        self.township = township
        self.village = village
        self.place = place
        self.unit_id = unit_id
        self.unit_name = unit_name
        self.kind = AccidentKind(kind)
        self.severity = Severity(severity)
        self.deaths = deaths
        self.serious_injuries = serious_injuries
        self.direct_loss_yuan = direct_loss_yuan
        self.description = description
        self.status = S.REPORTED
        self.conclusion_on: date | None = None

    @property
    def major(self) -> bool:
        return self.severity.is_major

    def reclassify(
        self,
        severity: Severity,
        reason: str,
        *,
        deaths: int | None = None,
        serious_injuries: int | None = None,
        direct_loss_yuan: Decimal | None = None,
    ) -> None:
        """Change the grade, with revised figures if the casualties or loss have changed
        (补报); the new grade must differ and meet the minimum the figures imply."""
        self._require("reclassify")
        if severity is self.severity:
            raise RuleViolation(f"the accident is already graded {_words(severity)}")
        figures = (
            self.deaths if deaths is None else deaths,
            self.serious_injuries if serious_injuries is None else serious_injuries,
            self.direct_loss_yuan if direct_loss_yuan is None else direct_loss_yuan,
        )
        _require_at_least_minimum(severity, *figures)
        self._reclassified(
            severity=severity.value,
            previous_severity=self.severity.value,
            major=severity.is_major,
            reason=reason,
            deaths=figures[0],
            serious_injuries=figures[1],
            direct_loss_yuan=figures[2],
            township=self.township,
            unit_id=self.unit_id,
        )

    @event(Reclassified)
    def _reclassified(
        self,
        severity: str,
        previous_severity: str,
        major: bool,
        reason: str,
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        township: str,
        unit_id: str | None,
    ) -> None:
        self.severity = Severity(severity)
        self.deaths = deaths
        self.serious_injuries = serious_injuries
        self.direct_loss_yuan = direct_loss_yuan

    def conclude_investigation(
        self, cause: str, responsibility: str, conclusion_on: date, today: date
    ) -> None:
        """Record the investigation's conclusion (调查结论): cause and responsibility."""
        self._require("conclude_investigation")
        if conclusion_on > today:
            raise RuleViolation("the conclusion date cannot be in the future")
        if conclusion_on < self.happened_at.date():
            raise RuleViolation("the investigation cannot conclude before the accident happened")
        self._concluded(cause=cause, responsibility=responsibility, conclusion_on=conclusion_on)

    @event(InvestigationConcluded)
    def _concluded(self, cause: str, responsibility: str, conclusion_on: date) -> None:
        self.conclusion_on = conclusion_on
        self.status = S.INVESTIGATED

    def close(self, closed_by: str) -> None:
        """Close the case (结案) once the investigation has concluded."""
        self._require("close")
        self._closed(
            closed_by=closed_by,
            severity=self.severity.value,
            major=self.major,
            township=self.township,
            unit_id=self.unit_id,
        )

    @event(Closed)
    def _closed(
        self, closed_by: str, severity: str, major: bool, township: str, unit_id: str | None
    ) -> None:
        self.status = S.CLOSED
