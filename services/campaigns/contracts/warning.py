"""The early-warning events the campaigns service publishes (subjects
`campaigns.warning.<event>`).

A warning (治安预警) is raised at most once per series and month: `area` is a township or
`全区` (the district), `kind` a case kind's code or, for a total, the category (`criminal`,
`public_order`); `level` says which (`cell`, `township`, `district`). `month` is the business
month of the cases counted (their 立案/受理 date). `count` is the month's count when the
warning was raised (cases counted so far, plus any past figure loaded), `baseline` what the
rule expected, `score` = 2(sqrt(count) - sqrt(baseline)) against `z`. For `scoring`, a township's
warnings are evidence of its public order; what was done is in the response events.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field

from campaigns.contracts.common import CampaignsEvent
from campaigns.domain.warning import EarlyWarning, WarningLevel
from pingan.bus.contracts import IntegrationEvent, translator

AREA = Field(description="The township (乡镇/街道), or 全区 for the district")


class WarningEvent(CampaignsEvent):
    warning_id: UUID


class WarningRaisedV1(WarningEvent):
    """A month stood out against its series' own history: a warning was raised (发出预警)."""

    event_type = "pingan.campaigns.warning.raised.v1"
    subject = "campaigns.warning.raised"

    area: str = AREA
    kind: str = Field(description="A case kind's code, or a category for a total")
    kind_name: str
    level: WarningLevel
    month: str = Field(description="YYYY-MM, the business month of the cases counted")
    count: int = Field(description="The month's count when it was raised")
    baseline: float = Field(description="What the month was expected to hold")
    score: float = Field(description="2(sqrt(count) - sqrt(baseline))")
    z: float = Field(description="The threshold the score reached")
    threshold: int = Field(description="The least count that warns against the baseline")
    case_id: UUID = Field(description="The case whose registration raised it")


class WarningAcknowledgedV1(WarningEvent):
    """The warning was taken on (签收)."""

    event_type = "pingan.campaigns.warning.acknowledged.v1"
    subject = "campaigns.warning.acknowledged"

    acknowledged_by: str
    note: str
    area: str = AREA


class WarningResponseRecordedV1(WarningEvent):
    """What was done about the warning (处置措施); a warning may have several."""

    event_type = "pingan.campaigns.warning.response_recorded.v1"
    subject = "campaigns.warning.response_recorded"

    response: str
    recorded_by: str
    area: str = AREA


class WarningClosedV1(WarningEvent):
    """The warning was closed (办结), with a summary."""

    event_type = "pingan.campaigns.warning.closed.v1"
    subject = "campaigns.warning.closed"

    summary: str
    closed_by: str
    area: str = AREA


PUBLISHED: dict[type[Any], type[WarningEvent]] = {
    EarlyWarning.Raised: WarningRaisedV1,
    EarlyWarning.Acknowledged: WarningAcknowledgedV1,
    EarlyWarning.ResponseRecorded: WarningResponseRecordedV1,
    EarlyWarning.Closed: WarningClosedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "warning_id")
