"""The Hazard aggregate: one public-safety hazard, followed until it is verified and closed.

The closed loop of the source (排查摸底 → 分类建档 → 逐项制定方案 → 落实责任 → 分期分批整治),
then rectification, verification (验收) and closure (销号).

Deadlines. The deadline check (run daily) records, per deadline, one reminder before it
(临期提醒, `DeadlineApproaching`, within the office's `approaching_days`), the overdue mark the
day after it, and the escalation ladder. An extension approved after the deadline gives a new
deadline and restarts the ladder, but does not erase that the hazard went overdue: the first
deadline it missed (`missed_deadline`, kept from the first `BecameOverdue`, or recorded with
the late approval when the check had not yet run) is the one its verification is judged
against (`status_rules.is_on_time`), so an extension never turns a late rectification into an
on-time one.

Supervised listing (挂牌督办). An overdue or major hazard can be listed, at district level or
above; a listing is raised to the city or the province with a reason (`ListingRaised`), never
lowered. It is lifted by its own act once the hazard is verified (`lift_listing`), or with the
closure when the office's rules say `lift_listing_at_closure`. When the rules say
`list_overdue_major`, the deadline check lists an overdue major hazard (重大隐患) by itself.
The rules this model holds, and why:

- 挂账 is the open-items ledger: a hazard is on it from filing (建档) until it is struck off
  (销号) at closure. A failed acceptance (验收不合格) is 退回整改, back to rectifying with its
  reason, counted in `failed_verifications`; it never takes the hazard off the ledger.
- The grade is the office's judgement, the colour the matrix's arithmetic. A general hazard
  (一般隐患) whose likelihood x severity falls in the red band is graded below what the matrix
  says, so the filing must state why (`grade_reason`). A major hazard (重大隐患) names the
  standard it was judged by (判定依据, e.g. 《重大事故隐患判定标准》 and its clause), since the
  grade of a major hazard is decided by such a standard and not by the matrix.
- A general hazard fixed in one go needs no batch: it may start rectifying once its
  responsibility is assigned. A major hazard starts only from its batch (分期分批), as its
  governance plan (治理方案) schedules it.
- A batch does not start before the day it is scheduled on (the command's business date): a
  ledger brought in from the past states that past date, and its batch may start from then.
- A major hazard is reported to the regulator (date and body); a production or business
  suspension (停产停业) ordered on it is lifted only after an expert assessment (专家评估) has
  passed since the order, and the hazard is struck off only once it is lifted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from hazards.domain.evidence import Evidence, legacy_references
from hazards.domain.policy import DeadlineRules
from hazards.domain.status_rules import WITH_DEADLINE as OPEN_WITH_DEADLINE
from hazards.domain.status_rules import is_on_time
from hazards.domain.vocabulary import (
    Category,
    Colour,
    Escalation,
    Grade,
    HazardStatus,
    ListingLevel,
    RejectionReason,
    Source,
    risk_colour,
)
from pingan.privacy.sealed import Sealed
from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions

S = HazardStatus
UNDER_WAY = (S.FILED, *OPEN_WITH_DEADLINE)
NOT_CLOSED = (S.REPORTED, *UNDER_WAY, S.VERIFIED)

#: Each command's API action and the states that allow it, before the grade- and
#: date-dependent guards.
TRANSITIONS = Transitions(
    "hazard",
    Label("隐患", "hazard"),
    {
        S.REPORTED: Label("已上报", "reported"),
        S.REJECTED: Label("不予受理", "rejected"),
        S.FILED: Label("已建档", "filed"),
        S.PLANNED: Label("已制定方案", "planned"),
        S.ASSIGNED: Label("已落实责任", "assigned to those responsible"),
        S.SCHEDULED: Label("已排期", "scheduled"),
        S.RECTIFYING: Label("整改中", "being rectified"),
        S.RECTIFICATION_REPORTED: Label("已报整改、待验收", "awaiting verification"),
        S.VERIFIED: Label("已验收", "verified"),
        S.CLOSED: Label("已销号", "closed"),
    },
    file=("/file", Label("分类建档", "file"), (S.REPORTED,)),
    reject=("/reject", Label("不予受理", "reject"), (S.REPORTED,)),
    plan=("/plan", Label("制定整改方案", "plan the rectification"), (S.FILED,)),
    rectify_on_spot=("/rectification", Label("立查立改", "fix on the spot"), (S.FILED,)),
    assign_responsibility=(
        "/responsibility",
        Label("落实责任", "assign responsibility"),
        (S.PLANNED, S.ASSIGNED, S.SCHEDULED, S.RECTIFYING),
    ),
    schedule=("/schedule", Label("排期整治", "schedule into a batch"), (S.ASSIGNED,)),
    start_rectification=(
        "/start",
        Label("开始整改", "start rectifying"),
        (S.ASSIGNED, S.SCHEDULED),
    ),
    record_interim_control=(
        "/interim-controls",
        Label("记录临时管控措施", "record an interim control"),
        UNDER_WAY,
    ),
    report_rectification=(
        "/rectification",
        Label("上报整改", "report the rectification"),
        (S.RECTIFYING,),
    ),
    verify=("/verification", Label("验收", "verify"), (S.RECTIFICATION_REPORTED,)),
    close=("/close", Label("销号", "close"), (S.VERIFIED,)),
    request_extension=(
        "/extension-request",
        Label("申请延期", "request an extension"),
        OPEN_WITH_DEADLINE,
    ),
    decide_extension=(
        "/extension-decision",
        Label("审批延期", "decide on the extension"),
        OPEN_WITH_DEADLINE,
    ),
    list_for_supervision=("/listing", Label("挂牌督办", "list for supervision"), UNDER_WAY),
    raise_listing=("/listing/raise", Label("提级挂牌督办", "raise the listing"), UNDER_WAY),
    lift_listing=("/listing/lift", Label("摘牌", "lift the listing"), (S.VERIFIED, S.CLOSED)),
    report_to_regulator=(
        "/regulator-report",
        Label("报告监管部门", "report to the regulator"),
        (*UNDER_WAY, S.VERIFIED),
    ),
    order_suspension=(
        "/suspension",
        Label("责令停产停业", "order a suspension"),
        (*UNDER_WAY, S.VERIFIED),
    ),
    assess_for_resumption=(
        "/resumption-assessment",
        Label("复产专家评估", "assess for resumption"),
        (*UNDER_WAY, S.VERIFIED),
    ),
    lift_suspension=(
        "/resumption",
        Label("恢复生产经营", "lift the suspension"),
        (*UNDER_WAY, S.VERIFIED),
    ),
)
#: A listing rises from the district to the city and the province, never back down.
LISTING_ORDER = (ListingLevel.DISTRICT, ListingLevel.CITY, ListingLevel.PROVINCE)
#: Who lists and lifts when the deadline check or the closure does it.
AUTOMATIC = "deadline-check"


class Hazard(StateMachine, Aggregate):
    transitions = TRANSITIONS
    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state.update(
            reporter_person_id=None,
            reporter_phone=None,
            reporter_id_number=None,
            reporter_anonymous=False,
        )

    @staticmethod
    def upcast_v2_v3(state: dict[str, object]) -> None:
        state.update(missed_deadline=None, approaching_noted=None)

    class Reported(FirstFact):
        """The reporter's name, phone and identity number are sealed (pingan.privacy) under
        the key of the person `reporter_person_id`; those reported before sealing existed
        hold the name as it was typed."""

        class_version = 2

        title: str
        category: str
        source: str
        township: str
        village: str
        address: str
        reporter: Sealed
        description: str
        key_area_id: UUID | None
        round_id: UUID | None
        unit_id: str | None
        reporter_person_id: UUID | None
        reporter_phone: Sealed | None
        reporter_id_number: Sealed | None
        reporter_anonymous: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state.update(
                reporter_person_id=None,
                reporter_phone=None,
                reporter_id_number=None,
                reporter_anonymous=False,
            )

    class Rejected(Fact):
        reason: str
        explanation: str
        duplicate_of: UUID | None

    class Filed(Fact):
        class_version = 2

        category: str
        grade: str
        file_number: str
        likelihood: int
        severity: int
        colour: str
        grade_reason: str | None
        determination_basis: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state.update(grade_reason=None, determination_basis=None)

    class Planned(Fact):
        measures: str
        responsible_person: str | None
        funds_yuan: Decimal | None
        deadline: date
        contingency_plan: str | None

    class ResponsibilityAssigned(Fact):
        responsible_unit: str
        responsible_person: str

    class Scheduled(Fact):
        batch: str
        starts_on: date

    class RectificationStarted(Fact):
        pass

    class InterimControlRecorded(Fact):
        measure: str

    class RectificationReported(Fact):
        class_version = 2

        summary: str
        evidence: list[Evidence]
        on_the_spot: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["evidence"] = legacy_references(state["evidence"])

    class VerificationPassed(Fact):
        """`on_time` against `judged_against`: the first deadline missed, else the deadline
        (version 1 judged against the deadline at verification and recorded none)."""

        class_version = 2

        inspector: str
        verified_on: date
        notes: str
        on_time: bool
        judged_against: date | None
        evidence: list[Evidence]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["judged_against"] = None
            state["evidence"] = []

    class VerificationFailed(Fact):
        class_version = 2

        inspector: str
        verified_on: date
        reason: str
        back_to: str
        evidence: list[Evidence]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["evidence"] = []

    class Closed(Fact):
        class_version = 2

        closed_by: str
        township: str
        village: str
        category: str
        grade: str
        on_time: bool
        unit_id: str | None
        missed_deadline: date | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["missed_deadline"] = None

    class ExtensionRequested(Fact):
        requested_deadline: date
        reason: str
        requested_on: date

    class ExtensionApproved(Fact):
        approver: str
        new_deadline: date

    class ExtensionRejected(Fact):
        approver: str
        reason: str

    class DeadlineApproaching(Fact):
        deadline: date
        days_left: int

    class BecameOverdue(Fact):
        deadline: date
        overdue_since: date

    class Escalated(Fact):
        level: int
        days_overdue: int

    class ListedForSupervision(Fact):
        supervising_unit: str
        level: str
        listed_by: str

    class ListingRaised(Fact):
        from_level: str
        level: str
        supervising_unit: str
        reason: str
        raised_by: str

    class ListingLifted(Fact):
        class_version = 2

        reason: str
        lifted_by: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["lifted_by"] = None

    class ReportedToRegulator(Fact):
        regulator: str
        reference: str | None

    class SuspensionOrdered(Fact):
        ordered_by: str
        scope: str

    class ResumptionAssessed(Fact):
        experts: str
        passed: bool
        opinion: str

    class SuspensionLifted(Fact):
        lifted_by: str

    @event(Reported)
    def __init__(
        self,
        title: str,
        category: str,
        source: str,
        township: str,
        village: str,
        address: str,
        reporter: Sealed,
        description: str = "",
        key_area_id: UUID | None = None,
        round_id: UUID | None = None,
        unit_id: str | None = None,
        reporter_person_id: UUID | None = None,
        reporter_phone: Sealed | None = None,
        reporter_id_number: Sealed | None = None,
        reporter_anonymous: bool = False,
        id: UUID | None = None,
    ) -> None:
        # The id may be chosen beforehand, so that a record's personal data can name it.
        self.title = title
        self.category = Category(category)
        self.source = Source(source)
        self.township = township
        self.village = village
        self.address = address
        self.reporter = reporter
        self.reporter_person_id = reporter_person_id
        self.reporter_phone = reporter_phone
        self.reporter_id_number = reporter_id_number
        self.reporter_anonymous = reporter_anonymous
        self.description = description
        self.key_area_id = key_area_id
        self.round_id = round_id
        self.unit_id = unit_id
        self.status = S.REPORTED
        self.grade: Grade | None = None
        self.file_number: str | None = None
        self.colour: Colour | None = None
        self.deadline: date | None = None
        self.responsible_unit: str | None = None
        self.responsible_person: str | None = None
        self.interim_controls: list[str] = []
        self.pending_extension: date | None = None
        self.failed_verifications = 0
        self.overdue_since: date | None = None
        self.missed_deadline: date | None = None
        self.approaching_noted: date | None = None
        self.escalation = Escalation.NONE
        self.listing: ListingLevel | None = None
        self.on_time = False
        self.determination_basis: str | None = None
        self.regulator: str | None = None
        self.suspended = False
        self.resumption_passed = False

    # -- guards ------------------------------------------------------------------------------

    @property
    def is_overdue(self) -> bool:
        return self.overdue_since is not None

    def _current_deadline(self) -> date:
        if self.deadline is None:
            raise RuleViolation("the hazard has no deadline yet")
        return self.deadline

    # -- commands ----------------------------------------------------------------------------

    def reject(self, reason: RejectionReason, explanation: str, duplicate_of: UUID | None) -> None:
        """Refuse a report: a duplicate of another hazard, or not a hazard at all."""
        self._require("reject")
        if reason is RejectionReason.DUPLICATE and duplicate_of is None:
            raise RuleViolation("a duplicate must name the hazard it duplicates")
        if reason is not RejectionReason.DUPLICATE and duplicate_of is not None:
            raise RuleViolation("only a duplicate names the hazard it duplicates")
        if duplicate_of == self.id:
            raise RuleViolation("a hazard cannot duplicate itself")
        self._rejected(reason=reason.value, explanation=explanation, duplicate_of=duplicate_of)

    @event(Rejected)
    def _rejected(self, reason: str, explanation: str, duplicate_of: UUID | None) -> None:
        self.status = S.REJECTED

    def file(
        self,
        category: Category,
        grade: Grade,
        file_number: str,
        likelihood: int,
        severity: int,
        *,
        grade_reason: str | None = None,
        determination_basis: str | None = None,
    ) -> None:
        """Classify the hazard, grade it, rate its risk and open its file (分类建档): it is on
        the ledger (挂账) from now until it is struck off."""
        self._require("file")
        colour = risk_colour(likelihood, severity)
        reason = (grade_reason or "").strip() or None
        basis = (determination_basis or "").strip() or None
        if grade is Grade.GENERAL and colour is Colour.RED and reason is None:
            raise RuleViolation(
                "a general hazard rated red on the risk matrix must state the reason for its grade"
            )
        if grade is Grade.MAJOR and basis is None:
            raise RuleViolation("a major hazard must name the standard it was judged by (判定依据)")
        self._filed(
            category=category.value,
            grade=grade.value,
            file_number=file_number,
            likelihood=likelihood,
            severity=severity,
            colour=colour.value,
            grade_reason=reason,
            determination_basis=basis,
        )

    @event(Filed)
    def _filed(
        self,
        category: str,
        grade: str,
        file_number: str,
        likelihood: int,
        severity: int,
        colour: str,
        grade_reason: str | None,
        determination_basis: str | None,
    ) -> None:
        self.category = Category(category)
        self.grade = Grade(grade)
        self.file_number = file_number
        self.colour = Colour(colour)
        self.determination_basis = determination_basis
        self.status = S.FILED

    def plan(
        self,
        measures: str,
        deadline: date,
        today: date,
        responsible_person: str | None = None,
        funds_yuan: Decimal | None = None,
        contingency_plan: str | None = None,
    ) -> None:
        """Make the rectification plan; a major hazard needs all five of 五落实."""
        self._require("plan")
        if deadline < today:
            raise RuleViolation("the deadline cannot be in the past")
        if self.grade is Grade.MAJOR:
            missing = [
                name
                for name, value in (
                    ("responsible_person", responsible_person),
                    ("funds_yuan", funds_yuan),
                    ("contingency_plan", contingency_plan),
                )
                if value is None
            ]
            if missing:
                raise RuleViolation(
                    "a major hazard's plan needs all five of 五落实 (responsible person, measures, "
                    f"funds, deadline, contingency plan); missing: {', '.join(missing)}"
                )
        self._planned(
            measures=measures,
            responsible_person=responsible_person,
            funds_yuan=funds_yuan,
            deadline=deadline,
            contingency_plan=contingency_plan,
        )

    @event(Planned)
    def _planned(
        self,
        measures: str,
        responsible_person: str | None,
        funds_yuan: Decimal | None,
        deadline: date,
        contingency_plan: str | None,
    ) -> None:
        self.deadline = deadline
        self.responsible_person = responsible_person
        self.status = S.PLANNED

    def assign_responsibility(self, responsible_unit: str, responsible_person: str) -> None:
        """Name the unit and person responsible for the rectification (落实责任)."""
        self._require("assign_responsibility")
        self._assigned(responsible_unit=responsible_unit, responsible_person=responsible_person)

    @event(ResponsibilityAssigned)
    def _assigned(self, responsible_unit: str, responsible_person: str) -> None:
        self.responsible_unit = responsible_unit
        self.responsible_person = responsible_person
        if self.status is S.PLANNED:
            self.status = S.ASSIGNED

    def schedule(self, batch: str, starts_on: date, today: date) -> None:
        """Put the hazard into a rectification batch (分期分批), starting no earlier than
        `today`, the day it is scheduled on."""
        self._require("schedule")
        if starts_on < today:
            raise RuleViolation("a batch cannot start before the day it is scheduled on")
        if self.deadline is not None and starts_on > self.deadline:
            raise RuleViolation("the batch cannot start after the hazard's deadline")
        self._scheduled(batch=batch, starts_on=starts_on)

    @event(Scheduled)
    def _scheduled(self, batch: str, starts_on: date) -> None:
        self.status = S.SCHEDULED

    def start_rectification(self) -> None:
        """Start rectifying: a major hazard from its batch, a general one also straight after
        its responsibility is assigned."""
        self._require("start_rectification")
        if self.status is S.ASSIGNED and self.grade is Grade.MAJOR:
            raise RuleViolation(
                "a major hazard starts rectifying from its batch: schedule it first (分期分批)"
            )
        self._started()

    @event(RectificationStarted)
    def _started(self) -> None:
        self.status = S.RECTIFYING

    def record_interim_control(self, measure: str) -> None:
        """Record a control that keeps the hazard in check until it is fixed (临时管控)."""
        self._require("record_interim_control")
        self._interim(measure=measure)

    @event(InterimControlRecorded)
    def _interim(self, measure: str) -> None:
        self.interim_controls.append(measure)

    def report_rectification(self, summary: str, evidence: Sequence[Evidence]) -> None:
        """Report the rectification done, with its evidence (stored files)."""
        self._require("report_rectification")
        self._rectified(summary=summary, evidence=list(evidence), on_the_spot=False)

    def rectify_on_spot(self, summary: str, evidence: Sequence[Evidence]) -> None:
        """A general hazard fixed where it was found (立查立改); it still awaits verification."""
        self._require("rectify_on_spot")
        if self.grade is not Grade.GENERAL:
            raise RuleViolation("only a general hazard may be rectified on the spot")
        self._rectified(summary=summary, evidence=list(evidence), on_the_spot=True)

    @event(RectificationReported)
    def _rectified(self, summary: str, evidence: list[Evidence], on_the_spot: bool) -> None:
        self.status = S.RECTIFICATION_REPORTED

    def verify(
        self,
        inspector: str,
        verified_on: date,
        passed: bool,
        notes: str,
        *,
        today: date | None = None,
        evidence: Sequence[Evidence] = (),
    ) -> None:
        """Inspect the rectification (验收): pass, or back to rectifying with the reason
        (退回整改), with the inspection's own evidence (stored files), if any; the hazard stays
        on the ledger either way until it is struck off. The inspection date decides whether
        it was on time, so it cannot lie in the future."""
        self._require("verify")
        if today is not None and verified_on > today:
            raise RuleViolation("a verification cannot be dated in the future")
        if passed:
            judged_against = self.missed_deadline or self.deadline
            self._passed(
                inspector=inspector,
                verified_on=verified_on,
                notes=notes,
                on_time=is_on_time(verified_on, self.deadline, self.missed_deadline),
                judged_against=judged_against,
                evidence=list(evidence),
            )
        else:
            if not notes.strip():
                raise RuleViolation("a failed verification must give its reason")
            # A hazard fixed on the spot has no plan and no deadline: it goes back to be
            # planned (or fixed on the spot again) rather than to an open-ended rectification.
            back_to = S.RECTIFYING if self.deadline is not None else S.FILED
            self._failed(
                inspector=inspector,
                verified_on=verified_on,
                reason=notes,
                back_to=back_to.value,
                evidence=list(evidence),
            )

    @event(VerificationPassed)
    def _passed(
        self,
        inspector: str,
        verified_on: date,
        notes: str,
        on_time: bool,
        judged_against: date | None,
        evidence: list[Evidence],
    ) -> None:
        self.on_time = on_time
        self.pending_extension = None
        self.status = S.VERIFIED

    @event(VerificationFailed)
    def _failed(
        self,
        inspector: str,
        verified_on: date,
        reason: str,
        back_to: str,
        evidence: list[Evidence],
    ) -> None:
        self.failed_verifications += 1
        self.status = HazardStatus(back_to)

    def close(self, closed_by: str, rules: DeadlineRules | None = None) -> None:
        """Strike the verified hazard off the ledger (销号); a supervised listing is lifted with
        it only when the office's rules say so."""
        self._require("close")
        if self.suspended:
            raise RuleViolation(
                "the hazard is under a suspension order (停产停业): lift it before closing"
            )
        self._closed(
            closed_by=closed_by,
            township=self.township,
            village=self.village,
            category=self.category.value,
            grade=(self.grade or Grade.GENERAL).value,
            on_time=self.on_time,
            unit_id=self.unit_id,
            missed_deadline=self.missed_deadline,
        )
        if self.listing is not None and (rules or DeadlineRules()).lift_listing_at_closure:
            self._lifted(reason="closed", lifted_by=AUTOMATIC)

    @event(Closed)
    def _closed(
        self,
        closed_by: str,
        township: str,
        village: str,
        category: str,
        grade: str,
        on_time: bool,
        unit_id: str | None,
        missed_deadline: date | None,
    ) -> None:
        self.status = S.CLOSED

    def request_extension(
        self, requested_deadline: date, reason: str, today: date, rules: DeadlineRules
    ) -> None:
        """Ask, before the deadline, for more time."""
        self._require("request_extension")
        deadline = self._current_deadline()
        if self.pending_extension is not None:
            raise RuleViolation("an extension request is already awaiting a decision")
        if (deadline - today).days < rules.extension_lead_days:
            raise RuleViolation(
                f"an extension must be requested at least {rules.extension_lead_days} days "
                f"before the deadline ({deadline.isoformat()})"
            )
        if requested_deadline <= deadline:
            raise RuleViolation("the requested deadline must be later than the current one")
        self._extension_requested(
            requested_deadline=requested_deadline, reason=reason, requested_on=today
        )

    @event(ExtensionRequested)
    def _extension_requested(
        self, requested_deadline: date, reason: str, requested_on: date
    ) -> None:
        self.pending_extension = requested_deadline

    def decide_extension(
        self, approve: bool, approver: str, reason: str, today: date | None = None
    ) -> None:
        """Approve or reject the pending request. Approved after the deadline, the hazard had
        gone overdue by then: the mark is recorded first if the check had not yet done so."""
        self._require("decide_extension")
        if self.pending_extension is None:
            raise RuleViolation("no extension request is awaiting a decision")
        if approve:
            deadline = self._current_deadline()
            if today is not None and today > deadline and self.overdue_since is None:
                self._overdue(deadline=deadline, overdue_since=deadline + timedelta(days=1))
            self._extension_approved(approver=approver, new_deadline=self.pending_extension)
        else:
            if not reason.strip():
                raise RuleViolation("a rejected extension must give its reason")
            self._extension_rejected(approver=approver, reason=reason)

    @event(ExtensionApproved)
    def _extension_approved(self, approver: str, new_deadline: date) -> None:
        # A timely request approved after the old deadline lifts the overdue mark and the
        # ladder, which run on the new deadline from now on; `missed_deadline` stays.
        self.deadline = new_deadline
        self.pending_extension = None
        self.overdue_since = None
        self.escalation = Escalation.NONE

    @event(ExtensionRejected)
    def _extension_rejected(self, approver: str, reason: str) -> None:
        self.pending_extension = None

    def check_deadline(self, today: date, rules: DeadlineRules) -> None:
        """Remind once as the deadline nears (临期提醒), mark the hazard overdue once its
        deadline has passed unverified, escalate it up the ladder as the days overdue reach
        each step, and list an overdue major hazard when the rules say so. Idempotent:
        running it again on the same day records nothing new."""
        if self.deadline is None or self.status not in OPEN_WITH_DEADLINE:
            return
        if self.overdue_since is None:
            if today <= self.deadline:
                days_left = (self.deadline - today).days
                if rules.approaching(days_left) and self.approaching_noted != self.deadline:
                    self._approaching(deadline=self.deadline, days_left=days_left)
                return
            self._overdue(deadline=self.deadline, overdue_since=self.deadline + timedelta(days=1))
        days = (today - self.deadline).days
        due = rules.due_level(days)
        for level in range(self.escalation + 1, due + 1):
            self._escalated(level=level, days_overdue=days)
        if rules.list_overdue_major and self.grade is Grade.MAJOR and self.listing is None:
            self._listed(
                supervising_unit=rules.listing_unit,
                level=ListingLevel.DISTRICT.value,
                listed_by=AUTOMATIC,
            )

    @event(DeadlineApproaching)
    def _approaching(self, deadline: date, days_left: int) -> None:
        self.approaching_noted = deadline

    @event(BecameOverdue)
    def _overdue(self, deadline: date, overdue_since: date) -> None:
        self.overdue_since = overdue_since
        if self.missed_deadline is None:
            self.missed_deadline = deadline

    @event(Escalated)
    def _escalated(self, level: int, days_overdue: int) -> None:
        self.escalation = Escalation(level)

    def list_for_supervision(
        self, supervising_unit: str, level: ListingLevel, listed_by: str
    ) -> None:
        """Put an overdue or major hazard under supervised listing (挂牌督办)."""
        self._require("list_for_supervision")
        if self.listing is not None:
            raise RuleViolation("the hazard is already listed for supervision")
        if self.grade is not Grade.MAJOR and not self.is_overdue:
            raise RuleViolation("only an overdue or a major hazard can be listed for supervision")
        self._listed(supervising_unit=supervising_unit, level=level.value, listed_by=listed_by)

    @event(ListedForSupervision)
    def _listed(self, supervising_unit: str, level: str, listed_by: str) -> None:
        self.listing = ListingLevel(level)

    def raise_listing(
        self, level: ListingLevel, supervising_unit: str, reason: str, raised_by: str
    ) -> None:
        """Raise the supervised listing from the district to the city or the province."""
        self._require("raise_listing")
        if self.listing is None:
            raise RuleViolation("the hazard is not listed for supervision")
        if LISTING_ORDER.index(level) <= LISTING_ORDER.index(self.listing):
            raise RuleViolation("a listing can only be raised to a higher level")
        if not reason.strip():
            raise RuleViolation("raising a listing must give its reason")
        self._raised(
            from_level=self.listing.value,
            level=level.value,
            supervising_unit=supervising_unit,
            reason=reason,
            raised_by=raised_by,
        )

    @event(ListingRaised)
    def _raised(
        self, from_level: str, level: str, supervising_unit: str, reason: str, raised_by: str
    ) -> None:
        self.listing = ListingLevel(level)

    def lift_listing(self, reason: str, lifted_by: str) -> None:
        """Lift the supervised listing (摘牌) of a hazard whose rectification was verified."""
        self._require("lift_listing")
        if self.listing is None:
            raise RuleViolation("the hazard is not listed for supervision")
        if not reason.strip():
            raise RuleViolation("lifting a listing must give its reason")
        self._lifted(reason=reason, lifted_by=lifted_by)

    @event(ListingLifted)
    def _lifted(self, reason: str, lifted_by: str | None) -> None:
        self.listing = None

    # -- major hazards: the regulator, suspension and resumption -----------------------------

    def _require_major(self) -> None:
        if self.grade is not Grade.MAJOR:
            raise RuleViolation("only a major hazard is reported to the regulator or suspended")

    def report_to_regulator(self, regulator: str, reference: str | None) -> None:
        """Report the major hazard to the body that supervises it (上报监管部门); dated by the
        command's business date."""
        self._require("report_to_regulator")
        self._require_major()
        self._reported_to_regulator(regulator=regulator, reference=reference)

    @event(ReportedToRegulator)
    def _reported_to_regulator(self, regulator: str, reference: str | None) -> None:
        self.regulator = regulator

    def order_suspension(self, ordered_by: str, scope: str) -> None:
        """Record an order to stop production or business (停产停业) while it is rectified."""
        self._require("order_suspension")
        self._require_major()
        if self.suspended:
            raise RuleViolation("a suspension order is already in force")
        self._suspension_ordered(ordered_by=ordered_by, scope=scope)

    @event(SuspensionOrdered)
    def _suspension_ordered(self, ordered_by: str, scope: str) -> None:
        self.suspended = True
        self.resumption_passed = False

    def assess_for_resumption(self, experts: str, passed: bool, opinion: str) -> None:
        """Record the expert assessment (专家评估) that decides whether it may resume."""
        self._require("assess_for_resumption")
        if not self.suspended:
            raise RuleViolation("no suspension order is in force")
        if not passed and not opinion.strip():
            raise RuleViolation("a failed assessment must give its reason")
        self._assessed(experts=experts, passed=passed, opinion=opinion)

    @event(ResumptionAssessed)
    def _assessed(self, experts: str, passed: bool, opinion: str) -> None:
        self.resumption_passed = passed

    def lift_suspension(self, lifted_by: str) -> None:
        """Allow production or business to resume (复产复业), after an assessment passed."""
        self._require("lift_suspension")
        if not self.suspended:
            raise RuleViolation("no suspension order is in force")
        if not self.resumption_passed:
            raise RuleViolation(
                "resumption needs an expert assessment (专家评估) passed since the order"
            )
        self._suspension_lifted(lifted_by=lifted_by)

    @event(SuspensionLifted)
    def _suspension_lifted(self, lifted_by: str) -> None:
        self.suspended = False
