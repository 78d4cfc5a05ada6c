"""The hazard events the hazards service publishes (subjects `hazards.hazard.<event>`).

`on_time` changed meaning: from version 2 of the verified and closed events it is judged
against the deadline in force when the hazard became overdue (`missed_deadline`), which an
extension approved later does not erase; version 1 judged it against the deadline at
verification. The relay publishes version 2; version 1 stays here, with its schema, so that
the messages already in the stream stay readable.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import (
    Category,
    Colour,
    Grade,
    ListingLevel,
    RejectionReason,
    Source,
)
from pingan.bus.contracts import IntegrationEvent, translator

SEALED = (
    "{what}, sealed under the person's own key (pd1:<algorithm>:<person>:<key version>:...); "
    "unreadable once the person is forgotten"
)


class HazardEvent(IntegrationEvent):
    hazard_id: UUID
    occurred_at: datetime
    business_date: date | None = Field(
        default=None,
        description="业务日期: when the fact happened, as the user stated it (occurred_at is "
        "when it was recorded)",
    )


class HazardReportedV1(HazardEvent):
    """A hazard was reported and entered the ledger. `unit_id` names the creation unit
    (see scoring) it lies in, when known."""

    event_type = "pingan.hazards.hazard.reported.v1"
    subject = "hazards.hazard.reported"

    title: str
    category: Category
    source: Source
    township: str
    village: str
    address: str
    reporter: str = Field(description=SEALED.format(what="The reporter's name"))
    description: str = ""
    key_area_id: UUID | None = None
    round_id: UUID | None = None
    unit_id: str | None = None
    reporter_person_id: UUID | None = Field(
        default=None, description="The reporter as a person of the people registry"
    )
    reporter_phone: str | None = Field(
        default=None, description=SEALED.format(what="The reporter's phone")
    )
    reporter_id_number: str | None = Field(
        default=None, description=SEALED.format(what="The reporter's identity number")
    )
    reporter_anonymous: bool = Field(
        default=False, description="The reporter asked to be known to the district office only"
    )


class HazardRejectedV1(HazardEvent):
    """The report was refused: a duplicate of another hazard, or not a hazard."""

    event_type = "pingan.hazards.hazard.rejected.v1"
    subject = "hazards.hazard.rejected"

    reason: RejectionReason
    explanation: str
    duplicate_of: UUID | None = None


class HazardFiledV1(HazardEvent):
    """The hazard was classified, graded, rated on the 5x5 risk matrix and filed (分类建档)."""

    event_type = "pingan.hazards.hazard.filed.v1"
    subject = "hazards.hazard.filed"

    category: Category
    grade: Grade
    file_number: str
    likelihood: int
    severity: int
    colour: Colour
    grade_reason: str | None = Field(
        default=None, description="定级理由: why a general hazard rated red is graded general"
    )
    determination_basis: str | None = Field(
        default=None, description="判定依据: the standard a major hazard was judged by"
    )


class RectificationPlannedV1(HazardEvent):
    """The rectification plan (方案): measures, deadline and, for a major hazard, all of 五落实."""

    event_type = "pingan.hazards.hazard.planned.v1"
    subject = "hazards.hazard.planned"

    measures: str
    deadline: date
    responsible_person: str | None = None
    funds_yuan: Decimal | None = None
    contingency_plan: str | None = None


class ResponsibilityAssignedV1(HazardEvent):
    """The unit and person responsible for the rectification (落实责任)."""

    event_type = "pingan.hazards.hazard.responsibility_assigned.v1"
    subject = "hazards.hazard.responsibility_assigned"

    responsible_unit: str
    responsible_person: str


class RectificationScheduledV1(HazardEvent):
    """The hazard was put in a rectification batch (分期分批)."""

    event_type = "pingan.hazards.hazard.scheduled.v1"
    subject = "hazards.hazard.scheduled"

    batch: str
    starts_on: date


class RectificationStartedV1(HazardEvent):
    event_type = "pingan.hazards.hazard.rectification_started.v1"
    subject = "hazards.hazard.rectification_started"


class InterimControlRecordedV1(HazardEvent):
    """A control that keeps the hazard in check until it is fixed."""

    event_type = "pingan.hazards.hazard.interim_control_recorded.v1"
    subject = "hazards.hazard.interim_control_recorded"

    measure: str


class EvidenceFile(BaseModel):
    """A file of evidence, kept by the hazards service and served at
    `GET /api/hazards/hazards/evidence/{sha256}`. Evidence recorded before files were
    stored is a free-text reference: only `name`, the rest null."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha256: str | None = Field(description="SHA-256 of the content, lower-case hex")
    size: int | None = Field(description="Bytes")
    media_type: str | None = Field(
        description="image/jpeg, image/png, image/heic, image/heif, image/webp or "
        "application/pdf, as told from the content"
    )
    name: str = Field(description="The file's name as uploaded")


