"""Commands on food and drug risk monitoring tasks: get, change, record with who and why."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from hazards.application.reporters import ReporterDetails, sealed_reporter
from hazards.domain.hazard import Hazard
from hazards.domain.monitoring import (
    FailedSampleAction,
    ProductKind,
    RiskLevel,
    RiskMonitoring,
    WarningLevel,
)
from hazards.domain.vocabulary import Category, Source
from pingan.write.application import Recorded, ServiceApplication
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata

#: Days to finish the 核查处置 of a failed sample unless the office sets its own.
DEFAULT_FOLLOW_UP_DAYS = 90


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
        result_on: date | None = None,
        village: str | None = None,
        on_failure: FailedSampleAction = FailedSampleAction.FOLLOW_UP,
        follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    ) -> Recorded:
        """Record a result; a failed one opens a follow-up or reports a hazard (`on_failure`),
        in the same transaction."""
        received = result_on or today
        if passed and (result_on is not None or village is not None):
            raise RuleViolation("only a failed sample takes a result date or a village")
        if not passed and not taken_on <= received <= today:
            raise RuleViolation("the failed result is received after the sample, by today")
        if not passed and on_failure is FailedSampleAction.HAZARD and not village:
            raise RuleViolation(
                "a failed sample reported as a hazard needs the village where it was taken"
            )
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
        also: list[Any] = []
        if not passed and on_failure is FailedSampleAction.FOLLOW_UP:
            monitoring.open_follow_up(
                sample_number, product, indicator or "", received, follow_up_days
            )
        elif not passed and village:
            hazard = self._hazard_of_sample(
                monitoring, sample_number, product, indicator, measured_value, limit, lab, village
            )
            monitoring.report_as_hazard(sample_number, hazard.id)
            also.append(hazard)
        return self.record(
            monitoring,
            *also,
            metadata=metadata,
            business_date=self.dated(taken_on, today),
            after_latest=False,
        )

    def _hazard_of_sample(
        self,
        monitoring: RiskMonitoring,
        sample_number: str,
        product: str,
        indicator: str | None,
        measured_value: str | None,
        limit: str | None,
        lab: str,
        village: str,
    ) -> Hazard:
        hazard_id = uuid4()
        found = " ".join(x for x in (measured_value, limit and f"(限值 {limit})") if x)
        details = ReporterDetails(monitoring.organiser, None, None, False)
        return Hazard(
            id=hazard_id,
            title=f"{product}抽检不合格: {indicator}",
            category=Category.FOOD_DRUG.value,
            source=Source.INSPECTION.value,
            township=monitoring.township,
            village=village,
            address=monitoring.place,
            description=(
                f"食品药品风险监测 {monitoring.id} 样品 {sample_number} 不合格: {indicator} "
                f"{found}; 检验机构 {lab}"
            ),
            **sealed_reporter(self.people, hazard_id, details),
        )

    def record_follow_up_disposal(
        self,
        monitoring_id: UUID,
        *,
        sample_number: str,
        measures: str,
        disposed_on: date,
        recorded_by: str,
        today: date,
        metadata: EventMetadata,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.record_disposal(sample_number, measures, disposed_on, recorded_by, today)
        return self.record(
            monitoring,
            metadata=metadata,
            business_date=self.dated(disposed_on, today),
            after_latest=False,
        )

    def close_follow_up(
        self,
        monitoring_id: UUID,
        *,
        sample_number: str,
        outcome: str,
        closed_by: str,
        closed_on: date,
        today: date,
        metadata: EventMetadata,
    ) -> Recorded:
        monitoring = self.get_monitoring(monitoring_id)
        monitoring.close_follow_up(sample_number, outcome, closed_by, closed_on, today)
        return self.record(
            monitoring,
            metadata=metadata,
            business_date=self.dated(closed_on, today),
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
