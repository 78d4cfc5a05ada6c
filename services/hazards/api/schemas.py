"""Request and response bodies of the hazards API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from hazards.domain.vocabulary import (
    Category,
    Colour,
    Grade,
    HazardStatus,
    ListingLevel,
    RejectionReason,
    Source,
)
from pingan.api.commands import Command
from pingan.reference import TownshipName, VillageName
from pingan.write.application import Recorded

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Rating = Annotated[int, Field(ge=1, le=5)]


class ReportHazard(Command):
    title: LongText
    category: Category
    source: Source = Field(
        description="self_check 自查, inspection 排查, public_report 举报, grid_worker 网格员"
    )
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    address: LongText
    reporter: Text
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    key_area_id: UUID | None = None
    unit_id: Text | None = Field(default=None, description="The creation unit it lies in (scoring)")


class RejectHazard(Command):
    reason: RejectionReason
    explanation: LongText
    duplicate_of: UUID | None = None


class FileHazard(Command):
    category: Category
    grade: Grade = Field(description="general (一般) or major (重大)")
    file_number: Text
    likelihood: Rating = Field(description="1-5 on the risk matrix")
    severity: Rating = Field(description="1-5 on the risk matrix")


class PlanRectification(Command):
    """A major hazard needs all five of 五落实: person, measures, funds, deadline, contingency."""

    measures: LongText
    deadline: date
    responsible_person: Text | None = None
    funds_yuan: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    contingency_plan: LongText | None = None


class AssignResponsibility(Command):
    responsible_unit: Text
    responsible_person: Text


class ScheduleRectification(Command):
    batch: Text = Field(description="The rectification batch or phase, e.g. 2026 第二批")
    starts_on: date


class RecordInterimControl(Command):
    measure: LongText


class ReportRectification(Command):
    summary: LongText
    evidence: list[Text] = Field(
        default_factory=list, max_length=100, description="References to photos, documents, reports"
    )
    on_the_spot: bool = Field(
        default=False, description="A general hazard fixed where found (立查立改)"
    )


class VerifyRectification(Command):
    inspector: Text
    verified_on: date
    passed: bool
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class CloseHazard(Command):
    closed_by: Text


class RequestExtension(Command):
    requested_deadline: date
    reason: LongText


class DecideExtension(Command):
    approve: bool
    approver: Text
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class ListForSupervision(Command):
    supervising_unit: Text
    level: ListingLevel
    listed_by: Text


class DeadlineRulesBody(Command):
    reminder_after_days: int = Field(ge=1, le=365)
    supervision_letter_after_days: int = Field(ge=1, le=365)
    public_notice_after_days: int = Field(ge=1, le=365)
    extension_lead_days: int = Field(ge=0, le=365)


class Accepted(BaseModel):
    id: UUID
    position: int = Field(description="Pass as min_position to read your own write.")

    @classmethod
    def of(cls, recorded: Recorded) -> Accepted:
        return cls(id=recorded.id, position=recorded.position)


class HazardView(BaseModel):
    id: UUID
    title: str
    category: Category
    source: Source
    township: str
    village: str
    address: str
    reporter: str
    description: str
    key_area_id: UUID | None
    round_id: UUID | None
    unit_id: str | None
    status: HazardStatus
    grade: Grade | None
    colour: Colour | None
    likelihood: int | None
    severity: int | None
    file_number: str | None
    rejection_reason: RejectionReason | None
    measures: str | None
    deadline: date | None
    responsible_unit: str | None
    responsible_person: str | None
    batch: str | None
    interim_controls: int
    failed_verifications: int
    on_books: bool = Field(description="Failed verification at least once (挂账)")
    pending_extension: date | None
    extensions_granted: int
    overdue: bool
    overdue_since: date | None
    escalation_level: int
    listing_level: ListingLevel | None
    supervising_unit: str | None
    on_time: bool | None
    reported_at: datetime
    filed_at: datetime | None
    verified_on: date | None
    closed_at: datetime | None
    days_open: int
    days_to_deadline: int | None
    days_overdue: int | None
    position: int


class HazardPage(BaseModel):
    items: list[HazardView]
    total: int
    limit: int
    offset: int


class HistoryEntry(BaseModel):
    version: int
    event: str
    at: datetime
    actor: str | None
    correlation_id: str | None
    causation_id: str | None
    data: dict[str, Any]


class HazardHistory(BaseModel):
    id: UUID
    entries: list[HistoryEntry]
