"""The SafetyAccident aggregate: one safety accident (安全事故), from report to closing, under
the State Council's 生产安全事故报告和调查处理条例.

**Grade (art. 3).** The casualties and the direct economic loss make the grade; nobody chooses
it. 以上 includes the number and 以下 excludes it, so each threshold belongs to the graver
grade, and any one criterion is enough:

=================  ==========  ================  =====================
grade              deaths      serious injuries  direct loss (yuan)
=================  ==========  ================  =====================
especially major   >= 30       >= 100            >= 100,000,000
major              10 - 29     50 - 99           50,000,000 - 99,999,999
larger             3 - 9       10 - 49           10,000,000 - 49,999,999
general            0 - 2       0 - 9             < 10,000,000
=================  ==========  ================  =====================

A grade above the figures ("for social impact") is not in the regulation and is not taken.
Accidents recorded while it was allowed are read with the grade their figures make (their
events are upcast). A major or especially major accident is `major`: it costs the unit it
happened in its safe-unit title (摘牌制, decided in `scoring`).

**Who investigates (art. 19).** 一般 the district (县级人民政府), 较大 the city
(设区的市级人民政府), 重大 the province, 特别重大 the State Council. The district records the
conclusion whoever reaches it.

**Clocks.** Times are instants with their offset; the office shows them in Asia/Shanghai, which
keeps no summer time, so a day is 24 hours:

- art. 9: the district's safety supervision department receives the report within 1 hour of
  the accident. A report received later is late (迟报): `ReportOverdue` is recorded with it.
- art. 11: the district reports onward, level by level, each level within 2 hours of the one
  before (the first, to the city, within 2 hours of the district receiving it): 一般 to the city;
  较大 on to the province; 重大 and 特别重大 on to the State Council. A level not reported by its
  time is `OnwardReportOverdue`, once per level. When revised figures raise the grade, the
  level it adds is due 2 hours after the revision. Levels are reported in order (越级上报 is
  recorded as each level in turn).
- art. 13: changes in the number of deaths or serious injuries are taken within 30 days of the
  accident, 7 for road traffic and fire accidents; after that the casualties are final. The
  direct loss may be revised until the case closes.
- art. 29: the investigation report is due within 60 days of the accident; the government
  responsible may extend it once, by at most 60 days, before it runs out. An investigation
  that has not concluded by its time is `InvestigationOverdue`, once per deadline; a later
  conclusion is still taken, and the record keeps that it was late.

The overdue events of the clocks that run after the report are recorded by a job that asks
each accident to check itself (`check_clocks`), so a second checker or a retry adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact, Observation
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class AccidentKind(StrEnum):
    FIRE = "fire"  # 火灾
    TRAFFIC = "traffic"  # 道路交通
    PRODUCTION = "production"  # 工矿商贸生产经营
    CONSTRUCTION = "construction"  # 建筑施工
    HAZARDOUS_CHEMICALS = "hazardous_chemicals"  # 危险化学品
    SPECIAL_EQUIPMENT = "special_equipment"  # 特种设备
    OTHER = "other"  # 其他


class InvestigatingBody(StrEnum):
    """Who organises the investigation (条例 art. 19)."""

    DISTRICT = "district"  # 县级人民政府 (区)
    CITY = "city"  # 设区的市级人民政府
    PROVINCE = "province"  # 省级人民政府
    STATE_COUNCIL = "state_council"  # 国务院


class ReportLevel(StrEnum):
    """The levels the district's report goes on to (条例 art. 11), in order."""

    CITY = "city"  # 设区的市级安全生产监督管理部门
    PROVINCE = "province"  # 省级
    STATE_COUNCIL = "state_council"  # 国务院安全生产监督管理部门


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

    @property
    def investigated_by(self) -> InvestigatingBody:
        return INVESTIGATED_BY[self]

    @property
    def report_levels(self) -> tuple[ReportLevel, ...]:
        """The levels the report must reach, in order (art. 11)."""
        return REPORT_LEVELS[self]


SEVERITY_ORDER = (Severity.GENERAL, Severity.LARGER, Severity.MAJOR, Severity.ESPECIALLY_MAJOR)
INVESTIGATED_BY = {
    Severity.GENERAL: InvestigatingBody.DISTRICT,
    Severity.LARGER: InvestigatingBody.CITY,
    Severity.MAJOR: InvestigatingBody.PROVINCE,
    Severity.ESPECIALLY_MAJOR: InvestigatingBody.STATE_COUNCIL,
}
_L = ReportLevel
REPORT_LEVELS = {
    Severity.GENERAL: (_L.CITY,),
    Severity.LARGER: (_L.CITY, _L.PROVINCE),
    Severity.MAJOR: (_L.CITY, _L.PROVINCE, _L.STATE_COUNCIL),
    Severity.ESPECIALLY_MAJOR: (_L.CITY, _L.PROVINCE, _L.STATE_COUNCIL),
}

