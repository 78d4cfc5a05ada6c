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
        return self.record(monitoring, metadata=metadata)

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
        return self.record(monitoring, metadata=metadata)

    def assess_monitoring_risk(
        self,
        monitoring_id: UUID,
        *,
        level: RiskLevel,
        assessor: str,
        basis: str,
        metadata: EventMetadata,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.assess_risk(level, assessor, basis)
        return self.record(monitoring, metadata=metadata)

    def issue_risk_warning(
        self,
        monitoring_id: UUID,
        *,
        level: WarningLevel,
        message: str,
        scope: str,
        issued_by: str,
        metadata: EventMetadata,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.issue_warning(level, message, scope, issued_by)
        return self.record(monitoring, metadata=metadata)

    def lift_risk_warning(
        self, monitoring_id: UUID, *, lifted_by: str, reason: str, metadata: EventMetadata
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.lift_warning(lifted_by, reason)
        return self.record(monitoring, metadata=metadata)

    def close_monitoring(
        self, monitoring_id: UUID, *, closed_by: str, summary: str, metadata: EventMetadata
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.close(closed_by, summary)
        return self.record(monitoring, metadata=metadata)
