"""What every campaigns contract shares."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from campaigns.domain.measures import SeizureType
from pingan.bus.contracts import IntegrationEvent

BUSINESS_DATE = Field(
    default=None,
    description="业务日期: when the fact happened, as the user stated it (occurred_at is when "
    "it was recorded)",
)
UNIT_ID = Field(
    default=None,
    description="The creation unit (scoring's unit id) it happened in, if known.",
)


class CampaignsEvent(IntegrationEvent):
    occurred_at: datetime
    business_date: date | None = BUSINESS_DATE


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SeizureItem(Part):
    """One typed quantity: drugs in grams (by drug), guns in pieces, ammunition in rounds,
    explosives in kg, counterfeit goods and fraud money recovered in yuan."""

    type: SeizureType
    quantity: Decimal = Field(gt=0)
    drug: str | None = Field(default=None, description="The drug, for a drug seizure only")


class Targets(Part):
    """A campaign's targets; a target left out is null. `clearance_rate` is a percentage."""

    cases_solved: int | None = None
    clearance_rate: Decimal | None = None
    arrests: int | None = None
    gangs: int | None = None
    seizures: dict[SeizureType, Decimal] = Field(
        default_factory=dict, description="Per seizure type, in that type's unit"
    )