#: The lower bound of each grade above general: (deaths, serious injuries, loss in yuan).
THRESHOLDS: tuple[tuple[Severity, int, int, Decimal], ...] = (
    (Severity.ESPECIALLY_MAJOR, 30, 100, Decimal(100_000_000)),
    (Severity.MAJOR, 10, 50, Decimal(50_000_000)),
    (Severity.LARGER, 3, 10, Decimal(10_000_000)),
)

REPORT_WITHIN = timedelta(hours=1)  # art. 9
ONWARD_WITHIN = timedelta(hours=2)  # art. 11, per level
CASUALTIES_OPEN_FOR = timedelta(days=30)  # art. 13
CASUALTIES_OPEN_FOR_ROAD_AND_FIRE = timedelta(days=7)
INVESTIGATION_WITHIN = timedelta(days=60)  # art. 29
LONGEST_EXTENSION_DAYS = 60


class AccidentStatus(StrEnum):
    REPORTED = "reported"  # 已报告
    INVESTIGATED = "investigated"  # 调查结论已作出
    CLOSED = "closed"  # 结案


def grade_of(deaths: int, serious_injuries: int, direct_loss_yuan: Decimal) -> Severity:
    """The grade the casualties and the loss make (条例 art. 3)."""
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


def casualties_final_at(kind: AccidentKind, happened_at: datetime) -> datetime:
    """Until when changes in deaths and serious injuries are taken (art. 13)."""
    road_or_fire = kind in (AccidentKind.TRAFFIC, AccidentKind.FIRE)
    window = CASUALTIES_OPEN_FOR_ROAD_AND_FIRE if road_or_fire else CASUALTIES_OPEN_FOR
    return happened_at + window


def _regraded(state: dict[str, Any]) -> None:
    """Upcast: an event recorded while the grade could be chosen above the figures carries
    the grade its figures make."""
    severity = grade_of(
        int(state["deaths"]), int(state["serious_injuries"]), Decimal(state["direct_loss_yuan"])
    )
    state["severity"] = severity.value
    state["major"] = severity.is_major


def _words(severity: Severity) -> str:
    """A grade as a person writes it ("especially major"), not as the API spells it."""
    return severity.value.replace("_", " ")


def _with_article(severity: Severity) -> str:
    words = _words(severity)
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


