"""Safety accidents decided in memory: grading under the 条例's minimum, reclassification,
investigation and closing, and what their published events carry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.contracts.accident import AccidentReclassifiedV1, AccidentReportedV1
from hazards.domain.accident import (
    AccidentKind,
    AccidentStatus,
    SafetyAccident,
    Severity,
    minimum_severity,
)
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="safety officer")
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
HAPPENED = datetime(2026, 5, 18, 14, 30, tzinfo=timezone(timedelta(hours=8)))
TODAY = date(2026, 5, 20)
G, L, M, E = Severity.GENERAL, Severity.LARGER, Severity.MAJOR, Severity.ESPECIALLY_MAJOR


def report(
    app: HazardsApplication,
    severity: Severity = Severity.GENERAL,
    *,
    deaths: int = 0,
    serious_injuries: int = 0,
    loss: Decimal = Decimal("20000"),
    unit_id: str | None = "unit-yuquan-market",
    happened_at: datetime = HAPPENED,
) -> UUID:
    return app.report_accident(
        happened_at=happened_at,
        township="玉泉镇",
        village="莲亭村",
        place="Lianting wholesale market, warehouse 2",
        kind=AccidentKind.FIRE,
        severity=severity,
        deaths=deaths,
        serious_injuries=serious_injuries,
        direct_loss_yuan=loss,
        reported_by="town safety office",
        now=NOW,
        unit_id=unit_id,
        unit_name="玉泉农贸市场" if unit_id else None,
        metadata=META,
    ).id


def conclude(app: HazardsApplication, accident_id: UUID, on: date = TODAY) -> None:
    app.conclude_accident_investigation(
        accident_id,
        cause="faulty wiring",
        responsibility="market operator",
        conclusion_on=on,
        today=TODAY,
        metadata=META,
    )


def close(app: HazardsApplication, accident_id: UUID) -> None:
    app.close_accident(accident_id, closed_by="district safety committee", metadata=META)


def last_contract(app: HazardsApplication, accident_id: UUID) -> object:
    return to_integration_event(list(app.repository.event_store.get(accident_id))[-1])


# -- the minimum grade (条例 art. 3: 以上 includes the number, 以下 excludes it) ------------------


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "minimum"),
    [
        (0, 0, "0", G),
        (2, 9, "9999999.99", G),
        (3, 0, "0", L),
        (0, 10, "0", L),
        (0, 0, "10000000", L),
        (9, 49, "49999999.99", L),
        (10, 0, "0", M),
        (0, 50, "0", M),
        (0, 0, "50000000", M),
        (29, 99, "99999999.99", M),
        (30, 0, "0", E),
        (0, 100, "0", E),
        (0, 0, "100000000", E),
        (2, 0, "100000000", E),
    ],
)
def test_the_minimum_grade_follows_the_regulations_thresholds(
    deaths: int, injuries: int, loss: str, minimum: Severity
) -> None:
    assert minimum_severity(deaths, injuries, Decimal(loss)) is minimum


def test_negative_casualties_or_loss_are_refused() -> None:
    with pytest.raises(RuleViolation, match="negative"):
        minimum_severity(0, -1, Decimal(0))
    with pytest.raises(RuleViolation, match="negative"):
        minimum_severity(0, 0, Decimal("-0.01"))


@pytest.mark.parametrize(("severity", "major"), [(G, False), (L, False), (M, True), (E, True)])
def test_only_major_and_especially_major_accidents_are_major(
    severity: Severity, major: bool
) -> None:
    assert severity.is_major is major


# -- report ------------------------------------------------------------------------------------


def test_a_reported_accident_carries_its_grade_and_figures(app: HazardsApplication) -> None:
    accident_id = report(app, L, deaths=3)

    accident = app.get_accident(accident_id)
    assert accident.status is AccidentStatus.REPORTED
    assert accident.severity is L
    assert accident.deaths == 3
    assert not accident.major


def test_a_grade_below_the_minimum_is_refused_naming_the_minimum(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="at least a major accident, not larger"):
        report(app, L, deaths=10)


@pytest.mark.parametrize(
    ("severity", "deaths", "injuries", "loss"),
    [
        (G, 2, 9, Decimal("9999999.99")),
        (L, 3, 0, Decimal(0)),
        (M, 0, 50, Decimal(0)),
        (E, 0, 0, Decimal(100_000_000)),
    ],
)
def test_a_grade_at_its_minimum_is_accepted(
    app: HazardsApplication, severity: Severity, deaths: int, injuries: int, loss: Decimal
) -> None:
    accident_id = report(app, severity, deaths=deaths, serious_injuries=injuries, loss=loss)

    assert app.get_accident(accident_id).severity is severity


@pytest.mark.parametrize(
    ("severity", "deaths", "injuries", "loss"),
    [
        (G, 3, 0, Decimal(0)),
        (L, 0, 50, Decimal(0)),
        (M, 0, 0, Decimal(100_000_000)),
        (L, 0, 0, Decimal(50_000_000)),
    ],
)
def test_a_grade_one_below_its_minimum_is_refused(
    app: HazardsApplication, severity: Severity, deaths: int, injuries: int, loss: Decimal
) -> None:
    with pytest.raises(RuleViolation, match="make at least"):
        report(app, severity, deaths=deaths, serious_injuries=injuries, loss=loss)


def test_a_grade_above_the_minimum_is_allowed(app: HazardsApplication) -> None:
    accident_id = report(app, M, deaths=1)

    assert app.get_accident(accident_id).major


def test_an_accident_cannot_be_reported_before_it_happens(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="before it happens"):
        report(app, happened_at=NOW + timedelta(minutes=1))


def test_an_accident_time_without_offset_is_refused(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="UTC offset"):
        report(app, happened_at=datetime(2026, 5, 18, 14, 30))


def test_the_reported_event_publishes_severity_major_and_unit(app: HazardsApplication) -> None:
    accident_id = report(app, M, deaths=12, loss=Decimal("1234567.89"))

    contract = last_contract(app, accident_id)

    assert isinstance(contract, AccidentReportedV1)
    assert contract.accident_id == accident_id
    assert contract.severity is M
    assert contract.major is True
    assert contract.unit_id == "unit-yuquan-market"
    assert contract.happened_at == HAPPENED
    assert contract.direct_loss_yuan == Decimal("1234567.89")


def test_an_accident_outside_any_unit_publishes_no_unit(app: HazardsApplication) -> None:
    contract = last_contract(app, report(app, E, deaths=30, unit_id=None))

    assert isinstance(contract, AccidentReportedV1)
    assert contract.major is True
    assert contract.unit_id is None


# -- reclassify --------------------------------------------------------------------------------


def test_reclassifying_on_revised_figures_publishes_the_new_grade(
    app: HazardsApplication,
) -> None:
    accident_id = report(app, L, deaths=8)

    app.reclassify_accident(
        accident_id,
        severity=M,
        reason="two injured died in hospital (补报)",
        deaths=10,
        metadata=META,
    )

    accident = app.get_accident(accident_id)
    assert accident.severity is M
    assert accident.deaths == 10
    contract = last_contract(app, accident_id)
    assert isinstance(contract, AccidentReclassifiedV1)
    assert (contract.previous_severity, contract.severity, contract.major) == (L, M, True)
    assert contract.unit_id == "unit-yuquan-market"
    assert contract.deaths == 10
    assert contract.direct_loss_yuan == Decimal("20000")


def test_figures_left_out_of_a_reclassification_stay_as_recorded(
    app: HazardsApplication,
) -> None:
    accident_id = report(app, G, serious_injuries=4, loss=Decimal(5000))

    app.reclassify_accident(accident_id, severity=L, reason="social impact", metadata=META)

    accident = app.get_accident(accident_id)
    assert (accident.deaths, accident.serious_injuries, accident.direct_loss_yuan) == (
        0,
        4,
        Decimal(5000),
    )


def test_a_reclassification_must_change_the_grade(app: HazardsApplication) -> None:
    accident_id = report(app, L, deaths=3)

    with pytest.raises(RuleViolation, match="already graded larger"):
        app.reclassify_accident(accident_id, severity=L, reason="again", metadata=META)


def test_a_reclassification_below_the_minimum_is_refused(app: HazardsApplication) -> None:
    accident_id = report(app, L, deaths=3)

    with pytest.raises(RuleViolation, match="at least a larger accident, not general"):
        app.reclassify_accident(accident_id, severity=G, reason="downgrade", metadata=META)


def test_revised_figures_raise_the_minimum_of_a_reclassification(
    app: HazardsApplication,
) -> None:
    accident_id = report(app, G, deaths=2)

    with pytest.raises(RuleViolation, match="at least a major accident, not larger"):
        app.reclassify_accident(
            accident_id, severity=L, reason="more deaths", deaths=10, metadata=META
        )


def test_a_downgrade_below_major_publishes_major_false(app: HazardsApplication) -> None:
    accident_id = report(app, M, deaths=1)

    app.reclassify_accident(accident_id, severity=L, reason="graded up in error", metadata=META)

    contract = last_contract(app, accident_id)
    assert isinstance(contract, AccidentReclassifiedV1)
    assert contract.major is False


def test_an_investigated_accident_may_still_be_reclassified(app: HazardsApplication) -> None:
    accident_id = report(app, G)
    conclude(app, accident_id)

    app.reclassify_accident(accident_id, severity=L, reason="investigation found", metadata=META)

    accident = app.get_accident(accident_id)
    assert accident.severity is L
    assert accident.status is AccidentStatus.INVESTIGATED


# -- investigation and closing -----------------------------------------------------------------


def test_concluding_the_investigation_records_it(app: HazardsApplication) -> None:
    accident_id = report(app)

    conclude(app, accident_id, date(2026, 5, 18))

    accident = app.get_accident(accident_id)
    assert accident.status is AccidentStatus.INVESTIGATED
    assert accident.conclusion_on == date(2026, 5, 18)


def test_a_conclusion_dated_in_the_future_is_refused(app: HazardsApplication) -> None:
    accident_id = report(app)

    with pytest.raises(RuleViolation, match="future"):
        conclude(app, accident_id, TODAY + timedelta(days=1))


def test_a_conclusion_before_the_accident_is_refused(app: HazardsApplication) -> None:
    accident_id = report(app)

    with pytest.raises(RuleViolation, match="before the accident"):
        conclude(app, accident_id, date(2026, 5, 17))


def test_an_investigation_concludes_once(app: HazardsApplication) -> None:
    accident_id = report(app)
    conclude(app, accident_id)

    with pytest.raises(IllegalTransition) as refused:
        conclude(app, accident_id)

    assert refused.value.current == "investigated"
    assert refused.value.allowed == ["/close", "/reclassification"]


def test_an_accident_cannot_close_before_its_investigation(app: HazardsApplication) -> None:
    accident_id = report(app)

    with pytest.raises(IllegalTransition) as refused:
        close(app, accident_id)

    assert refused.value.current == "reported"
    assert refused.value.allowed == ["/investigation", "/reclassification"]


def test_a_closed_accident_keeps_its_final_grade_and_takes_no_more_commands(
    app: HazardsApplication,
) -> None:
    accident_id = report(app, M, deaths=10)
    conclude(app, accident_id)

    close(app, accident_id)

    assert app.get_accident(accident_id).status is AccidentStatus.CLOSED
    closed = list(app.repository.event_store.get(accident_id))[-1]
    assert isinstance(closed, SafetyAccident.Closed)
    assert (closed.severity, closed.major, closed.unit_id) == ("major", True, "unit-yuquan-market")
    for command in (
        lambda: close(app, accident_id),
        lambda: conclude(app, accident_id),
        lambda: app.reclassify_accident(accident_id, severity=E, reason="r", metadata=META),
    ):
        with pytest.raises(IllegalTransition) as refused:
            command()
        assert refused.value.allowed == []