# v1 of the next three is retired (see RETIRED): their docstrings stay as published.
class RectificationReportedV1(HazardEvent):
    """The rectification was reported done (on the spot, for a general hazard), with evidence."""

    event_type = "pingan.hazards.hazard.rectification_reported.v1"
    subject = "hazards.hazard.rectification_reported"

    summary: str
    evidence: list[str]
    on_the_spot: bool


class RectificationReportedV2(HazardEvent):
    """The rectification was reported done (on the spot, for a general hazard), with its
    evidence files."""

    event_type = "pingan.hazards.hazard.rectification_reported.v2"
    subject = "hazards.hazard.rectification_reported"

    summary: str
    evidence: list[EvidenceFile]
    on_the_spot: bool


# Superseded by v2 (on_time judged against the deadline missed) and no longer published.
class RectificationVerifiedV1(HazardEvent):
    """The rectification passed verification (验收); `on_time` if by the deadline."""

    event_type = "pingan.hazards.hazard.rectification_verified.v1"
    subject = "hazards.hazard.rectification_verified"

    inspector: str
    verified_on: date
    notes: str
    on_time: bool


ON_TIME_V2 = (
    "Verified by the deadline in force when the hazard became overdue (the first it missed), "
    "else by its deadline; an extension approved after the deadline does not make it on time"
)


class RectificationVerifiedV2(HazardEvent):
    """The rectification passed verification (验收), judged against the deadline it had to meet."""

    event_type = "pingan.hazards.hazard.rectification_verified.v2"
    subject = "hazards.hazard.rectification_verified"

    inspector: str
    verified_on: date
    notes: str
    on_time: bool = Field(description=ON_TIME_V2)
    judged_against: date | None = Field(
        default=None,
        description="The deadline on_time was judged against; none for a hazard fixed on the "
        "spot, or recorded before this version",
    )
    evidence: list[EvidenceFile] = Field(
        default_factory=list, description="The inspection's evidence files, if any"
    )


class VerificationFailedV1(HazardEvent):
    """The rectification failed verification (验收不合格) and was returned for rectification
    (退回整改): back to rectifying, or to filed (to be planned) when it had been fixed on the
    spot. The hazard stays on the ledger (挂账) until it is struck off."""

    event_type = "pingan.hazards.hazard.verification_failed.v1"
    subject = "hazards.hazard.verification_failed"

    inspector: str
    verified_on: date
    reason: str
    back_to: str = Field(
        default="rectifying", description="rectifying, or filed for a hazard that had no plan"
    )


class VerificationFailedV2(VerificationFailedV1):
    """The rectification failed verification (with the inspection's evidence files)."""

    event_type = "pingan.hazards.hazard.verification_failed.v2"

    evidence: list[EvidenceFile] = Field(default_factory=list)


# Superseded by v2 (on_time judged against the deadline missed) and no longer published.
class HazardClosedV1(HazardEvent):
    """The hazard was struck off the ledger (销号). Carries what a consumer needs to count
    closures per township without tracking the hazard: township, grade, category, and
    whether it was verified by its deadline."""

    event_type = "pingan.hazards.hazard.closed.v1"
    subject = "hazards.hazard.closed"

    closed_by: str
    township: str
    village: str
    category: Category
    grade: Grade
    on_time: bool
    unit_id: str | None = None


class HazardClosedV2(HazardEvent):
    """The hazard was struck off the books (销号). Carries what a consumer needs to count
    closures per township without tracking the hazard: township, grade, category, and
    whether it was on time against the deadline it had to meet."""

    event_type = "pingan.hazards.hazard.closed.v2"
    subject = "hazards.hazard.closed"

    closed_by: str
    township: str
    village: str
    category: Category
    grade: Grade
    on_time: bool = Field(description=ON_TIME_V2)
    missed_deadline: date | None = Field(
        default=None, description="The first deadline the hazard missed (went overdue on)"
    )
    unit_id: str | None = None


class ExtensionRequestedV1(HazardEvent):
    event_type = "pingan.hazards.hazard.extension_requested.v1"
    subject = "hazards.hazard.extension_requested"

    requested_deadline: date
    reason: str
    requested_on: date


class ExtensionApprovedV1(HazardEvent):
    """The requested deadline became the deadline; an overdue mark is lifted with it."""

    event_type = "pingan.hazards.hazard.extension_approved.v1"
    subject = "hazards.hazard.extension_approved"

    approver: str
    new_deadline: date


class ExtensionRejectedV1(HazardEvent):
    event_type = "pingan.hazards.hazard.extension_rejected.v1"
    subject = "hazards.hazard.extension_rejected"

    approver: str
    reason: str


class DeadlineApproachingV1(HazardEvent):
    """临期提醒: the deadline is `days_left` days away (0 on the day itself); recorded once
    per deadline, within the office's `approaching_days`."""

    event_type = "pingan.hazards.hazard.deadline_approaching.v1"
    subject = "hazards.hazard.deadline_approaching"

    deadline: date
    days_left: int


