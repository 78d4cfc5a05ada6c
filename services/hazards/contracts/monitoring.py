"""The food and drug risk monitoring events the hazards service publishes
(subjects `hazards.monitoring.<event>`): monitoring → risk assessment → risk warning, and the
follow-up (核查处置) of each failed sample or the hazard it reported."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from hazards.domain.monitoring import ProductKind, RiskLevel, RiskMonitoring, WarningLevel
from pingan.bus.contracts import IntegrationEvent, translator


class MonitoringEvent(IntegrationEvent):
    monitoring_id: UUID
    occurred_at: datetime
    business_date: date | None = Field(
        default=None,
        description="业务日期: when the fact happened, as the user stated it (occurred_at is "
        "when it was recorded)",
    )


class MonitoringStartedV1(MonitoringEvent):
    """A food or drug safety risk monitoring task (食品药品安全风险监测) was opened over one
    product category, in one place, for a period."""

    event_type = "pingan.hazards.monitoring.started.v1"
    subject = "hazards.monitoring.started"

    product_kind: ProductKind
    product_category: str
    township: str
    place: str
    starts_on: date
    ends_on: date
    organiser: str


class SampleRecordedV1(MonitoringEvent):
    """One sampling result (抽检结果). `sample_number` is unique within the task; a failed
    sample names the `indicator` that failed. `measured_value` and `limit` are text with
    their unit (e.g. "0.8 mg/kg", "未检出")."""

    event_type = "pingan.hazards.monitoring.sample_recorded.v1"
    subject = "hazards.monitoring.sample_recorded"

    sample_number: str
    product: str
    taken_on: date
    passed: bool
    indicator: str | None = None
    measured_value: str | None = None
    limit: str | None = None
    lab: str


class FollowUpOpenedV1(MonitoringEvent):
    """A failed sample opened its follow-up (核查处置), due on `due_on` (`result_on`, when the
    failed result was received, plus the office's days)."""

    event_type = "pingan.hazards.monitoring.follow_up_opened.v1"
    subject = "hazards.monitoring.follow_up_opened"

    sample_number: str
    product: str
    indicator: str
    result_on: date
    due_on: date
    township: str


class SampleReportedAsHazardV1(MonitoringEvent):
    """A failed sample reported the food and drug safety hazard `hazard_id` (whose own events
    follow on `hazards.hazard.*`), as the office configures instead of a follow-up."""

    event_type = "pingan.hazards.monitoring.sample_reported_as_hazard.v1"
    subject = "hazards.monitoring.sample_reported_as_hazard"

    sample_number: str
    hazard_id: UUID


class DisposalRecordedV1(MonitoringEvent):
    """A step of a failed sample's follow-up (下架, 召回, 立案查处...)."""

    event_type = "pingan.hazards.monitoring.disposal_recorded.v1"
    subject = "hazards.monitoring.disposal_recorded"

    sample_number: str
    measures: str
    disposed_on: date
    recorded_by: str


class FollowUpClosedV1(MonitoringEvent):
    """A failed sample's follow-up ended with its `outcome`; `on_time` when closed by
    `due_on`."""

    event_type = "pingan.hazards.monitoring.follow_up_closed.v1"
    subject = "hazards.monitoring.follow_up_closed"

    sample_number: str
    outcome: str
    closed_by: str
    closed_on: date
    due_on: date
    on_time: bool
    township: str


class RiskAssessedV1(MonitoringEvent):
    """The risk was assessed (风险评估) from the results so far; it replaces any earlier
    assessment of the task. `samples` and `failed` count the results it was based on."""

    event_type = "pingan.hazards.monitoring.risk_assessed.v1"
    subject = "hazards.monitoring.risk_assessed"

    level: RiskLevel
    assessor: str
    basis: str
    samples: int
    failed: int


class RiskWarningIssuedV1(MonitoringEvent):
    """A risk warning was issued (风险预警). Only a risk assessed at medium or above is warned
    of, and no louder than it supports: medium up to yellow, high up to orange, severe red.
    `warning_no` counts the task's warnings from 1; the lifting names the same number."""

    event_type = "pingan.hazards.monitoring.warning_issued.v1"
    subject = "hazards.monitoring.warning_issued"

    warning_no: int
    level: WarningLevel
    message: str
    scope: str
    issued_by: str
    risk_level: RiskLevel
    product_kind: ProductKind
    product_category: str
    township: str


class RiskWarningLiftedV1(MonitoringEvent):
    """The active warning `warning_no` was lifted (解除预警)."""

    event_type = "pingan.hazards.monitoring.warning_lifted.v1"
    subject = "hazards.monitoring.warning_lifted"

    warning_no: int
    lifted_by: str
    reason: str
    township: str


class MonitoringClosedV1(MonitoringEvent):
    """The task ended, its risk assessed and no warning active; with its final counts."""

    event_type = "pingan.hazards.monitoring.closed.v1"
    subject = "hazards.monitoring.closed"

    closed_by: str
    summary: str = ""
    samples: int
    failed: int
    risk_level: RiskLevel


PUBLISHED: dict[type[Any], type[MonitoringEvent]] = {
    RiskMonitoring.Started: MonitoringStartedV1,
    RiskMonitoring.SampleRecorded: SampleRecordedV1,
    RiskMonitoring.FollowUpOpened: FollowUpOpenedV1,
    RiskMonitoring.ReportedAsHazard: SampleReportedAsHazardV1,
    RiskMonitoring.DisposalRecorded: DisposalRecordedV1,
    RiskMonitoring.FollowUpClosed: FollowUpClosedV1,
    RiskMonitoring.RiskAssessed: RiskAssessedV1,
    RiskMonitoring.WarningIssued: RiskWarningIssuedV1,
    RiskMonitoring.WarningLifted: RiskWarningLiftedV1,
    RiskMonitoring.Closed: MonitoringClosedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "monitoring_id")