S = AccidentStatus
OPEN = (S.REPORTED, S.INVESTIGATED)
#: Each command's API action and the states that allow it, before the guards on arguments.
TRANSITIONS = Transitions(
    "accident",
    Label("事故", "accident"),
    {
        S.REPORTED: Label("已报告", "reported"),
        S.INVESTIGATED: Label("调查结论已作出", "investigated"),
        S.CLOSED: Label("已结案", "closed"),
    },
    revise_figures=("/figures", Label("补报伤亡和损失", "revise the figures"), OPEN),
    report_onward=("/onward-reports", Label("逐级上报", "report onward"), OPEN),
    extend_investigation=(
        "/investigation/extension",
        Label("延长调查期限", "extend the investigation"),
        (S.REPORTED,),
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
        """`received_at` is when the district received the report; none on accidents
        recorded before it was kept, whose onward clock therefore does not run."""

        class_version = 2

        happened_at: datetime
        received_at: datetime | None
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

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _regraded(state)
            state["received_at"] = None

    class ReportOverdue(Fact):
        """Received more than an hour after the accident (迟报, art. 9)."""

        due_at: datetime
        received_at: datetime
        township: str

    class ReportedOnward(Fact):
        level: str
        reported_at: datetime
        due_at: datetime
        late: bool
        next_level: str | None
        next_due_at: datetime | None

    class OnwardReportOverdue(Observation):
        level: str
        due_at: datetime
        township: str

    class FiguresRevised(Fact):
        """Revised figures (补报, art. 13) and the grade they make."""

        deaths: int
        serious_injuries: int
        direct_loss_yuan: Decimal
        severity: str
        previous_severity: str
        major: bool
        reason: str
        township: str
        unit_id: str | None
        onward_next_level: str | None
        onward_due_at: datetime | None

    class Reclassified(Fact):
        """A grade the office chose, recorded while that was allowed: read as the grade its
        figures make. No longer recorded (see FiguresRevised)."""

        class_version = 2

        severity: str
        previous_severity: str
        major: bool
        reason: str
        deaths: int
        serious_injuries: int
        direct_loss_yuan: Decimal
        township: str
        unit_id: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _regraded(state)

    class InvestigationExtended(Fact):
        days: int
        due_at: datetime
        approved_by: str
        reason: str

    class InvestigationOverdue(Observation):
        due_at: datetime
        township: str
        investigated_by: str

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
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        reported_by: str,
        now: datetime,
        received_at: datetime | None = None,
        severity: Severity | None = None,
        description: str = "",
        unit_id: str | None = None,
        unit_name: str | None = None,
    ) -> SafetyAccident:
        """Report an accident, graded by its casualties and loss; `received_at` (when the
        district received the report) is now unless stated. A `severity` given must be the
        grade the figures make."""
        if happened_at.tzinfo is None:
            raise RuleViolation("the time of the accident must carry its UTC offset")
        if happened_at > now:
            raise RuleViolation("an accident cannot be reported before it happens")
        received = now if received_at is None else received_at
        if received.tzinfo is None:
            raise RuleViolation("the time the report was received must carry its UTC offset")
        if not happened_at <= received <= now:
            raise RuleViolation(
                "the report is received after the accident happens and not in the future"
            )
        grade = grade_of(deaths, serious_injuries, direct_loss_yuan)
        if severity is not None and severity is not grade:
            raise RuleViolation(
                f"{deaths} deaths, {serious_injuries} serious injuries and a direct loss of "
                f"{direct_loss_yuan} yuan make {_with_article(grade)} accident, not "
                f"{_words(severity)}; the figures set the grade (条例 art. 3)"
            )
        accident = cls(
            happened_at=happened_at,
            received_at=received,
            township=township,
            village=village,
            place=place,
            unit_id=unit_id,
            unit_name=unit_name,
            kind=kind.value,
            severity=grade.value,
            major=grade.is_major,
            deaths=deaths,
            serious_injuries=serious_injuries,
            direct_loss_yuan=direct_loss_yuan,
            description=description,
            reported_by=reported_by,
        )
        if received > accident.report_due_at:
            accident._report_overdue(
                due_at=accident.report_due_at, received_at=received, township=township
            )
        return accident

    @event(Reported)
    def __init__(
        self,
        happened_at: datetime,
        received_at: datetime | None,
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
        self.received_at = received_at
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
        self.report_late = False
        self.onward: dict[ReportLevel, datetime] = {}
        # When the clock of the next onward level started; none: it does not run.
        self.onward_since: datetime | None = received_at
        self.onward_overdue: set[ReportLevel] = set()
        self.investigation_due_at = happened_at + INVESTIGATION_WITHIN
        self.investigation_extended = False
        self.investigation_overdue_at: set[datetime] = set()

    # -- derived -----------------------------------------------------------------------------

    @property
    def major(self) -> bool:
        return self.severity.is_major

    @property
    def investigated_by(self) -> InvestigatingBody:
        return self.severity.investigated_by

    @property
    def report_due_at(self) -> datetime:
        return self.happened_at + REPORT_WITHIN

    @property
    def casualties_final_at(self) -> datetime:
        return casualties_final_at(self.kind, self.happened_at)

    @property
    def next_onward_level(self) -> ReportLevel | None:
        for level in self.severity.report_levels:
            if level not in self.onward:
                return level
        return None

    @property
    def onward_due_at(self) -> datetime | None:
        if self.next_onward_level is None or self.onward_since is None:
            return None
        return self.onward_since + ONWARD_WITHIN

    # -- commands ----------------------------------------------------------------------------

    @event(ReportOverdue)
    def _report_overdue(self, due_at: datetime, received_at: datetime, township: str) -> None:
        self.report_late = True

    def report_onward(self, level: ReportLevel, reported_at: datetime, now: datetime) -> None:
        """Record the report to the next level (逐级上报, art. 11)."""
        self._require("report_onward")
        expected = self.next_onward_level
        if level in self.onward:
            raise RuleViolation(f"the report to the {level.value} level is already recorded")
        if expected is None or level is not expected:
            levels = ", ".join(lv.value for lv in self.severity.report_levels)
            raise RuleViolation(
                f"{_with_article(self.severity)} accident is reported to {levels}, in that order; "
                f"the next is {expected.value if expected else 'none'}"
            )
        if reported_at.tzinfo is None:
            raise RuleViolation("the time of the onward report must carry its UTC offset")
        received = [] if self.received_at is None else [self.received_at]
        earliest = max([self.happened_at, *received, *self.onward.values()])
        if not earliest <= reported_at <= now:
            raise RuleViolation(
                "an onward report follows the district's receipt and the level before it, "
                "and is not in the future"
            )
        due = (self.onward_since or self.received_at or self.happened_at) + ONWARD_WITHIN
        after = self.severity.report_levels.index(level) + 1
        following = self.severity.report_levels[after:]
        self._reported_onward(
            level=level.value,
            reported_at=reported_at,
            due_at=due,
            late=reported_at > due,
            next_level=following[0].value if following else None,
            next_due_at=reported_at + ONWARD_WITHIN if following else None,
        )

    @event(ReportedOnward)
    def _reported_onward(
        self,
        level: str,
        reported_at: datetime,
        due_at: datetime,
        late: bool,
        next_level: str | None,
        next_due_at: datetime | None,
    ) -> None:
        self.onward[ReportLevel(level)] = reported_at
        self.onward_since = reported_at

    def revise_figures(
        self,
        reason: str,
        now: datetime,
        *,
        deaths: int | None = None,
        serious_injuries: int | None = None,
        direct_loss_yuan: Decimal | None = None,
    ) -> None:
        """Revise the casualties or the loss (补报); the grade follows. Casualties change only
        within the art. 13 window; figures left out stay as recorded."""
        self._require("revise_figures")
        figures = (
            self.deaths if deaths is None else deaths,
            self.serious_injuries if serious_injuries is None else serious_injuries,
            self.direct_loss_yuan if direct_loss_yuan is None else direct_loss_yuan,
        )
        if figures == (self.deaths, self.serious_injuries, self.direct_loss_yuan):
            raise RuleViolation("the revision changes none of the figures")
        casualties_change = figures[:2] != (self.deaths, self.serious_injuries)
        if casualties_change and now > self.casualties_final_at:
            days = (self.casualties_final_at - self.happened_at).days
            raise RuleViolation(
                f"changes in the casualties of a {self.kind.value} accident are taken within "
                f"{days} days of it (条例 art. 13); they became final at "
                f"{self.casualties_final_at.isoformat()}"
            )
        grade = grade_of(*figures)
        before = self.next_onward_level
        levels = grade.report_levels
        next_level = next((lv for lv in levels if lv not in self.onward), None)
        if next_level is None or self.onward_since is None:
            due = None
        elif before is None or before not in levels:
            due = now + ONWARD_WITHIN  # a level the new grade adds: its clock starts now
        else:
            due = self.onward_since + ONWARD_WITHIN
        self._figures_revised(
            deaths=figures[0],
            serious_injuries=figures[1],
            direct_loss_yuan=figures[2],
            severity=grade.value,
            previous_severity=self.severity.value,
            major=grade.is_major,
            reason=reason,
            township=self.township,
            unit_id=self.unit_id,
            onward_next_level=None if next_level is None else next_level.value,
            onward_due_at=due,
        )

    @event(FiguresRevised)
    def _figures_revised(
        self,
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        severity: str,
        previous_severity: str,
        major: bool,
        reason: str,
        township: str,
        unit_id: str | None,
        onward_next_level: str | None,
        onward_due_at: datetime | None,
    ) -> None:
        self.severity = Severity(severity)
        self.deaths = deaths
        self.serious_injuries = serious_injuries
        self.direct_loss_yuan = direct_loss_yuan
        if onward_due_at is not None:
            self.onward_since = onward_due_at - ONWARD_WITHIN

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

    def extend_investigation(self, days: int, approved_by: str, reason: str, now: datetime) -> None:
        """Extend the investigation's time once, by at most 60 days, before it runs out
        (art. 29)."""
        self._require("extend_investigation")
        if self.investigation_extended:
            raise RuleViolation("the investigation's time may be extended only once")
        if not 1 <= days <= LONGEST_EXTENSION_DAYS:
            raise RuleViolation(
                f"an extension is 1 to {LONGEST_EXTENSION_DAYS} days (条例 art. 29)"
            )
        if now > self.investigation_due_at:
            raise RuleViolation(
                "the investigation's time ran out at "
                f"{self.investigation_due_at.isoformat()}; an extension is approved before then"
            )
        self._extended(
            days=days,
            due_at=self.investigation_due_at + timedelta(days=days),
            approved_by=approved_by,
            reason=reason,
        )

    @event(InvestigationExtended)
    def _extended(self, days: int, due_at: datetime, approved_by: str, reason: str) -> None:
        self.investigation_due_at = due_at
        self.investigation_extended = True

    def check_clocks(self, now: datetime) -> None:
        """Record each clock that has run out by `now`, once (arts. 11 and 29)."""
        if self.status is S.CLOSED:
            return
        level, due = self.next_onward_level, self.onward_due_at
        if level is not None and due is not None and now > due and level not in self.onward_overdue:
            self._onward_overdue(level=level.value, due_at=due, township=self.township)
        due = self.investigation_due_at
        if self.status is S.REPORTED and now > due and due not in self.investigation_overdue_at:
            self._investigation_overdue(
                due_at=due, township=self.township, investigated_by=self.investigated_by.value
            )

    @event(OnwardReportOverdue)
    def _onward_overdue(self, level: str, due_at: datetime, township: str) -> None:
        self.onward_overdue.add(ReportLevel(level))

    @event(InvestigationOverdue)
    def _investigation_overdue(self, due_at: datetime, township: str, investigated_by: str) -> None:
        self.investigation_overdue_at.add(due_at)

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
