"""Commands on rolling investigation rounds (滚动式排查摸底): open, record findings, close."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from hazards.application.key_areas import require_key_area
from hazards.domain.hazard import Hazard
from hazards.domain.round import InvestigationRound
from hazards.domain.vocabulary import Category, Source
from pingan.write.application import Recorded, ServiceApplication
from pingan.write.metadata import EventMetadata


class RoundCommands(ServiceApplication):
    def get_round(self, round_id: UUID) -> InvestigationRound:
        return self.get(round_id, InvestigationRound)

    def open_round(
        self,
        *,
        name: str,
        areas: list[str],
        starts_on: date,
        ends_on: date,
        organiser: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        opened = InvestigationRound.open(name, areas, starts_on, ends_on, organiser)
        # A round brought in from a past ledger is dated by its start unless stated.
        held_from = business_date or min(starts_on, today or starts_on)
        return self.record(opened, metadata=metadata, business_date=self.dated(held_from, today))

    def record_finding(
        self,
        round_id: UUID,
        *,
        title: str,
        category: Category,
        township: str,
        village: str,
        address: str,
        reporter: str,
        today: date,
        metadata: EventMetadata,
        source: Source = Source.INSPECTION,
        description: str = "",
        key_area_id: UUID | None = None,
        unit_id: str | None = None,
        business_date: date | None = None,
    ) -> Recorded:
        """Report the hazard the round found and record it on the round, in one transaction:
        answers the new hazard's id."""
        sweep = self.get_round(round_id)
        if key_area_id is not None:
            require_key_area(self, key_area_id)
        hazard = Hazard(
            title=title,
            category=category.value,
            source=source.value,
            township=township,
            village=village,
            address=address,
            reporter=reporter,
            description=description,
            key_area_id=key_area_id,
            round_id=sweep.id,
            unit_id=unit_id,
        )
        sweep.record_finding(hazard.id, category, township, village, today)
        return self.record(
            hazard, sweep, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def close_round(
        self,
        round_id: UUID,
        *,
        summary: str,
        closed_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        sweep = self.get_round(round_id)
        sweep.close(summary, closed_by)
        return self.record(sweep, metadata=metadata, business_date=self.dated(business_date, today))
