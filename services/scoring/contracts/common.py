"""What every scoring contract shares."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from pingan.bus.contracts import IntegrationEvent

BUSINESS_DATE = Field(
    default=None,
    description="业务日期: when the fact happened, as the user stated it (occurred_at is when "
    "it was recorded)",
)


class ScoringEvent(IntegrationEvent):
    occurred_at: datetime
    business_date: date | None = BUSINESS_DATE
