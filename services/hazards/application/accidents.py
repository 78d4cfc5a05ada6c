"""Commands on safety accidents: get, change, record with who and why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from hazards.domain.accident import AccidentKind, SafetyAccident, Severity
from pingan.write.application import Recorded, ServiceApplication
from pingan.write.metadata import EventMetadata


class AccidentCommands(ServiceApplication):
    def get_accident(self, accident_id: UUID) -> SafetyAccident:
        return self.get(accident_id, SafetyAccident)

    def report_accident(
        self,
        *,
        happened_at: datetime,
        township: str,
        village: str,
        place: str,
        kind: AccidentKind,
        severity: Severity,
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        reported_by: str,
        now: datetime,
        metadata: EventMetadata,
        description: str = "",
        unit_id: str | None = None,
        unit_name: str | None = None,
    ) -> Recorded:
        accident = SafetyAccident.report(
            happened_at=happened_at,
            township=township,
            village=village,
            place=place,
            kind=kind,
            severity=severity,
            deaths=deaths,
            serious_injuries=serious_injuries,
            direct_loss_yuan=direct_loss_yuan,
            reported_by=reported_by,
            now=now,
            description=description,
            unit_id=unit_id,
            unit_name=unit_name,
        )
        return self.record(
            accident,
            metadata=metadata,
            business_date=self.dated(happened_at.date(), now.astimezone(happened_at.tzinfo).date()),
            after_latest=False,
        )

    def reclassify_accident(
        self,
        accident_id: UUID,
        *,
        severity: Severity,
        reason: str,
        metadata: EventMetadata,
        deaths: int | None = None,
        serious_injuries: int | None = None,
        direct_loss_yuan: Decimal | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        accident = self.get_accident(accident_id)
        accident.reclassify(
            severity,
            reason,
            deaths=deaths,
            serious_injuries=serious_injuries,
            direct_loss_yuan=direct_loss_yuan,
        )
        return self.record(
            accident, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def conclude_accident_investigation(
        self,
        accident_id: UUID,
        *,
        cause: str,
        responsibility: str,
        conclusion_on: date,
        today: date,
        metadata: EventMetadata,
    ) -> Recorded:
        accident = self.get_accident(accident_id)
        accident.conclude_investigation(cause, responsibility, conclusion_on, today)
        return self.record(
            accident,
            metadata=metadata,
            business_date=self.dated(conclusion_on, today),
            after_latest=False,
        )

    def close_accident(
        self,
        accident_id: UUID,
        *,
        closed_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        accident = self.get_accident(accident_id)
        accident.close(closed_by)
        return self.record(
            accident, metadata=metadata, business_date=self.dated(business_date, today)
        )
