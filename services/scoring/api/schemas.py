"""Request bodies of the scoring API, and the pieces they share."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from pingan.api.commands import Command
from pingan.reference import TownshipName, VillageName
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import Meeting, Opinion
from scoring.domain.unit import FollowUpForm

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Points = Annotated[int, Field(ge=0, le=1000)]
Households = Annotated[int, Field(ge=0, le=1_000_000)]


class RegisterUnit(Command):
    kind: UnitKind = Field(description="The kind of creation unit (创建单位类别)")
    name: Text = Field(description="Its name, e.g. 莲亭社区 or 秦州区第一中学")
    township: TownshipName | None = Field(
        default=None, description="Its township or street (乡镇/街道); none for the district"
    )
    village: VillageName | None = Field(
        default=None,
        description="Its village or community (村/社区); required for a village or community",
    )
    parent_id: UUID | None = Field(
        default=None,
        description="The unit that contains it; by default the unit of its village or "
        "community, else of its township (district for a township or street)",
    )
    address: Text = Field(default="-", description="Its address")
    registered_by: Text = Field(description="Who registers it (登记人)")
    registered_on: date | None = Field(
        default=None, description="业务日期: the day it was registered, today unless given"
    )


class ApplyForTitle(Command):
    standard: Code = Field(
        description="The standard applied under: its id (the current version) or id@version"
    )
    level: int = Field(default=1, ge=1, le=10, description="The level applied for (升级达标)")
    applied_on: date | None = Field(default=None, description="申报日期, today unless given")


class SurveyBody(Command):
    households: Households = Field(description="入户调查: households asked (the sample size)")
    feel_safe: Households = Field(description="Households that feel safe (群众安全感)")
    satisfied: Households = Field(description="Households satisfied with the work (满意度)")

    @model_validator(mode="after")
    def _within(self) -> SurveyBody:
        if self.feel_safe > self.households or self.satisfied > self.households:
            raise ValueError("a survey count cannot exceed the households asked")
        return self


class OpinionBody(Command):
    respondents: Households = Field(description="民意测评: how many took part")
    in_favour: Households = Field(description="How many are in favour (满意、赞成)")

    @model_validator(mode="after")
    def _within(self) -> OpinionBody:
        if self.in_favour > self.respondents:
            raise ValueError("those in favour cannot exceed those taking part")
        return self

    def to_domain(self) -> Opinion:
        return Opinion(self.respondents, self.in_favour)


class MeetingBody(Command):
    held_on: date = Field(description="村(居)民代表会议: the day it was held")
    representatives: Annotated[int, Field(ge=1, le=100_000)] = Field(
        description="Its members (代表人数)"
    )
    attending: Households = Field(description="Members attending (到会人数)")
    votes_for: Households = Field(description="Votes for the result (赞成票)")

    @model_validator(mode="after")
    def _within(self) -> MeetingBody:
        if not self.votes_for <= self.attending <= self.representatives:
            raise ValueError(
                "votes for are at most those attending, and those attending at most the members"
            )
        return self

    def to_domain(self) -> Meeting:
        return Meeting(self.held_on, self.representatives, self.attending, self.votes_for)


class AssessUnit(Command):
    scores: dict[Code, Points] = Field(
        description="Points per criterion code of the standard (GET /standards lists them)"
    )
    deductions: dict[Code, Annotated[int, Field(ge=1, le=100)]] = Field(
        default_factory=dict, description="How many times each deduction rule applies"
    )
    vetoes: list[Code] = Field(
        default_factory=list, description="Veto items found (一票否决): any one vetoes"
    )
    survey: SurveyBody | None = Field(
        default=None, description="The household survey, where the standard asks for one"
    )
    opinion: OpinionBody | None = Field(
        default=None, description="The public-opinion evaluation (民意测评), where asked for"
    )
    meeting: MeetingBody | None = Field(
        default=None, description="The representative meeting (代表会议), where asked for"
    )
    assessors: list[Text] = Field(min_length=1, description="Who assessed (考评人员)")
    assessed_on: date | None = Field(default=None, description="考评日期, today unless given")


class UpgradeUnit(AssessUnit):
    level: int = Field(ge=2, le=10, description="The higher level assessed for (升级达标)")


class FollowUpUnit(Command):
    form: FollowUpForm = Field(
        description="household_survey (入户调查), opinion_poll (民意测评), "
        "representative_meeting (村(居)民代表会) or visit (走访)"
    )
    findings: LongText = Field(description="What the visit found (回访情况)")
    visitors: list[Text] = Field(min_length=1, description="Who visited (回访人员)")
    visited_on: date | None = Field(default=None, description="回访日期, today unless given")
    survey: SurveyBody | None = Field(default=None, description="A household_survey's figures")
    opinion: OpinionBody | None = Field(default=None, description="An opinion_poll's figures")
    meeting: MeetingBody | None = Field(default=None, description="A meeting's figures")


class PubliciseResult(Command):
    starts_on: date | None = Field(default=None, description="公示开始日期, today unless given")


class LodgeObjection(Command):
    objection: LongText = Field(description="What the objection says (异议内容)")
    lodged_on: date | None = Field(default=None, description="The day it was lodged")


class SettleObjection(Command):
    number: int = Field(ge=1, description="The objection's number on the unit")
    upheld: bool = Field(description="Whether the objection is upheld: then the unit fails")
    reason: LongText = Field(description="Why (处理意见)")
    settled_on: date | None = Field(default=None, description="The day it was settled")


class ConferTitle(Command):
    named_on: date | None = Field(
        default=None, description="命名日期: after the notice period, today unless given"
    )


class ReinspectUnit(Command):
    passed: bool = Field(description="复查结果: a fail revokes the title")
    findings: LongText = Field(description="What the re-inspection found")
    inspected_on: date | None = Field(default=None, description="复查日期, today unless given")


class RevokeTitle(Command):
    reason: LongText = Field(description="Why the title is revoked (摘牌原因)")
    revoked_on: date | None = Field(default=None, description="摘牌日期, today unless given")