class HazardBecameOverdueV1(HazardEvent):
    """The deadline passed before verification; recorded once per hazard."""

    event_type = "pingan.hazards.hazard.became_overdue.v1"
    subject = "hazards.hazard.became_overdue"

    deadline: date
    overdue_since: date


class HazardEscalatedV1(HazardEvent):
    """The overdue hazard climbed the ladder: 1 reminder, 2 supervision letter (督办函),
    3 public notice (通报)."""

    event_type = "pingan.hazards.hazard.escalated.v1"
    subject = "hazards.hazard.escalated"

    level: int
    days_overdue: int


class HazardListedForSupervisionV1(HazardEvent):
    """The hazard was put under supervised listing (挂牌督办)."""

    event_type = "pingan.hazards.hazard.listed_for_supervision.v1"
    subject = "hazards.hazard.listed_for_supervision"

    supervising_unit: str
    level: ListingLevel
    listed_by: str


class HazardListingRaisedV1(HazardEvent):
    """The supervised listing was raised from `from_level` to `level` (city or province)."""

    event_type = "pingan.hazards.hazard.listing_raised.v1"
    subject = "hazards.hazard.listing_raised"

    from_level: ListingLevel
    level: ListingLevel
    supervising_unit: str
    reason: str
    raised_by: str


class HazardListingLiftedV1(HazardEvent):
    """The supervised listing was lifted (摘牌): by its own act after verification, or with
    the closure (`reason` "closed") when the office's rules say so."""

    event_type = "pingan.hazards.hazard.listing_lifted.v1"
    subject = "hazards.hazard.listing_lifted"

    reason: str
    lifted_by: str | None = None


class MajorHazardReportedToRegulatorV1(HazardEvent):
    """The major hazard was reported to the body that supervises it, on `business_date`."""

    event_type = "pingan.hazards.hazard.reported_to_regulator.v1"
    subject = "hazards.hazard.reported_to_regulator"

    regulator: str
    reference: str | None = None


class SuspensionOrderedV1(HazardEvent):
    """Production or business was ordered to stop (停产停业) while the hazard is rectified."""

    event_type = "pingan.hazards.hazard.suspension_ordered.v1"
    subject = "hazards.hazard.suspension_ordered"

    ordered_by: str
    scope: str


class ResumptionAssessedV1(HazardEvent):
    """An expert assessment (专家评估) of whether production or business may resume."""

    event_type = "pingan.hazards.hazard.resumption_assessed.v1"
    subject = "hazards.hazard.resumption_assessed"

    experts: str
    passed: bool
    opinion: str


class SuspensionLiftedV1(HazardEvent):
    """Production or business may resume (复产复业), after a passed assessment."""

    event_type = "pingan.hazards.hazard.suspension_lifted.v1"
    subject = "hazards.hazard.suspension_lifted"

    lifted_by: str


PUBLISHED: dict[type[Any], type[HazardEvent]] = {
    Hazard.Reported: HazardReportedV1,
    Hazard.Rejected: HazardRejectedV1,
    Hazard.Filed: HazardFiledV1,
    Hazard.Planned: RectificationPlannedV1,
    Hazard.ResponsibilityAssigned: ResponsibilityAssignedV1,
    Hazard.Scheduled: RectificationScheduledV1,
    Hazard.RectificationStarted: RectificationStartedV1,
    Hazard.InterimControlRecorded: InterimControlRecordedV1,
    Hazard.RectificationReported: RectificationReportedV2,
    Hazard.VerificationPassed: RectificationVerifiedV2,
    Hazard.VerificationFailed: VerificationFailedV2,
    Hazard.Closed: HazardClosedV2,
    Hazard.ExtensionRequested: ExtensionRequestedV1,
    Hazard.ExtensionApproved: ExtensionApprovedV1,
    Hazard.ExtensionRejected: ExtensionRejectedV1,
    Hazard.DeadlineApproaching: DeadlineApproachingV1,
    Hazard.BecameOverdue: HazardBecameOverdueV1,
    Hazard.Escalated: HazardEscalatedV1,
    Hazard.ListedForSupervision: HazardListedForSupervisionV1,
    Hazard.ListingRaised: HazardListingRaisedV1,
    Hazard.ListingLifted: HazardListingLiftedV1,
    Hazard.ReportedToRegulator: MajorHazardReportedToRegulatorV1,
    Hazard.SuspensionOrdered: SuspensionOrderedV1,
    Hazard.ResumptionAssessed: ResumptionAssessedV1,
    Hazard.SuspensionLifted: SuspensionLiftedV1,
}
#: Versions no longer published, kept (with their schemas) for the messages of the past.
SUPERSEDED: tuple[type[HazardEvent], ...] = (
    RectificationReportedV1,
    RectificationVerifiedV1,
    VerificationFailedV1,
    HazardClosedV1,
)

CONTRACTS: tuple[type[IntegrationEvent], ...] = (*PUBLISHED.values(), *SUPERSEDED)
translate = translator(PUBLISHED, "hazard_id")
