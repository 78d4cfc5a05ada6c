"""Commands on rolling investigation rounds (滚动式排查摸底): open, record findings, close."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from hazards.application.key_areas import link_key_area
from hazards.application.reporters import ReporterDetails, sealed_reporter
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
        reporter_phone: str | None = None,
        reporter_id_number: str | None = None,
        anonymous: bool = False,
        business_date: date | None = None,
    ) -> Recorded:
        """Report the hazard the round found and record it on the round, in one transaction:
        answers the new hazard's id."""
        sweep = self.get_round(round_id)
        found_on = self.dated(business_date, today)
        hazard_id = uuid4()
        areas = link_key_area(self, key_area_id, hazard_id, township, village)
        details = ReporterDetails(reporter, reporter_phone, reporter_id_number, anonymous)
        hazard = Hazard(
            id=hazard_id,
            title=title,
            category=category.value,
            source=source.value,
            township=township,
            village=village,
            address=address,
            description=description,
            key_area_id=key_area_id,
            round_id=sweep.id,
            unit_id=unit_id,
            **sealed_reporter(self.people, hazard_id, details),
        )
        sweep.record_finding(hazard.id, category, township, village, found_on or today)
        return self.record(hazard, sweep, also=areas, metadata=metadata, business_date=found_on)

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
