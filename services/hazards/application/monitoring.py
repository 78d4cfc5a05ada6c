"""Commands on food and drug risk monitoring tasks: get, change, record with who and why."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from hazards.domain.monitoring import ProductKind, RiskLevel, RiskMonitoring, WarningLevel
from pingan.write.application import Recorded, ServiceApplication
from pingan.write.metadata import EventMetadata


class MonitoringCommands(ServiceApplication):
    def get_monitoring(self, monitoring_id: UUID) -> RiskMonitoring:
        return self.get(monitoring_id, RiskMonitoring)

    def start_monitoring(
        self,
        *,
        product_kind: ProductKind,
        product_category: str,
        township: str,
        place: str,
        starts_on: date,
        ends_on: date,
        organiser: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        monitoring = RiskMonitoring.start(
            product_kind=product_kind,
            product_category=product_category,
            township=township,
            place=place,
            starts_on=starts_on,
            ends_on=ends_on,
            organiser=organiser,
        )
        # A task brought in from a past ledger is dated by its start unless stated.
        started_on = business_date or min(starts_on, today or starts_on)
        return self.record(
            monitoring, metadata=metadata, business_date=self.dated(started_on, today)
        )

    def record_monitoring_sample(
        self,
        monitoring_id: UUID,
        *,
        sample_number: str,
        product: str,
        taken_on: date,
        passed: bool,
        lab: str,
        today: date,
        metadata: EventMetadata,
        indicator: str | None = None,
        measured_value: str | None = None,
        limit: str | None = None,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.record_sample(
            sample_number=sample_number,
            product=product,
            taken_on=taken_on,
            passed=passed,
            lab=lab,
            today=today,
            indicator=indicator,
            measured_value=measured_value,
            limit=limit,
        )
        return self.record(
            monitoring,
            metadata=metadata,
            business_date=self.dated(taken_on, today),
            after_latest=False,
        )

    def assess_monitoring_risk(
        self,
        monitoring_id: UUID,
        *,
        level: RiskLevel,
        assessor: str,
        basis: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.assess_risk(level, assessor, basis)
        return self.record(
            monitoring, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def issue_risk_warning(
        self,
        monitoring_id: UUID,
        *,
        level: WarningLevel,
        message: str,
        scope: str,
        issued_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.issue_warning(level, message, scope, issued_by)
        return self.record(
            monitoring, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def lift_risk_warning(
        self,
        monitoring_id: UUID,
        *,
        lifted_by: str,
        reason: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.lift_warning(lifted_by, reason)
        return self.record(
            monitoring, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def close_monitoring(
        self,
        monitoring_id: UUID,
        *,
        closed_by: str,
        summary: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.close(closed_by, summary)
        return self.record(
            monitoring, metadata=metadata, business_date=self.dated(business_date, today)
        )
