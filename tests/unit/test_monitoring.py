"""Food and drug risk monitoring decided in memory: monitoring → assessment → warning, and a
failed sample followed up (核查处置) or reported as a hazard, as the office configures."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import DomainEventProtocol

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.contracts.monitoring import (
    FollowUpClosedV1,
    FollowUpOpenedV1,
    RiskAssessedV1,
    RiskWarningIssuedV1,
    SampleReportedAsHazardV1,
)
from hazards.domain.hazard import Hazard
from hazards.domain.monitoring import (
    FailedSampleAction,
    FollowUpStatus,
    MonitoringStatus,
    ProductKind,
    RiskLevel,
    RiskMonitoring,
    WarningLevel,
    supports,
)
from hazards.domain.vocabulary import Category, Source
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="inspector")
TODAY = date(2026, 5, 20)


def start(
    app: HazardsApplication,
    starts_on: date = date(2026, 5, 1),
    ends_on: date = date(2026, 5, 31),
) -> UUID:
    return app.start_monitoring(
        product_kind=ProductKind.FOOD,
        product_category="蔬菜 (vegetables)",
        township="玉泉镇",
        place="Yuquan farmers' market",
        starts_on=starts_on,
        ends_on=ends_on,
        organiser="district market supervision bureau",
        metadata=META,
    ).id


def sample(
    app: HazardsApplication,
    monitoring_id: UUID,
    number: str = "S-001",
    *,
    passed: bool = True,
    taken_on: date = date(2026, 5, 10),
    indicator: str | None = None,
) -> int:
    return app.record_monitoring_sample(
        monitoring_id,
        sample_number=number,
        product="spinach",
        taken_on=taken_on,
        passed=passed,
        lab="district testing centre",
        today=TODAY,
        indicator=indicator,
        measured_value="0.8 mg/kg" if indicator else None,
        limit="≤0.02 mg/kg" if indicator else None,
        metadata=META,
    ).position


def assess(app: HazardsApplication, monitoring_id: UUID, level: RiskLevel) -> None:
    app.assess_monitoring_risk(
        monitoring_id, level=level, assessor="risk panel", basis="sampling results", metadata=META
    )


def warn(app: HazardsApplication, monitoring_id: UUID, level: WarningLevel) -> None:
    app.issue_risk_warning(
        monitoring_id,
        level=level,
        message="Pesticide residue above limit in leafy vegetables",
        scope="全区",
        issued_by="district food safety office",
        metadata=META,
    )


def lift(app: HazardsApplication, monitoring_id: UUID) -> None:
    app.lift_risk_warning(
        monitoring_id,
        lifted_by="district food safety office",
        reason="follow-up passed",
        metadata=META,
    )


def close(app: HazardsApplication, monitoring_id: UUID) -> None:
    app.close_monitoring(monitoring_id, closed_by="bureau", summary="done", metadata=META)


def dispose(
    app: HazardsApplication, monitoring_id: UUID, number: str = "S-001", on: date = TODAY
) -> None:
    app.record_follow_up_disposal(
        monitoring_id,
        sample_number=number,
        measures="下架封存同批次菠菜 120 kg",
        disposed_on=on,
        recorded_by="market supervision station",
        today=TODAY,
        metadata=META,
    )


def close_follow_up(
    app: HazardsApplication,
    monitoring_id: UUID,
    number: str = "S-001",
    on: date = TODAY,
    today: date = TODAY,
) -> None:
    app.close_follow_up(
        monitoring_id,
        sample_number=number,
        outcome="经营者已召回并销毁; 立案查处",
        closed_by="district market supervision bureau",
        closed_on=on,
        today=today,
        metadata=META,
    )


def settle(app: HazardsApplication, monitoring_id: UUID, number: str = "S-001") -> None:
    dispose(app, monitoring_id, number)
    close_follow_up(app, monitoring_id, number)


def assessed(app: HazardsApplication, level: RiskLevel = RiskLevel.HIGH) -> UUID:
    monitoring_id = start(app)
    sample(app, monitoring_id, "S-001", passed=False, indicator="毒死蜱")
    assess(app, monitoring_id, level)
    return monitoring_id


def last_event(app: HazardsApplication, monitoring_id: UUID) -> DomainEventProtocol[UUID]:
    return list(app.repository.event_store.get(monitoring_id))[-1]


# -- start -------------------------------------------------------------------------------------


def test_a_started_task_is_monitoring_with_no_samples(app: HazardsApplication) -> None:
    monitoring = app.get_monitoring(start(app))

    assert monitoring.status is MonitoringStatus.MONITORING
    assert monitoring.product_kind is ProductKind.FOOD
    assert monitoring.samples == {}
    assert monitoring.risk_level is None


def test_a_period_ending_before_it_starts_is_refused(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="cannot end before it starts"):
        start(app, starts_on=date(2026, 5, 2), ends_on=date(2026, 5, 1))


def test_a_one_day_period_is_allowed(app: HazardsApplication) -> None:
    monitoring_id = start(app, starts_on=date(2026, 5, 10), ends_on=date(2026, 5, 10))

    sample(app, monitoring_id, taken_on=date(2026, 5, 10))

    assert app.get_monitoring(monitoring_id).samples == {"S-001": True}


# -- samples -----------------------------------------------------------------------------------


def test_samples_are_counted_with_their_failures(app: HazardsApplication) -> None:
    monitoring_id = start(app)

    sample(app, monitoring_id, "S-001")
    sample(app, monitoring_id, "S-002", passed=False, indicator="毒死蜱")

    monitoring = app.get_monitoring(monitoring_id)
    assert monitoring.samples == {"S-001": True, "S-002": False}
    assert monitoring.failed == 1


def test_a_sample_number_is_unique_within_the_task(app: HazardsApplication) -> None:
    monitoring_id = start(app)
    sample(app, monitoring_id, "S-001")

    with pytest.raises(RuleViolation, match="S-001 is already recorded"):
        sample(app, monitoring_id, "S-001")


def test_the_same_sample_number_may_recur_in_another_task(app: HazardsApplication) -> None:
    sample(app, start(app), "S-001")
    other = start(app)

    sample(app, other, "S-001")

    assert app.get_monitoring(other).samples == {"S-001": True}


def test_a_failed_sample_must_name_its_indicator(app: HazardsApplication) -> None:
    monitoring_id = start(app)

    with pytest.raises(RuleViolation, match="indicator"):
        sample(app, monitoring_id, passed=False)


def test_a_sample_cannot_be_taken_in_the_future(app: HazardsApplication) -> None:
    monitoring_id = start(app)

    with pytest.raises(RuleViolation, match="future"):
        sample(app, monitoring_id, taken_on=date(2026, 5, 21))


@pytest.mark.parametrize("taken_on", [date(2026, 4, 30), date(2026, 6, 1)])
def test_a_sample_outside_the_period_is_refused(app: HazardsApplication, taken_on: date) -> None:
    monitoring_id = start(app)

    with pytest.raises(RuleViolation, match="within the monitoring period"):
        app.record_monitoring_sample(
            monitoring_id,
            sample_number="S-9",
            product="spinach",
            taken_on=taken_on,
            passed=True,
            lab="lab",
            today=date(2026, 7, 1),
            metadata=META,
        )


def test_sampling_goes_on_after_an_assessment_and_under_a_warning(
    app: HazardsApplication,
) -> None:
    monitoring_id = assessed(app)
    sample(app, monitoring_id, "S-002")
    warn(app, monitoring_id, WarningLevel.ORANGE)

    sample(app, monitoring_id, "S-003")

    monitoring = app.get_monitoring(monitoring_id)
    assert len(monitoring.samples) == 3
    assert monitoring.status is MonitoringStatus.WARNING


# -- assessment --------------------------------------------------------------------------------


def test_an_assessment_needs_at_least_one_sample(app: HazardsApplication) -> None:
    monitoring_id = start(app)

    with pytest.raises(RuleViolation, match="at least one sampling result"):
        assess(app, monitoring_id, RiskLevel.LOW)


def test_an_assessment_records_the_results_it_rests_on(app: HazardsApplication) -> None:
    monitoring_id = start(app)
    sample(app, monitoring_id, "S-001")
    sample(app, monitoring_id, "S-002", passed=False, indicator="毒死蜱")

    assess(app, monitoring_id, RiskLevel.MEDIUM)

    monitoring = app.get_monitoring(monitoring_id)
    assert monitoring.status is MonitoringStatus.ASSESSED
    assert monitoring.risk_level is RiskLevel.MEDIUM
    contract = to_integration_event(last_event(app, monitoring_id))
    assert isinstance(contract, RiskAssessedV1)
    assert (contract.samples, contract.failed, contract.level) == (2, 1, RiskLevel.MEDIUM)
    assert contract.monitoring_id == monitoring_id


def test_a_reassessment_replaces_the_last_one(app: HazardsApplication) -> None:
    monitoring_id = assessed(app, RiskLevel.HIGH)

    assess(app, monitoring_id, RiskLevel.LOW)

    assert app.get_monitoring(monitoring_id).risk_level is RiskLevel.LOW


def test_a_reassessment_under_a_warning_leaves_the_warning_active(
    app: HazardsApplication,
) -> None:
    monitoring_id = assessed(app, RiskLevel.HIGH)
    warn(app, monitoring_id, WarningLevel.ORANGE)

    assess(app, monitoring_id, RiskLevel.LOW)

    monitoring = app.get_monitoring(monitoring_id)
    assert monitoring.status is MonitoringStatus.WARNING
    assert monitoring.warning_level is WarningLevel.ORANGE


# -- warning -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("risk", "loudest"),
    [
        (RiskLevel.MEDIUM, WarningLevel.YELLOW),
        (RiskLevel.HIGH, WarningLevel.ORANGE),
        (RiskLevel.SEVERE, WarningLevel.RED),
    ],
)
def test_a_warning_may_be_as_loud_as_the_risk_supports_and_no_louder(
    risk: RiskLevel, loudest: WarningLevel
) -> None:
    order = list(WarningLevel)
    allowed = {level for level in WarningLevel if supports(risk, level)}

    assert allowed == set(order[: order.index(loudest) + 1])


def test_a_low_risk_supports_no_warning() -> None:
    assert not any(supports(RiskLevel.LOW, level) for level in WarningLevel)


def test_issuing_a_warning_puts_the_task_under_warning(app: HazardsApplication) -> None:
    monitoring_id = assessed(app, RiskLevel.SEVERE)

    warn(app, monitoring_id, WarningLevel.RED)

    monitoring = app.get_monitoring(monitoring_id)
    assert monitoring.status is MonitoringStatus.WARNING
    assert monitoring.warning_level is WarningLevel.RED
    contract = to_integration_event(last_event(app, monitoring_id))
    assert isinstance(contract, RiskWarningIssuedV1)
    assert contract.warning_no == 1
    assert contract.risk_level is RiskLevel.SEVERE
    assert contract.township == "玉泉镇"
    assert contract.product_kind is ProductKind.FOOD


def test_a_warning_before_any_assessment_is_an_illegal_transition(
    app: HazardsApplication,
) -> None:
    monitoring_id = start(app)
    sample(app, monitoring_id)

    with pytest.raises(IllegalTransition) as refused:
        warn(app, monitoring_id, WarningLevel.BLUE)

    assert refused.value.current == "monitoring"
    assert "/warning" not in refused.value.allowed


def test_a_low_risk_cannot_be_warned_of(app: HazardsApplication) -> None:
    monitoring_id = assessed(app, RiskLevel.LOW)

    with pytest.raises(RuleViolation, match="medium or above"):
        warn(app, monitoring_id, WarningLevel.BLUE)


def test_a_warning_louder_than_the_risk_supports_is_refused(app: HazardsApplication) -> None:
    monitoring_id = assessed(app, RiskLevel.MEDIUM)

    with pytest.raises(RuleViolation, match="up to yellow, not orange"):
        warn(app, monitoring_id, WarningLevel.ORANGE)


def test_only_one_warning_is_active_at_a_time(app: HazardsApplication) -> None:
    monitoring_id = assessed(app)
    warn(app, monitoring_id, WarningLevel.YELLOW)

    with pytest.raises(IllegalTransition) as refused:
        warn(app, monitoring_id, WarningLevel.ORANGE)

    assert refused.value.current == "warning"
    assert refused.value.allowed == [
        "/assessment",
        "/follow-ups/close",
        "/follow-ups/disposal",
        "/samples",
        "/warning/lift",
    ]


def test_lifting_the_warning_returns_the_task_to_assessed(app: HazardsApplication) -> None:
    monitoring_id = assessed(app)
    warn(app, monitoring_id, WarningLevel.YELLOW)

    lift(app, monitoring_id)

    monitoring = app.get_monitoring(monitoring_id)
    assert monitoring.status is MonitoringStatus.ASSESSED
    assert monitoring.warning_level is None


def test_a_lifted_warning_may_be_followed_by_another_numbered_next(
    app: HazardsApplication,
) -> None:
    monitoring_id = assessed(app)
    warn(app, monitoring_id, WarningLevel.YELLOW)
    lift(app, monitoring_id)

    warn(app, monitoring_id, WarningLevel.ORANGE)

    contract = to_integration_event(last_event(app, monitoring_id))
    assert isinstance(contract, RiskWarningIssuedV1)
    assert contract.warning_no == 2


def test_lifting_with_no_active_warning_is_an_illegal_transition(
    app: HazardsApplication,
) -> None:
    monitoring_id = assessed(app)

    with pytest.raises(IllegalTransition) as refused:
        lift(app, monitoring_id)

    assert refused.value.current == "assessed"


# -- close -------------------------------------------------------------------------------------


def test_an_assessed_task_closes_with_its_final_counts(app: HazardsApplication) -> None:
    monitoring_id = assessed(app)
    settle(app, monitoring_id)

    close(app, monitoring_id)

    assert app.get_monitoring(monitoring_id).status is MonitoringStatus.CLOSED
    closed = last_event(app, monitoring_id)
    assert isinstance(closed, RiskMonitoring.Closed)
    assert (closed.samples, closed.failed, closed.risk_level) == (1, 1, "high")


def test_a_task_cannot_close_before_its_risk_is_assessed(app: HazardsApplication) -> None:
    monitoring_id = start(app)

    with pytest.raises(IllegalTransition) as refused:
        close(app, monitoring_id)

    assert refused.value.current == "monitoring"


def test_a_task_cannot_close_while_its_warning_is_active(app: HazardsApplication) -> None:
    monitoring_id = assessed(app)
    warn(app, monitoring_id, WarningLevel.YELLOW)

    with pytest.raises(IllegalTransition) as refused:
        close(app, monitoring_id)

    assert refused.value.current == "warning"


def test_a_closed_task_takes_no_more_commands(app: HazardsApplication) -> None:
    monitoring_id = assessed(app)
    settle(app, monitoring_id)
    close(app, monitoring_id)

    for command in (
        lambda: sample(app, monitoring_id, "S-002"),
        lambda: assess(app, monitoring_id, RiskLevel.LOW),
        lambda: warn(app, monitoring_id, WarningLevel.BLUE),
        lambda: lift(app, monitoring_id),
        lambda: close(app, monitoring_id),
    ):
        with pytest.raises(IllegalTransition) as refused:
            command()
        assert refused.value.current == "closed"
        assert refused.value.allowed == []


# -- identity ----------------------------------------------------------------------------------


def test_another_aggregates_id_is_not_a_monitoring_task(app: HazardsApplication) -> None:
    hazard_id = app.report_hazard(
        title="t",
        category=Category.FOOD_DRUG,
        source=Source.INSPECTION,
        township="t",
        village="v",
        address="a",
        reporter="r",
        metadata=META,
    ).id

    with pytest.raises(AggregateNotFoundError):
        app.get_monitoring(hazard_id)


# -- a failed sample: followed up (核查处置) or reported as a hazard ------------------------------


def failed(
    app: HazardsApplication,
    monitoring_id: UUID,
    number: str = "S-009",
    *,
    on_failure: FailedSampleAction = FailedSampleAction.FOLLOW_UP,
    village: str | None = None,
    result_on: date | None = None,
    days: int = 90,
) -> None:
    app.record_monitoring_sample(
        monitoring_id,
        sample_number=number,
        product="spinach",
        taken_on=date(2026, 5, 10),
        passed=False,
        lab="district testing centre",
        today=TODAY,
        indicator="毒死蜱",
        measured_value="0.8 mg/kg",
        limit="≤0.02 mg/kg",
        result_on=result_on,
        village=village,
        on_failure=on_failure,
        follow_up_days=days,
        metadata=META,
    )


def published(app: HazardsApplication, aggregate_id: UUID) -> list[object]:
    return [to_integration_event(e) for e in app.repository.event_store.get(aggregate_id)]


def test_a_failed_sample_opens_a_follow_up_due_the_set_days_after_its_result(
    app: HazardsApplication,
) -> None:
    monitoring_id = start(app)

    failed(app, monitoring_id, result_on=date(2026, 5, 15), days=30)

    task = app.get_monitoring(monitoring_id)
    assert task.open_follow_ups == ["S-009"]
    assert task.follow_ups["S-009"].due_on == date(2026, 6, 14)
    opened = [c for c in published(app, monitoring_id) if isinstance(c, FollowUpOpenedV1)]
    assert [(c.sample_number, c.indicator, c.due_on) for c in opened] == [
        ("S-009", "毒死蜱", date(2026, 6, 14))
    ]


def test_a_passed_sample_opens_no_follow_up(app: HazardsApplication) -> None:
    monitoring_id = start(app)
    sample(app, monitoring_id)

    assert app.get_monitoring(monitoring_id).follow_ups == {}


def test_a_follow_up_closes_only_after_a_disposal_and_records_it_on_time(
    app: HazardsApplication,
) -> None:
    monitoring_id = start(app)
    failed(app, monitoring_id, result_on=date(2026, 5, 15), days=30)

    with pytest.raises(RuleViolation, match="once a disposal is recorded"):
        close_follow_up(app, monitoring_id, "S-009")
    dispose(app, monitoring_id, "S-009", date(2026, 5, 18))
    close_follow_up(app, monitoring_id, "S-009", on=date(2026, 5, 20))

    follow_up = app.get_monitoring(monitoring_id).follow_ups["S-009"]
    assert follow_up.status is FollowUpStatus.CLOSED
    closed = published(app, monitoring_id)[-1]
    assert isinstance(closed, FollowUpClosedV1)
    assert (closed.on_time, closed.due_on) == (True, date(2026, 6, 14))
    with pytest.raises(RuleViolation, match="already closed"):
        dispose(app, monitoring_id, "S-009")


def test_a_follow_up_closed_after_its_due_day_is_recorded_late(app: HazardsApplication) -> None:
    monitoring_id = start(app)
    failed(app, monitoring_id, result_on=date(2026, 5, 10), days=5)
    dispose(app, monitoring_id, "S-009", date(2026, 5, 12))

    close_follow_up(app, monitoring_id, "S-009", on=date(2026, 5, 16))

    closed = published(app, monitoring_id)[-1]
    assert isinstance(closed, FollowUpClosedV1)
    assert closed.on_time is False


def test_a_task_cannot_close_while_a_follow_up_is_open(app: HazardsApplication) -> None:
    monitoring_id = assessed(app)

    with pytest.raises(RuleViolation, match="S-001 are still open"):
        close(app, monitoring_id)


def test_a_disposal_names_a_follow_up_of_the_task(app: HazardsApplication) -> None:
    monitoring_id = start(app)
    sample(app, monitoring_id, "S-001")

    with pytest.raises(RuleViolation, match="no follow-up"):
        dispose(app, monitoring_id, "S-001")


def test_a_failed_result_received_before_its_sample_is_refused(app: HazardsApplication) -> None:
    monitoring_id = start(app)

    with pytest.raises(RuleViolation, match="received after the sample"):
        failed(app, monitoring_id, result_on=date(2026, 5, 9))


def test_in_hazard_mode_a_failed_sample_reports_a_food_and_drug_hazard(
    app: HazardsApplication,
) -> None:
    monitoring_id = start(app)

    failed(app, monitoring_id, on_failure=FailedSampleAction.HAZARD, village="莲亭村")

    task = app.get_monitoring(monitoring_id)
    assert task.follow_ups == {}
    hazard_id = task.hazards["S-009"]
    hazard = app.get_hazard(hazard_id)
    assert isinstance(hazard, Hazard)
    assert (hazard.category, hazard.source) == (Category.FOOD_DRUG, Source.INSPECTION)
    assert (hazard.township, hazard.village) == ("玉泉镇", "莲亭村")
    assert "毒死蜱" in hazard.title
    noted = [c for c in published(app, monitoring_id) if isinstance(c, SampleReportedAsHazardV1)]
    assert [c.hazard_id for c in noted] == [hazard_id]
    assess(app, monitoring_id, RiskLevel.LOW)
    close(app, monitoring_id)  # the hazard's own loop tracks it: nothing open on the task


def test_in_hazard_mode_a_failed_sample_needs_its_village_and_writes_nothing(
    app: HazardsApplication,
) -> None:
    monitoring_id = start(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(RuleViolation, match="needs the village"):
        failed(app, monitoring_id, on_failure=FailedSampleAction.HAZARD)

    assert app.recorder.max_notification_id() == before
    assert app.get_monitoring(monitoring_id).samples == {}
