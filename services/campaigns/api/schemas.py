"""Request bodies of the campaigns API, and the pieces they share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

from campaigns.domain.measures import Seizure, SeizureType, Targets
from pingan.api.commands import Command

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Positive = Annotated[int, Field(ge=1, le=1_000_000)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=3)]
Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
KindName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(description="A kind's code, name or alias (GET /kinds lists them)"),
]


class Stated(Command):
    """A command stating a fact, dated by the user: today unless given."""

    business_date: date | None = Field(
        default=None,
        description="业务日期: when it happened, today unless given; not in the future, nor "
        "before the latest fact already recorded on the record",
    )


class TargetsBody(Command):
    """目标任务; a target left out is not set. Case targets are criminal-case targets."""

    cases_solved: Count | None = Field(default=None, description="破案数 (criminal)")
    clearance_rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=1)] | None = Field(
        default=None, description="破案率, per cent (criminal, UCR)"
    )
    arrests: Count | None = Field(default=None, description="抓获犯罪嫌疑人")
    gangs: Count | None = Field(default=None, description="打掉团伙")
    seizures: dict[SeizureType, Quantity] = Field(
        default_factory=dict,
        max_length=len(SeizureType),
        description="缴获 per type: drugs g, guns pieces, ammunition rounds, explosives kg, "
        "counterfeit_goods and fraud_money_recovered yuan",
    )

    def targets(self) -> Targets:
        return Targets(
            cases_solved=self.cases_solved,
            clearance_rate=self.clearance_rate,
            arrests=self.arrests,
            gangs=self.gangs,
            seizures=dict(self.seizures),
        )


class SeizureBody(Command):
    type: SeizureType = Field(
        description="drugs (g), guns (pieces), ammunition (rounds), explosives (kg), "
        "counterfeit_goods (yuan), fraud_money_recovered (yuan)"
    )
    quantity: Quantity = Field(description="How much, in the unit of its type")
    drug: Text | None = Field(default=None, description="The drug (海洛因, 冰毒...), drugs only")

    def seizure(self) -> Seizure:
        return Seizure(self.type, self.quantity, self.drug)
