"""Safety accidents decided in memory under 生产安全事故报告和调查处理条例: the grade the figures
make (art. 3), who investigates (art. 19), the clocks of arts. 9, 11, 13 and 29, investigation
and closing, and what their published events carry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.contracts.accident import (
    AccidentFiguresRevisedV1,
    AccidentReportedOnwardV1,
    AccidentReportedV2,
    AccidentReportOverdueV1,
    InvestigationOverdueV1,
    OnwardReportOverdueV1,
)
from hazards.domain.accident import (
    AccidentKind,
    AccidentStatus,
    InvestigatingBody,
    ReportLevel,
    SafetyAccident,
    Severity,
    grade_of,
)
from hazards.messages import MESSAGES
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="safety officer")
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
HAPPENED = datetime(2026, 5, 18, 14, 30, tzinfo=timezone(timedelta(hours=8)))
TODAY = date(2026, 5, 20)
G, L, M, E = Severity.GENERAL, Severity.LARGER, Severity.MAJOR, Severity.ESPECIALLY_MAJOR


def report(
    app: HazardsApplication,
    severity: Severity | None = None,
    *,
    deaths: int = 0,
    serious_injuries: int = 0,
    loss: Decimal = Decimal("20000"),
    unit_id: str | None = "unit-yuquan-market",
    happened_at: datetime = HAPPENED,
    received_at: datetime | None = None,
    kind: AccidentKind = AccidentKind.FIRE,
    now: datetime = NOW,
) -> UUID:
    return app.report_accident(
        happened_at=happened_at,
        received_at=happened_at + timedelta(minutes=40) if received_at is None else received_at,
        township="玉泉镇",
        village="莲亭村",
        place="Lianting wholesale market, warehouse 2",
        kind=kind,
        severity=severity,
        deaths=deaths,
        serious_injuries=serious_injuries,
        direct_loss_yuan=loss,
        reported_by="town safety office",
        now=now,
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


def events(app: HazardsApplication, accident_id: UUID) -> list[object]:
    return list(app.repository.event_store.get(accident_id))


def contracts(app: HazardsApplication, accident_id: UUID) -> list[object]:
    return [to_integration_event(e) for e in events(app, accident_id)]  # type: ignore[arg-type]


def revise(
    app: HazardsApplication, accident_id: UUID, now: datetime = NOW, **figures: object
) -> None:
    app.revise_accident_figures(
        accident_id,
        reason="补报",
        now=now,
        metadata=META,
        **figures,  # type: ignore[arg-type]
    )


def check(app: HazardsApplication, accident_id: UUID, now: datetime) -> None:
    app.check_accident_clocks(accident_id, now=now, today=now.date(), metadata=META)


def onward(app: HazardsApplication, accident_id: UUID, level: ReportLevel, at: datetime) -> None:
    app.report_accident_onward(
        accident_id, level=level, reported_at=at, now=max(at, NOW), metadata=META
    )


# -- the grade follows the figures (条例 art. 3: 以上 includes the number, 以下 excludes it) ------


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "grade"),
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
def test_the_grade_follows_the_regulations_thresholds(
    app: HazardsApplication, deaths: int, injuries: int, loss: str, grade: Severity
) -> None:
    assert grade_of(deaths, injuries, Decimal(loss)) is grade
    accident_id = report(app, deaths=deaths, serious_injuries=injuries, loss=Decimal(loss))
    assert app.get_accident(accident_id).severity is grade


def test_negative_casualties_or_loss_are_refused() -> None:
    with pytest.raises(RuleViolation, match="negative"):
        grade_of(0, -1, Decimal(0))
    with pytest.raises(RuleViolation, match="negative"):
        grade_of(0, 0, Decimal("-0.01"))


@pytest.mark.parametrize(("severity", "major"), [(G, False), (L, False), (M, True), (E, True)])
def test_only_major_and_especially_major_accidents_are_major(
    severity: Severity, major: bool
) -> None:
    assert severity.is_major is major


@pytest.mark.parametrize(
    ("severity", "body"),
    [
        (G, InvestigatingBody.DISTRICT),
        (L, InvestigatingBody.CITY),
        (M, InvestigatingBody.PROVINCE),
        (E, InvestigatingBody.STATE_COUNCIL),
    ],
)
def test_the_district_investigates_only_general_accidents(
    severity: Severity, body: InvestigatingBody
) -> None:
    assert severity.investigated_by is body


# -- report ------------------------------------------------------------------------------------


def test_a_reported_accident_carries_its_grade_and_figures(app: HazardsApplication) -> None:
    accident_id = report(app, deaths=3)

    accident = app.get_accident(accident_id)
    assert accident.status is AccidentStatus.REPORTED
    assert accident.severity is L
    assert accident.investigated_by is InvestigatingBody.CITY
    assert accident.deaths == 3
    assert not accident.major


def test_a_grade_above_the_figures_for_impact_is_refused(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="make a general accident, not major"):
        report(app, M, deaths=1)


def test_the_grade_refusal_reads_in_chinese(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation) as refused:
        report(app, M, deaths=1)

    assert MESSAGES.detail(str(refused.value), "zh-CN") == (
        "死亡 1 人、重伤 0 人、直接经济损失 20000 元,为一般事故,不是重大事故;"
        "事故等级由伤亡和损失确定 (条例第三条)"
    )


def test_a_grade_below_the_figures_is_refused_naming_theirs(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="make a major accident, not larger"):
        report(app, L, deaths=10)


def test_a_grade_stated_as_the_figures_make_it_is_taken(app: HazardsApplication) -> None:
    assert app.get_accident(report(app, M, deaths=10)).severity is M


def test_an_accident_cannot_be_reported_before_it_happens(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="before it happens"):
        report(app, happened_at=NOW + timedelta(minutes=1))


def test_an_accident_time_without_offset_is_refused(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="UTC offset"):
        report(app, happened_at=datetime(2026, 5, 18, 14, 30))


def test_a_report_received_before_the_accident_is_refused(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation, match="received after the accident"):
        report(app, received_at=HAPPENED - timedelta(minutes=1))


def test_the_reported_event_publishes_severity_major_and_unit(app: HazardsApplication) -> None:
    accident_id = report(app, deaths=12, loss=Decimal("1234567.89"))

    contract = contracts(app, accident_id)[0]

    assert isinstance(contract, AccidentReportedV2)
    assert contract.accident_id == accident_id
    assert contract.severity is M
    assert contract.major is True
    assert contract.unit_id == "unit-yuquan-market"
    assert contract.happened_at == HAPPENED
    assert contract.received_at == HAPPENED + timedelta(minutes=40)
    assert contract.direct_loss_yuan == Decimal("1234567.89")


def test_an_accident_outside_any_unit_publishes_no_unit(app: HazardsApplication) -> None:
    contract = last_contract(app, report(app, deaths=30, unit_id=None))

    assert isinstance(contract, AccidentReportedV2)
    assert contract.major is True
    assert contract.unit_id is None


# -- accidents graded up "for impact" before the rule: upcast to the grade of their figures -----


def store_as_v1(app: HazardsApplication, monkeypatch: pytest.MonkeyPatch, **state: object) -> UUID:
    """Store a one-death accident's report as the first version of the event recorded it."""
    accident = SafetyAccident.report(
        happened_at=HAPPENED,
        township="玉泉镇",
        village="莲亭村",
        place="Lianting wholesale market",
        kind=AccidentKind.FIRE,
        deaths=1,
        serious_injuries=0,
        direct_loss_yuan=Decimal(20000),
        reported_by="town safety office",
        now=HAPPENED + timedelta(minutes=30),
    )
    (reported,) = accident.collect_events()
    vars(reported).pop("received_at")
    vars(reported).update(state)
    with monkeypatch.context() as patch:
        patch.setattr(SafetyAccident.Reported, "class_version", 1)
        app.recorder.insert_events([app.mapper.to_stored_event(reported)])
    return accident.id


