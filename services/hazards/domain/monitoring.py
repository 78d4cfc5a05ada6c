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
- a task closes only once its risk is assessed, no warning is active and every follow-up is
  closed.

**A failed sample is followed up to its end**, as the office configures (the settings
`monitoring_failed_sample` and `monitoring_follow_up_days`):

- `follow_up` (the default): the sample opens a follow-up (核查处置) due a number of days after
  the failed result was received (default 90, the time 食品安全抽样检验管理办法 gives for the
  核查处置 of a failed food sample); the office records the disposal (下架, 召回, 立案查处...)
  one step or more, and closes it with its outcome once at least one disposal is recorded. A
  follow-up still open after its due day is overdue (shown by the views, from the office's
  today); closing it late records that it was late;
- `hazard`: the sample reports a food and drug safety hazard (食品药品安全隐患, source
  排查) in the same transaction, at the village where it was taken, and the hazard's own closed
  loop tracks it; the task records which hazard it raised.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

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


class FailedSampleAction(StrEnum):
    """What a failed sample starts, as the office configures."""

    FOLLOW_UP = "follow_up"  # 核查处置
    HAZARD = "hazard"  # 作为隐患上报


class FollowUpStatus(StrEnum):
    OPEN = "open"  # 核查处置中
    CLOSED = "closed"  # 已办结


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
    record_disposal=(
        "/follow-ups/disposal",
        Label("记录核查处置", "record a disposal"),
        NOT_CLOSED,
    ),
    close_follow_up=(
        "/follow-ups/close",
        Label("核查处置完结", "close a follow-up"),
        NOT_CLOSED,
    ),
)


class FollowUp:
    """One failed sample's 核查处置, from opening to its end."""

    def __init__(self, result_on: date, due_on: date) -> None:
        self.due_on = due_on
        self.last_on = result_on
        self.disposals = 0
        self.status = FollowUpStatus.OPEN


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

    class FollowUpOpened(Fact):
        sample_number: str
        product: str
        indicator: str
        result_on: date
        due_on: date
        township: str

    class ReportedAsHazard(Fact):
        sample_number: str
        hazard_id: UUID

    class DisposalRecorded(Fact):
        sample_number: str
        measures: str
        disposed_on: date
        recorded_by: str

    class FollowUpClosed(Fact):
        sample_number: str
        outcome: str
        closed_by: str
        closed_on: date
        due_on: date
        on_time: bool
        township: str

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
        self.follow_ups: dict[str, FollowUp] = {}
        self.hazards: dict[str, UUID] = {}

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

    def open_follow_up(
        self, sample_number: str, product: str, indicator: str, result_on: date, days: int
    ) -> None:
        """Open the 核查处置 of a failed sample, due `days` after its result was received."""
        self._require_failed(sample_number)
        if days < 1:
            raise RuleViolation("a follow-up is due at least one day after the result")
        self._follow_up_opened(
            sample_number=sample_number,
            product=product,
            indicator=indicator,
            result_on=result_on,
            due_on=result_on + timedelta(days=days),
            township=self.township,
        )

    @event(FollowUpOpened)
    def _follow_up_opened(
        self,
        sample_number: str,
        product: str,
        indicator: str,
        result_on: date,
        due_on: date,
        township: str,
    ) -> None:
        self.follow_ups[sample_number] = FollowUp(result_on, due_on)

    def report_as_hazard(self, sample_number: str, hazard_id: UUID) -> None:
        """Note the hazard a failed sample reported."""
        self._require_failed(sample_number)
        self._reported_as_hazard(sample_number=sample_number, hazard_id=hazard_id)

    @event(ReportedAsHazard)
    def _reported_as_hazard(self, sample_number: str, hazard_id: UUID) -> None:
        self.hazards[sample_number] = hazard_id

    def _require_failed(self, sample_number: str) -> None:
        if self.samples.get(sample_number, True):
            raise RuleViolation(f"sample {sample_number} is not a failed sample of this task")
        if sample_number in self.follow_ups or sample_number in self.hazards:
            raise RuleViolation(f"sample {sample_number} is already followed up")

    def _open_follow_up(self, sample_number: str) -> FollowUp:
        found = self.follow_ups.get(sample_number)
        if found is None:
            raise RuleViolation(f"sample {sample_number} has no follow-up in this task")
        if found.status is FollowUpStatus.CLOSED:
            raise RuleViolation(f"the follow-up of sample {sample_number} is already closed")
        return found

    def record_disposal(
        self, sample_number: str, measures: str, disposed_on: date, recorded_by: str, today: date
    ) -> None:
        """Record what was done about a failed sample (核查处置: 下架, 召回, 立案查处...)."""
        self._require("record_disposal")
        follow_up = self._open_follow_up(sample_number)
        if disposed_on > today:
            raise RuleViolation("a disposal cannot be dated in the future")
        if disposed_on < follow_up.last_on:
            raise RuleViolation(
                f"a disposal cannot be dated before {follow_up.last_on.isoformat()}, "
                "the follow-up's latest step"
            )
        self._disposed(
            sample_number=sample_number,
            measures=measures,
            disposed_on=disposed_on,
            recorded_by=recorded_by,
        )

    @event(DisposalRecorded)
    def _disposed(
        self, sample_number: str, measures: str, disposed_on: date, recorded_by: str
    ) -> None:
        follow_up = self.follow_ups[sample_number]
        follow_up.disposals += 1
        follow_up.last_on = max(follow_up.last_on, disposed_on)

    def close_follow_up(
        self, sample_number: str, outcome: str, closed_by: str, closed_on: date, today: date
    ) -> None:
        """Close a follow-up with its outcome, once a disposal is recorded; on time when
        closed by its due day."""
        self._require("close_follow_up")
        follow_up = self._open_follow_up(sample_number)
        if follow_up.disposals == 0:
            raise RuleViolation("a follow-up closes once a disposal is recorded")
        if not follow_up.last_on <= closed_on <= today:
            raise RuleViolation(
                "a follow-up closes after its latest step "
                f"({follow_up.last_on.isoformat()}) and not in the future"
            )
        self._follow_up_closed(
            sample_number=sample_number,
            outcome=outcome,
            closed_by=closed_by,
            closed_on=closed_on,
            due_on=follow_up.due_on,
            on_time=closed_on <= follow_up.due_on,
            township=self.township,
        )

    @event(FollowUpClosed)
    def _follow_up_closed(
        self,
        sample_number: str,
        outcome: str,
        closed_by: str,
        closed_on: date,
        due_on: date,
        on_time: bool,
        township: str,
    ) -> None:
        self.follow_ups[sample_number].status = FollowUpStatus.CLOSED

    @property
    def open_follow_ups(self) -> list[str]:
        return [n for n, f in self.follow_ups.items() if f.status is FollowUpStatus.OPEN]

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
        """End the task: its risk assessed, no warning active, every follow-up closed."""
        self._require("close")
        if self.open_follow_ups:
            raise RuleViolation(
                "the follow-ups of samples " + ", ".join(self.open_follow_ups) + " are still open"
            )
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
