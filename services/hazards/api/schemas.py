"""Request and response bodies of the hazards API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from hazards.domain.policy import DISTRICT_LISTING_UNIT
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
    title: LongText = Field(description="What the hazard is, in a line")
    category: Category = Field(description="What kind of hazard (see Categories)")
    source: Source = Field(
        description="self_check 自查, inspection 排查, public_report 举报, grid_worker 网格员"
    )
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    address: LongText = Field(description="Where it is, within the village")
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
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = Field(
        default="", description="More detail, if any"
    )
    key_area_id: UUID | None = Field(
        default=None, description="The key area (重点整治区域) it lies in, if any"
    )
    unit_id: Text | None = Field(default=None, description="The creation unit it lies in (scoring)")


class RejectHazard(Stated):
    reason: RejectionReason = Field(description="duplicate (重复上报) or not_a_hazard (不属于隐患)")
    explanation: LongText = Field(description="Why, in words")
    duplicate_of: UUID | None = Field(
        default=None, description="The hazard this one duplicates; only with reason duplicate"
    )


class FileHazard(Stated):
    category: Category = Field(description="The category as filed (may correct the report's)")
    grade: Grade = Field(description="general (一般) or major (重大)")
    file_number: Text | None = Field(
        default=None,
        description="档案编号, unique in the district; left out, the next of the office's "
        "series for the filing's year is issued (QZ-2026-0042)",
    )
    likelihood: Rating = Field(description="1-5 on the risk matrix")
    severity: Rating = Field(description="1-5 on the risk matrix")
    grade_reason: LongText | None = Field(
        default=None,
        description="定级理由: required for a general hazard that the matrix rates red",
    )
    determination_basis: LongText | None = Field(
        default=None,
        description="判定依据: the standard a major hazard was judged by, with its clause, "
        "e.g. 《工贸行业重大生产安全事故隐患判定标准》第四条; required for a major hazard",
    )


class PlanRectification(Stated):
    """A major hazard needs all five of 五落实: person, measures, funds, deadline, contingency."""

    measures: LongText = Field(description="The rectification measures (整改措施)")
    deadline: date = Field(description="The rectification deadline (整改期限), a local date")
    responsible_person: Text | None = Field(
        default=None, description="Who answers for it (责任人); required for a major hazard"
    )
    funds_yuan: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="Funds set aside, in yuan (整改资金); required for a major hazard",
    )
    contingency_plan: LongText | None = Field(
        default=None, description="The contingency plan (应急预案); required for a major hazard"
    )


class AssignResponsibility(Stated):
    responsible_unit: Text = Field(description="The unit responsible (责任单位)")
    responsible_person: Text = Field(description="The person responsible (责任人)")


class ScheduleRectification(Stated):
    batch: Text = Field(description="The rectification batch or phase, e.g. 2026 第二批")
    starts_on: date = Field(description="When the batch starts, a local date")


class StartRectification(Stated):
    """Nothing but, for a ledger brought in, the day it started."""


class RecordInterimControl(Stated):
    measure: LongText = Field(description="The interim control measure (临时管控措施)")


class ReportRectification(Stated):
    summary: LongText = Field(description="What was done")
    evidence: list[Sha256] = Field(default_factory=list, max_length=100, description=EVIDENCE)
    on_the_spot: bool = Field(
        default=False, description="A general hazard fixed where found (立查立改)"
    )


class VerifyRectification(Command):
    inspector: Text = Field(
        description="Who verified (验收人); not who reported the hazard or the rectification"
    )
    verified_on: date = Field(description="The day of the verification, not after today")
    passed: bool = Field(description="Whether the rectification passed")
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = Field(
        default="", description="Remarks; the reason when it failed"
    )
    evidence: list[Sha256] = Field(default_factory=list, max_length=100, description=EVIDENCE)


class CloseHazard(Stated):
    closed_by: Text = Field(description="Who closes it (销号)")


class RequestExtension(Stated):
    requested_deadline: date = Field(
        description="The new deadline asked for, later than the current one"
    )
    reason: LongText = Field(description="Why more time is needed")


class DecideExtension(Stated):
    approve: bool = Field(description="Whether the extension is granted")
    approver: Text = Field(description="Who decides")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = Field(
        default="", description="Why; required when refused"
    )


class ListForSupervision(Stated):
    supervising_unit: Text = Field(description="The unit that supervises (督办单位)")
    level: ListingLevel
    listed_by: Text = Field(description="Who lists it")


class RaiseListing(Stated):
    level: ListingLevel = Field(description="city 市级 or province 省级, above the current level")
    supervising_unit: Text = Field(description="The unit that supervises at that level")
    reason: LongText = Field(description="Why it is raised (提级理由)")
    raised_by: Text = Field(description="Who raises it")


class LiftListing(Stated):
    reason: LongText = Field(description="摘牌理由, e.g. the verification passed")
    lifted_by: Text = Field(description="Who lifts it")


class ReportToRegulator(Stated):
    """Dated by `business_date`: the day the report was made."""

    regulator: Text = Field(description="报告的监管部门, e.g. 区应急管理局")
    reference: Text | None = Field(default=None, description="报告文号")


class OrderSuspension(Stated):
    ordered_by: Text = Field(description="责令停产停业的部门")
    scope: LongText = Field(description="停产停业的范围: the whole unit, a workshop, a line...")


class AssessForResumption(Stated):
    experts: Text = Field(description="评估专家或评估机构")
    passed: bool = Field(description="Whether production or business may resume")
    opinion: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = Field(
        default="", description="评估意见; the reason, if not passed"
    )


class LiftSuspension(Stated):
    lifted_by: Text = Field(description="同意恢复生产经营的部门")


class DeadlineRulesBody(Command):
    reminder_after_days: int = Field(
        ge=1, le=365, description="Days overdue before a reminder (提醒)"
    )
    supervision_letter_after_days: int = Field(
        ge=1, le=365, description="Days overdue before a supervision letter (督办函)"
    )
    public_notice_after_days: int = Field(
        ge=1, le=365, description="Days overdue before a public notice (通报)"
    )
    extension_lead_days: int = Field(
        ge=0,
        le=365,
        description="An extension is asked for at least this many days before the deadline",
    )
    approaching_days: int = Field(
        default=3, ge=0, le=365, description="临期提醒: days before the deadline; 0 for none"
    )
    list_overdue_major: bool = Field(
        default=False, description="The deadline check lists an overdue major hazard itself"
    )
    listing_unit: Text = Field(
        default=DISTRICT_LISTING_UNIT, description="Who lists when the deadline check does it"
    )
    lift_listing_at_closure: bool = Field(
        default=False,
        description="Closing a listed hazard lifts its listing; else it is lifted by its own act",
    )


class IssueQuarterlyReport(Command):
    reason: LongText | None = Field(
        default=None, description="Why it is issued again; required for a reissue"
    )