def test_an_old_report_graded_up_for_impact_is_read_with_its_figures_grade(
    app: HazardsApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    accident_id = store_as_v1(app, monkeypatch, severity="major", major=True)

    accident = app.get_accident(accident_id)
    reported = events(app, accident_id)[0]

    assert accident.severity is G
    assert accident.received_at is None
    assert accident.onward_due_at is None, "its onward clock never ran"
    assert isinstance(reported, SafetyAccident.Reported)
    assert (reported.severity, reported.major) == ("general", False)
    contract = to_integration_event(reported)
    assert isinstance(contract, AccidentReportedV2)
    assert contract.severity is G


# -- revised figures (补报, art. 13) ------------------------------------------------------------


def test_revised_figures_regrade_and_publish_the_new_grade(app: HazardsApplication) -> None:
    accident_id = report(app, deaths=8)

    revise(app, accident_id, deaths=10)

    accident = app.get_accident(accident_id)
    assert accident.severity is M
    assert accident.deaths == 10
    contract = last_contract(app, accident_id)
    assert isinstance(contract, AccidentFiguresRevisedV1)
    assert (contract.previous_severity, contract.severity, contract.major) == (L, M, True)
    assert contract.unit_id == "unit-yuquan-market"
    assert contract.deaths == 10
    assert contract.direct_loss_yuan == Decimal("20000")


def test_figures_left_out_of_a_revision_stay_as_recorded(app: HazardsApplication) -> None:
    accident_id = report(app, serious_injuries=4, loss=Decimal(5000))

    revise(app, accident_id, direct_loss_yuan=Decimal(12_000_000))

    accident = app.get_accident(accident_id)
    assert (accident.deaths, accident.serious_injuries, accident.direct_loss_yuan) == (
        0,
        4,
        Decimal(12_000_000),
    )
    assert accident.severity is L


def test_a_revision_must_change_a_figure(app: HazardsApplication) -> None:
    accident_id = report(app, deaths=3)

    with pytest.raises(RuleViolation, match="changes none of the figures"):
        revise(app, accident_id, deaths=3)


def test_a_revision_below_major_publishes_major_false(app: HazardsApplication) -> None:
    accident_id = report(app, deaths=10)

    revise(app, accident_id, deaths=9)

    contract = last_contract(app, accident_id)
    assert isinstance(contract, AccidentFiguresRevisedV1)
    assert contract.major is False


def test_an_investigated_accident_may_still_be_revised(app: HazardsApplication) -> None:
    accident_id = report(app)
    conclude(app, accident_id)

    revise(app, accident_id, direct_loss_yuan=Decimal(10_000_000))

    accident = app.get_accident(accident_id)
    assert accident.severity is L
    assert accident.status is AccidentStatus.INVESTIGATED


@pytest.mark.parametrize(
    ("kind", "days"),
    [(AccidentKind.FIRE, 7), (AccidentKind.TRAFFIC, 7), (AccidentKind.PRODUCTION, 30)],
)
def test_casualty_changes_are_taken_within_the_window_of_article_13(
    app: HazardsApplication, kind: AccidentKind, days: int
) -> None:
    accident_id = report(app, deaths=2, kind=kind)
    window_ends = HAPPENED + timedelta(days=days)

    revise(app, accident_id, now=window_ends, deaths=3)
    with pytest.raises(RuleViolation, match=f"within {days} days"):
        revise(app, accident_id, now=window_ends + timedelta(seconds=1), deaths=4)
    revise(app, accident_id, now=window_ends + timedelta(days=1), direct_loss_yuan=Decimal(1))

    assert app.get_accident(accident_id).deaths == 3


# -- the report and onward reports (arts. 9 and 11) ---------------------------------------------


def test_a_report_received_within_the_hour_is_on_time(app: HazardsApplication) -> None:
    accident_id = report(app, received_at=HAPPENED + timedelta(hours=1))

    assert not any(isinstance(c, AccidentReportOverdueV1) for c in contracts(app, accident_id))
    assert not app.get_accident(accident_id).report_late


def test_a_report_received_after_the_hour_records_it_overdue_once(
    app: HazardsApplication,
) -> None:
    received = HAPPENED + timedelta(hours=1, seconds=1)
    accident_id = report(app, received_at=received)
    check(app, accident_id, NOW)

    late = [c for c in contracts(app, accident_id) if isinstance(c, AccidentReportOverdueV1)]
    assert len(late) == 1
    assert late[0].due_at == HAPPENED + timedelta(hours=1)
    assert late[0].received_at == received


def test_an_onward_report_not_made_within_two_hours_is_overdue_once(
    app: HazardsApplication,
) -> None:
    received = HAPPENED + timedelta(minutes=30)
    accident_id = report(app, received_at=received)

    check(app, accident_id, received + timedelta(hours=2))
    assert app.get_accident(accident_id).onward_overdue == set()
    check(app, accident_id, received + timedelta(hours=2, seconds=1))
    check(app, accident_id, received + timedelta(hours=3))

    overdue = [c for c in contracts(app, accident_id) if isinstance(c, OnwardReportOverdueV1)]
    assert [(c.level, c.due_at) for c in overdue] == [
        (ReportLevel.CITY, received + timedelta(hours=2))
    ]


def test_a_larger_accident_goes_on_level_by_level_each_within_two_hours(
    app: HazardsApplication,
) -> None:
    received = HAPPENED + timedelta(minutes=30)
    accident_id = report(app, deaths=3, received_at=received)
    to_city = received + timedelta(hours=1)

    with pytest.raises(RuleViolation, match="city, province, in that order"):
        onward(app, accident_id, ReportLevel.PROVINCE, to_city)
    onward(app, accident_id, ReportLevel.CITY, to_city)
    check(app, accident_id, to_city + timedelta(hours=2, minutes=1))

    published = contracts(app, accident_id)
    reported = [c for c in published if isinstance(c, AccidentReportedOnwardV1)]
    assert (reported[0].late, reported[0].next_level) == (False, ReportLevel.PROVINCE)
    assert reported[0].next_due_at == to_city + timedelta(hours=2)
    overdue = [c for c in published if isinstance(c, OnwardReportOverdueV1)]
    assert [c.level for c in overdue] == [ReportLevel.PROVINCE]


def test_a_general_accident_needs_no_report_beyond_the_city(app: HazardsApplication) -> None:
    accident_id = report(app)
    onward(app, accident_id, ReportLevel.CITY, HAPPENED + timedelta(hours=1))

    check(app, accident_id, HAPPENED + timedelta(days=1))

    assert app.get_accident(accident_id).next_onward_level is None
    assert not any(isinstance(c, OnwardReportOverdueV1) for c in contracts(app, accident_id))
    with pytest.raises(RuleViolation, match="already recorded"):
        onward(app, accident_id, ReportLevel.CITY, HAPPENED + timedelta(hours=2))


def test_a_regrade_that_adds_a_level_starts_its_clock_at_the_revision(
    app: HazardsApplication,
) -> None:
    accident_id = report(app, deaths=2)
    onward(app, accident_id, ReportLevel.CITY, HAPPENED + timedelta(hours=1))
    revised_at = HAPPENED + timedelta(days=2)

    revise(app, accident_id, now=revised_at, deaths=3)

    contract = last_contract(app, accident_id)
    assert isinstance(contract, AccidentFiguresRevisedV1)
    assert contract.onward_next_level is ReportLevel.PROVINCE
    assert contract.onward_due_at == revised_at + timedelta(hours=2)


# -- the investigation's time (art. 29) ---------------------------------------------------------


def test_an_investigation_not_concluded_within_60_days_is_overdue_once(
    app: HazardsApplication,
) -> None:
    accident_id = report(app)
    onward(app, accident_id, ReportLevel.CITY, HAPPENED + timedelta(hours=1))
    due = HAPPENED + timedelta(days=60)

    check(app, accident_id, due)
    check(app, accident_id, due + timedelta(minutes=5))
    check(app, accident_id, due + timedelta(days=3))

    overdue = [c for c in contracts(app, accident_id) if isinstance(c, InvestigationOverdueV1)]
    assert [(c.due_at, c.investigated_by) for c in overdue] == [(due, InvestigatingBody.DISTRICT)]


def test_an_extension_moves_the_investigation_time_once_by_at_most_60_days(
    app: HazardsApplication,
) -> None:
    accident_id = report(app)
    onward(app, accident_id, ReportLevel.CITY, HAPPENED + timedelta(hours=1))
    due = HAPPENED + timedelta(days=60)

    def extend(days: int, now: datetime = due) -> None:
        app.extend_accident_investigation(
            accident_id,
            days=days,
            approved_by="区人民政府",
            reason="技术鉴定",
            now=now,
            metadata=META,
        )

    with pytest.raises(RuleViolation, match="1 to 60 days"):
        extend(61)
    extend(30)
    with pytest.raises(RuleViolation, match="only once"):
        extend(10)
    check(app, accident_id, due + timedelta(days=30))
    assert not any(isinstance(c, InvestigationOverdueV1) for c in contracts(app, accident_id))
    check(app, accident_id, due + timedelta(days=30, seconds=1))
    overdue = [c for c in contracts(app, accident_id) if isinstance(c, InvestigationOverdueV1)]
    assert [c.due_at for c in overdue] == [due + timedelta(days=30)]


def test_an_extension_after_the_time_ran_out_is_refused(app: HazardsApplication) -> None:
    accident_id = report(app)

    with pytest.raises(RuleViolation, match="approved before then"):
        app.extend_accident_investigation(
            accident_id,
            days=10,
            approved_by="区人民政府",
            reason="late",
            now=HAPPENED + timedelta(days=60, seconds=1),
            metadata=META,
        )


def test_a_concluded_or_closed_accident_runs_no_investigation_clock(
    app: HazardsApplication,
) -> None:
    accident_id = report(app)
    conclude(app, accident_id)

    check(app, accident_id, HAPPENED + timedelta(days=90))

    assert not any(isinstance(c, InvestigationOverdueV1) for c in contracts(app, accident_id))


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
    assert refused.value.allowed == ["/close", "/figures", "/onward-reports"]


def test_an_accident_cannot_close_before_its_investigation(app: HazardsApplication) -> None:
    accident_id = report(app)

    with pytest.raises(IllegalTransition) as refused:
        close(app, accident_id)

    assert refused.value.current == "reported"
    assert refused.value.allowed == [
        "/figures",
        "/investigation",
        "/investigation/extension",
        "/onward-reports",
    ]


def test_a_closed_accident_keeps_its_final_grade_and_takes_no_more_commands(
    app: HazardsApplication,
) -> None:
    accident_id = report(app, deaths=10)
    conclude(app, accident_id)

    close(app, accident_id)

    assert app.get_accident(accident_id).status is AccidentStatus.CLOSED
    closed = list(app.repository.event_store.get(accident_id))[-1]
    assert isinstance(closed, SafetyAccident.Closed)
    assert (closed.severity, closed.major, closed.unit_id) == ("major", True, "unit-yuquan-market")
    commands: list[Callable[[], None]] = [
        lambda: close(app, accident_id),
        lambda: conclude(app, accident_id),
        lambda: revise(app, accident_id, deaths=30),
    ]
    for command in commands:
        with pytest.raises(IllegalTransition) as refused:
            command()
        assert refused.value.allowed == []


def test_a_clock_run_out_today_leaves_the_steps_recorded_on_their_own_earlier_dates(
    app: HazardsApplication,
) -> None:
    accident_id = report(app)
    late = HAPPENED + timedelta(days=200)
    app.check_accident_clocks(accident_id, now=late, today=late.date(), metadata=META)
    conclude(app, accident_id, TODAY)

    app.close_accident(
        accident_id, closed_by="district safety committee", metadata=META,
        business_date=TODAY, today=late.date(),
    )  # fmt: skip

    assert any(isinstance(c, InvestigationOverdueV1) for c in contracts(app, accident_id))
    assert app.get_accident(accident_id).status is AccidentStatus.CLOSED
