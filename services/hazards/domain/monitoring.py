"""Food and drug safety risk monitoring (食品药品安全风险监测评估预警): one monitoring task.

The source's chain is monitoring → risk assessment → risk warning. A task samples one product
category in one place for a period; its results are assessed; a risk of medium or above may
be warned of publicly; the warning is lifted once the risk is under control; the task closes.

Rules of ours where the source is silent:

- a sample is taken within the task's period and not after today, and its number is unique
  within the task; a failed sample names the indicator that failed;
- sampling goes on after an assessment and under a warning (follow-up sampling, 跟踪抽检), and
  the risk may be assessed again at any time before closing; each assessment replaces the last;
- a warning needs the current assessment at medium or above, and may be no louder than that
  assessment supports (proportionality): medium → up to yellow, high → up to orange,
  severe → red. One warning is active at a time; to change its level, lift it and issue again;
- a task closes only once its risk is assessed and no warning is active.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class ProductKind(StrEnum):
    FOOD = "food"  # 食品
    DRUG = "drug"  # 药品


class MonitoringStatus(StrEnum):
    MONITORING = "monitoring"  # 监测中: sampling, not yet assessed
    ASSESSED = "assessed"  # 已评估: assessed, no warning active
    WARNING = "warning"  # 预警中: a warning is active
    CLOSED = "closed"  # 已结束


class RiskLevel(StrEnum):
    LOW = "low"  # 低风险
    MEDIUM = "medium"  # 中风险
    HIGH = "high"  # 高风险
    SEVERE = "severe"  # 严重风险


class WarningLevel(StrEnum):
    BLUE = "blue"  # 蓝色预警 (IV级, 一般)
    YELLOW = "yellow"  # 黄色预警 (III级, 较重)
    ORANGE = "orange"  # 橙色预警 (II级, 严重)
    RED = "red"  # 红色预警 (I级, 特别严重)


RISK_ORDER = (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.SEVERE)
WARNING_ORDER = (WarningLevel.BLUE, WarningLevel.YELLOW, WarningLevel.ORANGE, WarningLevel.RED)

#: The loudest warning each assessed risk level supports; below medium, none.
LOUDEST_WARNING: dict[RiskLevel, WarningLevel] = {
    RiskLevel.MEDIUM: WarningLevel.YELLOW,
    RiskLevel.HIGH: WarningLevel.ORANGE,
    RiskLevel.SEVERE: WarningLevel.RED,
}

S = MonitoringStatus
NOT_CLOSED = (S.MONITORING, S.ASSESSED, S.WARNING)

#: Each command's API action and the states that allow it, before the guards on arguments.
TRANSITIONS = Transitions(
    "monitoring task",
    Label("监测任务", "monitoring task"),
    {
        S.MONITORING: Label("监测中", "under way"),
        S.ASSESSED: Label("已评估", "assessed"),
        S.WARNING: Label("预警中", "under a warning"),
        S.CLOSED: Label("已结束", "closed"),
    },
    record_sample=("/samples", Label("记录抽检结果", "record a sample"), NOT_CLOSED),
    assess_risk=("/assessment", Label("风险评估", "assess the risk"), NOT_CLOSED),
    issue_warning=("/warning", Label("发布预警", "issue a warning"), (S.ASSESSED,)),
    lift_warning=("/warning/lift", Label("解除预警", "lift the warning"), (S.WARNING,)),
    close=("/close", Label("结束监测", "close"), (S.ASSESSED,)),
)


def supports(risk: RiskLevel, warning: WarningLevel) -> bool:
    """Whether an assessed risk level supports a warning this loud."""
    loudest = LOUDEST_WARNING.get(risk)
    return loudest is not None and WARNING_ORDER.index(warning) <= WARNING_ORDER.index(loudest)


class RiskMonitoring(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Started(FirstFact):
        product_kind: str
        product_category: str
        township: str
        place: str
        starts_on: date
        ends_on: date
        organiser: str

    class SampleRecorded(Fact):
        sample_number: str
        product: str
        taken_on: date
        passed: bool
        indicator: str | None
        measured_value: str | None
        limit: str | None
        lab: str

    class RiskAssessed(Fact):
        level: str
        assessor: str
        basis: str
        samples: int
        failed: int

    class WarningIssued(Fact):
        warning_no: int
        level: str
        message: str
        scope: str
        issued_by: str
        risk_level: str
        product_kind: str
        product_category: str
        township: str

    class WarningLifted(Fact):
        warning_no: int
        lifted_by: str
        reason: str
        township: str

    class Closed(Fact):
        closed_by: str
        summary: str
        samples: int
        failed: int
        risk_level: str

    @classmethod
    def start(
        cls,
        *,
        product_kind: ProductKind,
        product_category: str,
        township: str,
        place: str,
        starts_on: date,
        ends_on: date,
        organiser: str,
    ) -> RiskMonitoring:
        """Open a monitoring task over a product category, a place and a period."""
        if ends_on < starts_on:
            raise RuleViolation("the monitoring period cannot end before it starts")
        return cls(
            product_kind=product_kind.value,
            product_category=product_category,
            township=township,
            place=place,
            starts_on=starts_on,
            ends_on=ends_on,
            organiser=organiser,
        )

    @event(Started)
    def __init__(
        self,
        product_kind: str,
        product_category: str,
        township: str,
        place: str,
        starts_on: date,
        ends_on: date,
        organiser: str,
    ) -> None:
        self.product_kind = ProductKind(product_kind)
        self.product_category = product_category
        self.township = township
        self.place = place
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.organiser = organiser
        self.status = S.MONITORING
        self.samples: dict[str, bool] = {}
        self.risk_level: RiskLevel | None = None
        self.warning_level: WarningLevel | None = None
        self.warnings_issued = 0

    # -- guards ------------------------------------------------------------------------------

    @property
    def failed(self) -> int:
        return sum(1 for passed in self.samples.values() if not passed)

    # -- commands ----------------------------------------------------------------------------

    def record_sample(
        self,
        *,
        sample_number: str,
        product: str,
        taken_on: date,
        passed: bool,
        lab: str,
        today: date,
        indicator: str | None = None,
        measured_value: str | None = None,
        limit: str | None = None,
    ) -> None:
        """Record one sampling result (抽检结果); values and limits are text with their unit."""
        self._require("record_sample")
        if sample_number in self.samples:
            raise RuleViolation(f"sample {sample_number} is already recorded in this task")
        if taken_on > today:
            raise RuleViolation("a sample cannot be taken in the future")
        if not self.starts_on <= taken_on <= self.ends_on:
            raise RuleViolation(
                f"a sample must be taken within the monitoring period "
                f"({self.starts_on.isoformat()} to {self.ends_on.isoformat()})"
            )
        if not passed and not indicator:
            raise RuleViolation("a failed sample must name the indicator that failed")
        self._sampled(
            sample_number=sample_number,
            product=product,
            taken_on=taken_on,
            passed=passed,
            indicator=indicator,
            measured_value=measured_value,
            limit=limit,
            lab=lab,
        )

    @event(SampleRecorded)
    def _sampled(
        self,
        sample_number: str,
        product: str,
        taken_on: date,
        passed: bool,
        indicator: str | None,
        measured_value: str | None,
        limit: str | None,
        lab: str,
    ) -> None:
        self.samples[sample_number] = passed

    def assess_risk(self, level: RiskLevel, assessor: str, basis: str) -> None:
        """Assess the risk from the results so far (风险评估); it replaces any earlier one."""
        self._require("assess_risk")
        if not self.samples:
            raise RuleViolation("a risk assessment needs at least one sampling result")
        self._assessed(
            level=level.value,
            assessor=assessor,
            basis=basis,
            samples=len(self.samples),
            failed=self.failed,
        )

    @event(RiskAssessed)
    def _assessed(self, level: str, assessor: str, basis: str, samples: int, failed: int) -> None:
        self.risk_level = RiskLevel(level)
        if self.status is S.MONITORING:
            self.status = S.ASSESSED

    def issue_warning(self, level: WarningLevel, message: str, scope: str, issued_by: str) -> None:
        """Warn of the assessed risk (风险预警): medium or above, no louder than it supports."""
        self._require("issue_warning")
        risk = self.risk_level or RiskLevel.LOW
        if risk not in LOUDEST_WARNING:
            raise RuleViolation(
                f"a warning needs a risk assessed at medium or above; it is assessed {risk.value}"
            )
        if not supports(risk, level):
            raise RuleViolation(
                f"a {risk.value} risk supports a warning up to {LOUDEST_WARNING[risk].value}, "
                f"not {level.value}"
            )
        self._warned(
            warning_no=self.warnings_issued + 1,
            level=level.value,
            message=message,
            scope=scope,
            issued_by=issued_by,
            risk_level=risk.value,
            product_kind=self.product_kind.value,
            product_category=self.product_category,
            township=self.township,
        )

    @event(WarningIssued)
    def _warned(
        self,
        warning_no: int,
        level: str,
        message: str,
        scope: str,
        issued_by: str,
        risk_level: str,
        product_kind: str,
        product_category: str,
        township: str,
    ) -> None:
        self.warnings_issued = warning_no
        self.warning_level = WarningLevel(level)
        self.status = S.WARNING

    def lift_warning(self, lifted_by: str, reason: str) -> None:
        """Lift the active warning (解除预警) once the risk is under control."""
        self._require("lift_warning")
        self._lifted(
            warning_no=self.warnings_issued,
            lifted_by=lifted_by,
            reason=reason,
            township=self.township,
        )

    @event(WarningLifted)
    def _lifted(self, warning_no: int, lifted_by: str, reason: str, township: str) -> None:
        self.warning_level = None
        self.status = S.ASSESSED

    def close(self, closed_by: str, summary: str = "") -> None:
        """End the task: its risk assessed and no warning active."""
        self._require("close")
        self._closed(
            closed_by=closed_by,
            summary=summary,
            samples=len(self.samples),
            failed=self.failed,
            risk_level=(self.risk_level or RiskLevel.LOW).value,
        )

    @event(Closed)
    def _closed(
        self, closed_by: str, summary: str, samples: int, failed: int, risk_level: str
    ) -> None:
        self.status = S.CLOSED
