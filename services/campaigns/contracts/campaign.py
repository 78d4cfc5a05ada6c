"""The campaign events the campaigns service publishes (subjects `campaigns.campaign.<event>`).

A campaign's planning event carries what matching needs, so that a consumer can tell which
cases count towards it without the service's configuration: `case_kinds` (the case kinds its
kind covers, as configured when it was planned), `place_tag` (a tag a case must carry, e.g.
`campus`), `townships` (empty: the whole district) and the period `starts_on`..`ends_on`
(both inclusive, business dates). An adjustment carries the whole period and targets now in
force.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import Field

from campaigns.contracts.common import CampaignsEvent, Targets
from campaigns.domain.campaign import Campaign
from pingan.bus.contracts import IntegrationEvent, translator


class CampaignEvent(CampaignsEvent):
    campaign_id: UUID


class CampaignPlannedV1(CampaignEvent):
    """A special campaign (专项行动) was planned."""

    event_type = "pingan.campaigns.campaign.planned.v1"
    subject = "campaigns.campaign.planned"

    kind: str = Field(description="The campaign kind's code, e.g. organised_crime")
    kind_name: str = Field(description="Its name when planned, e.g. 常态化扫黑除恶")
    case_kinds: list[str] = Field(description="The case kinds that count towards it")
    place_tag: str | None = Field(default=None, description="A tag a case must carry to count")
    name: str
    townships: list[str] = Field(description="Its jurisdiction; empty for the whole district")
    starts_on: date
    ends_on: date
    lead_unit: str
    targets: Targets
    planned_by: str


class CampaignLaunchedV1(CampaignEvent):
    """The campaign was launched (启动)."""

    event_type = "pingan.campaigns.campaign.launched.v1"
    subject = "campaigns.campaign.launched"

    launched_on: date


class CampaignAdjustedV1(CampaignEvent):
    """The period or targets changed; these are the ones now in force, with the reason."""

    event_type = "pingan.campaigns.campaign.adjusted.v1"
    subject = "campaigns.campaign.adjusted"

    starts_on: date
    ends_on: date
    targets: Targets
    reason: str


class CaseLinkedV1(CampaignEvent):
    """A case was counted towards the campaign by hand, whether or not it matches."""

    event_type = "pingan.campaigns.campaign.case_linked.v1"
    subject = "campaigns.campaign.case_linked"

    case_id: UUID
    reason: str


class CampaignConcludedV1(CampaignEvent):
    """The campaign concluded (总结) with its summary."""

    event_type = "pingan.campaigns.campaign.concluded.v1"
    subject = "campaigns.campaign.concluded"

    concluded_on: date
    summary: str


PUBLISHED: dict[type[Any], type[CampaignEvent]] = {
    Campaign.Planned: CampaignPlannedV1,
    Campaign.Launched: CampaignLaunchedV1,
    Campaign.Adjusted: CampaignAdjustedV1,
    Campaign.CaseLinked: CaseLinkedV1,
    Campaign.Concluded: CampaignConcludedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "campaign_id")
