"""Commands on campaigns: get, change, record with who and why."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from campaigns.application.vocabulary import Configured
from campaigns.domain.campaign import Campaign
from campaigns.domain.case import Case
from campaigns.domain.measures import Targets
from pingan.write.application import Recorded, RecordNotFound
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata


class CampaignCommands(Configured):
    def get_campaign(self, campaign_id: UUID) -> Campaign:
        return self.get(campaign_id, Campaign)

    def plan_campaign(
        self,
        *,
        kind: str,
        name: str,
        townships: list[str],
        starts_on: date,
        ends_on: date,
        lead_unit: str,
        targets: Targets,
        planned_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        campaign = Campaign.plan(
            kind=self.vocabulary.campaign_kind(kind),
            name=name,
            townships=townships,
            starts_on=starts_on,
            ends_on=ends_on,
            lead_unit=lead_unit,
            targets=targets,
            planned_by=planned_by,
        )
        return self.record(
            campaign, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def launch_campaign(
        self, campaign_id: UUID, *, launched_on: date, metadata: EventMetadata, today: date
    ) -> Recorded:
        campaign = self.get_campaign(campaign_id)
        campaign.launch(launched_on)
        return self.record(
            campaign, metadata=metadata, business_date=self.dated(launched_on, today)
        )

    def adjust_campaign(
        self,
        campaign_id: UUID,
        *,
        reason: str,
        metadata: EventMetadata,
        starts_on: date | None = None,
        ends_on: date | None = None,
        targets: Targets | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        campaign = self.get_campaign(campaign_id)
        campaign.adjust(reason, starts_on=starts_on, ends_on=ends_on, targets=targets)
        return self.record(
            campaign, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def link_case(
        self,
        campaign_id: UUID,
        *,
        case_id: UUID,
        reason: str,
        metadata: EventMetadata,
        today: date | None = None,
    ) -> Recorded:
        campaign = self.get_campaign(campaign_id)
        try:
            self.get(case_id, Case)
        except RecordNotFound:
            raise RuleViolation(f"the linked case does not exist: {case_id}") from None
        campaign.link_case(case_id, reason)
        return self.record(campaign, metadata=metadata, business_date=self.dated(None, today))

    def conclude_campaign(
        self,
        campaign_id: UUID,
        *,
        concluded_on: date,
        summary: str,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        campaign = self.get_campaign(campaign_id)
        campaign.conclude(concluded_on, summary)
        return self.record(
            campaign, metadata=metadata, business_date=self.dated(concluded_on, today)
        )
