"""Request and response bodies of the hazards API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from hazards.domain.vocabulary import Category, Grade, ListingLevel, RejectionReason, Source
from pingan.api.accepted import Accepted as Accepted
from pingan.api.commands import Command
from pingan.reference import TownshipName, VillageName

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Rating = Annotated[int, Field(ge=1, le=5)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{4,19}$")]
Sha256 = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[0-9a-fA-F]{64}$"),
    Field(description="The SHA-256 of an uploaded file (POST /hazards/evidence)"),
]
EVIDENCE = (
    "Uploaded files (photos, PDFs) by the sha256 that POST /hazards/evidence answered; "
    "each must have been uploaded"
)
IdNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9]{17}[0-9X]$")
]


class Stated(Command):
    """A command stating a fact, dated by the user: today unless given."""

    business_date: date | None = Field(
        default=None,
        description="业务日期: when it happened (found, held, decided), today unless given; "
        "not in the future, nor before the latest fact already recorded on the record",
    )


class ReportHazard(Stated):
    title: LongText
    category: Category
    source: Source = Field(
        description="self_check 自查, inspection 排查, public_report 举报, grid_worker 网格员"
    )
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    address: LongText
    reporter: Text = Field(description="举报人姓名: the reporter's name, sealed when recorded")
    reporter_phone: Phone | None = Field(
        default=None, description="举报人电话, sealed; finds the same person again"
    )
    reporter_id_number: IdNumber | None = Field(
        default=None, description="举报人身份证号, sealed; finds the same person again"
    )
    anonymous: bool = Field(
        default=False, description="匿名举报: known to the district office only"
    )
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    key_area_id: UUID | None = None
    unit_id: Text | None = Field(default=None, description="The creation unit it lies in (scoring)")


class RejectHazard(Stated):
    reason: RejectionReason
    explanation: LongText
    duplicate_of: UUID | None = None


class FileHazard(Stated):
    category: Category
    grade: Grade = Field(description="general (一般) or major (重大)")
    file_number: Text
    likelihood: Rating = Field(description="1-5 on the risk matrix")
    severity: Rating = Field(description="1-5 on the risk matrix")


class PlanRectification(Stated):
    """A major hazard needs all five of 五落实: person, measures, funds, deadline, contingency."""

    measures: LongText
    deadline: date
    responsible_person: Text | None = None
    funds_yuan: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    contingency_plan: LongText | None = None


class AssignResponsibility(Stated):
    responsible_unit: Text
    responsible_person: Text


class ScheduleRectification(Stated):
    batch: Text = Field(description="The rectification batch or phase, e.g. 2026 第二批")
    starts_on: date


class RecordInterimControl(Stated):
    measure: LongText


class ReportRectification(Stated):
    summary: LongText
    evidence: list[Sha256] = Field(default_factory=list, max_length=100, description=EVIDENCE)
    on_the_spot: bool = Field(
        default=False, description="A general hazard fixed where found (立查立改)"
    )


class VerifyRectification(Command):
    inspector: Text
    verified_on: date
    passed: bool
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    evidence: list[Sha256] = Field(default_factory=list, max_length=100, description=EVIDENCE)


class CloseHazard(Stated):
    closed_by: Text


class RequestExtension(Stated):
    requested_deadline: date
    reason: LongText


class DecideExtension(Stated):
    approve: bool
    approver: Text
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class ListForSupervision(Stated):
    supervising_unit: Text
    level: ListingLevel
    listed_by: Text


class DeadlineRulesBody(Command):
    reminder_after_days: int = Field(ge=1, le=365)
    supervision_letter_after_days: int = Field(ge=1, le=365)
    public_notice_after_days: int = Field(ge=1, le=365)
    extension_lead_days: int = Field(ge=0, le=365)
