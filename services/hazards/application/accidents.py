"""Commands on safety accidents: get, change, record with who and why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from hazards.domain.accident import AccidentKind, ReportLevel, SafetyAccident, Severity
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
        deaths: int,
        serious_injuries: int,
        direct_loss_yuan: Decimal,
        reported_by: str,
        now: datetime,
        metadata: EventMetadata,
        received_at: datetime | None = None,
        severity: Severity | None = None,
        description: str = "",
        unit_id: str | None = None,
        unit_name: str | None = None,
    ) -> Recorded:
        accident = SafetyAccident.report(
            happened_at=happened_at,
            received_at=received_at,
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

    def revise_accident_figures(
        self,
        accident_id: UUID,
        *,
        reason: str,
        now: datetime,
        metadata: EventMetadata,
        deaths: int | None = None,
        serious_injuries: int | None = None,
        direct_loss_yuan: Decimal | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        accident = self.get_accident(accident_id)
        accident.revise_figures(
            reason,
            now,
            deaths=deaths,
            serious_injuries=serious_injuries,
            direct_loss_yuan=direct_loss_yuan,
        )
        return self.record(
            accident, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def report_accident_onward(
        self,
        accident_id: UUID,
        *,
        level: ReportLevel,
        reported_at: datetime,
        now: datetime,
        metadata: EventMetadata,
        today: date | None = None,
    ) -> Recorded:
        accident = self.get_accident(accident_id)
        accident.report_onward(level, reported_at, now)
        return self.record(
            accident,
            metadata=metadata,
            business_date=self.dated(reported_at.date(), today),
            after_latest=False,
        )

    def extend_accident_investigation(
        self,
        accident_id: UUID,
        *,
        days: int,
        approved_by: str,
        reason: str,
        now: datetime,
        metadata: EventMetadata,
        today: date | None = None,
    ) -> Recorded:
        accident = self.get_accident(accident_id)
        accident.extend_investigation(days, approved_by, reason, now)
        return self.record(accident, metadata=metadata, business_date=self.dated(None, today))

    def check_accident_clocks(
        self, accident_id: UUID, *, now: datetime, today: date, metadata: EventMetadata
    ) -> Recorded:
        """Record the accident's clocks that have run out (the clock check's step)."""
        accident = self.get_accident(accident_id)
        accident.check_clocks(now)
        return self.record(accident, metadata=metadata, business_date=today, after_latest=False)

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
