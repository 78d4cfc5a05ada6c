"""The Hazard aggregate: one public-safety hazard, followed until it is verified and closed.

The closed loop of the source (排查摸底 → 分类建档 → 逐项制定方案 → 落实责任 → 分期分批整治),
then rectification, verification (验收) and closure (销号).
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
from pingan.write.domain import RuleViolation, StateMachine, Transitions

S = HazardStatus
UNDER_WAY = (S.FILED, *OPEN_WITH_DEADLINE)
NOT_CLOSED = (S.REPORTED, *UNDER_WAY, S.VERIFIED)

#: Each command's API action and the states that allow it, before the grade- and
#: date-dependent guards.
TRANSITIONS = Transitions(
    "hazard",
    file=("/file", (S.REPORTED,)),
    reject=("/reject", (S.REPORTED,)),
    plan=("/plan", (S.FILED,)),
    rectify_on_spot=("/rectification", (S.FILED,)),
    assign_responsibility=("/responsibility", (S.PLANNED, S.ASSIGNED, S.SCHEDULED, S.RECTIFYING)),
    schedule=("/schedule", (S.ASSIGNED,)),
    start_rectification=("/start", (S.SCHEDULED,)),
    record_interim_control=("/interim-controls", UNDER_WAY),
    report_rectification=("/rectification", (S.RECTIFYING,)),
    verify=("/verification", (S.RECTIFICATION_REPORTED,)),
    close=("/close", (S.VERIFIED,)),
    request_extension=("/extension-request", OPEN_WITH_DEADLINE),
    decide_extension=("/extension-decision", OPEN_WITH_DEADLINE),
    list_for_supervision=("/listing", UNDER_WAY),
)


class Hazard(StateMachine, Aggregate):
    transitions = TRANSITIONS
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state.update(
            reporter_person_id=None,
            reporter_phone=None,
            reporter_id_number=None,
            reporter_anonymous=False,
        )

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
        category: str
        grade: str
        file_number: str
        likelihood: int
        severity: int
        colour: str

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
        class_version = 2

        inspector: str
        verified_on: date
        notes: str
        on_time: bool
        evidence: list[Evidence]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
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
        closed_by: str
        township: str
        village: str
        category: str
        grade: str
        on_time: bool
        unit_id: str | None

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

    class ListingLifted(Fact):
        reason: str

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
        self.escalation = Escalation.NONE
        self.listing: ListingLevel | None = None
        self.on_time = False

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
        self, category: Category, grade: Grade, file_number: str, likelihood: int, severity: int
    ) -> None:
        """Classify the hazard, grade it, rate its risk and open its file (分类建档)."""
        self._require("file")
        colour = risk_colour(likelihood, severity)
        self._filed(
            category=category.value,
            grade=grade.value,
            file_number=file_number,
            likelihood=likelihood,
            severity=severity,
            colour=colour.value,
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
    ) -> None:
        self.category = Category(category)
        self.grade = Grade(grade)
        self.file_number = file_number
        self.colour = Colour(colour)
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

    def schedule(self, batch: str, starts_on: date) -> None:
        """Put the hazard into a rectification batch (分期分批)."""
        self._require("schedule")
        if self.deadline is not None and starts_on > self.deadline:
            raise RuleViolation("the batch cannot start after the hazard's deadline")
        self._scheduled(batch=batch, starts_on=starts_on)

    @event(Scheduled)
    def _scheduled(self, batch: str, starts_on: date) -> None:
        self.status = S.SCHEDULED

    def start_rectification(self) -> None:
        self._require("start_rectification")
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
        """Inspect the rectification (验收): pass, or back to rectifying with the reason (挂账),
        with the inspection's own evidence (stored files), if any. The inspection date decides
        whether it was on time, so it cannot lie in the future."""
        self._require("verify")
        if today is not None and verified_on > today:
            raise RuleViolation("a verification cannot be dated in the future")
        if passed:
            on_time = is_on_time(verified_on, self.deadline)
            self._passed(
                inspector=inspector,
                verified_on=verified_on,
                notes=notes,
                on_time=on_time,
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

    def close(self, closed_by: str) -> None:
        """Strike the verified hazard off the books (销号); a supervised listing is lifted."""
        self._require("close")
        self._closed(
            closed_by=closed_by,
            township=self.township,
            village=self.village,
            category=self.category.value,
            grade=(self.grade or Grade.GENERAL).value,
            on_time=self.on_time,
            unit_id=self.unit_id,
        )
        if self.listing is not None:
            self._lifted(reason="closed")

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

    def decide_extension(self, approve: bool, approver: str, reason: str) -> None:
        self._require("decide_extension")
        if self.pending_extension is None:
            raise RuleViolation("no extension request is awaiting a decision")
        if approve:
            self._extension_approved(approver=approver, new_deadline=self.pending_extension)
        else:
            if not reason.strip():
                raise RuleViolation("a rejected extension must give its reason")
            self._extension_rejected(approver=approver, reason=reason)

    @event(ExtensionApproved)
    def _extension_approved(self, approver: str, new_deadline: date) -> None:
        # A timely request approved after the old deadline lifts the overdue mark: the
        # hazard is judged against its new deadline from now on.
        self.deadline = new_deadline
        self.pending_extension = None
        self.overdue_since = None
        self.escalation = Escalation.NONE

    @event(ExtensionRejected)
    def _extension_rejected(self, approver: str, reason: str) -> None:
        self.pending_extension = None

    def check_deadline(self, today: date, rules: DeadlineRules) -> None:
        """Mark the hazard overdue once its deadline has passed unverified, then escalate it
        up the ladder as the days overdue reach each step. Idempotent: running it again on
        the same day records nothing new."""
        if self.deadline is None or self.status not in OPEN_WITH_DEADLINE:
            return
        if self.overdue_since is None:
            if today <= self.deadline:
                return
            self._overdue(deadline=self.deadline, overdue_since=self.deadline + timedelta(days=1))
        days = (today - self.deadline).days
        due = rules.due_level(days)
        for level in range(self.escalation + 1, due + 1):
            self._escalated(level=level, days_overdue=days)

    @event(BecameOverdue)
    def _overdue(self, deadline: date, overdue_since: date) -> None:
        self.overdue_since = overdue_since

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

    @event(ListingLifted)
    def _lifted(self, reason: str) -> None:
        self.listing = None
