"""What a major hazard records beyond the loop, and when rectifying may start, decided in memory:
the report to the regulator, a suspension order (停产停业), the expert assessment (专家评估)
before resumption; a general hazard may start without a batch, a batch not in the past."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from hazards.domain.evidence import legacy_references
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade, HazardStatus, Source
from pingan.write.domain import RuleViolation

S = HazardStatus
TODAY = date(2026, 6, 1)
DEADLINE = date(2026, 6, 30)
BASIS = "《工贸行业重大生产安全事故隐患判定标准》第四条"
REGULATOR = "区应急管理局"


def assigned(grade: Grade) -> Hazard:
    hazard = Hazard(
        title="Dust extraction failing in a workshop",
        category=Category.SAFE_PRODUCTION.value,
        source=Source.INSPECTION.value,
        township="玉泉镇",
        village="闫新村",
        address="Plant 2",
        reporter="inspector Zhao",
    )
    hazard.file(Category.SAFE_PRODUCTION, grade, "QZ-2026-0001", 3, 4, determination_basis=BASIS)
    hazard.plan(
        "replace the extraction unit",
        DEADLINE,
        TODAY,
        responsible_person="Wang",
        funds_yuan=Decimal("80000"),
        contingency_plan="stop the line on alarm",
    )
    hazard.assign_responsibility("某机械厂", "Wang")
    hazard.collect_events()
    return hazard


def kinds(hazard: Hazard) -> list[type]:
    return [type(e) for e in hazard.collect_events()]


# -- starting without a batch; a batch not in the past ---------------------------------------


def test_a_general_hazard_starts_rectifying_without_a_batch() -> None:
    hazard = assigned(Grade.GENERAL)

    hazard.start_rectification()

    assert hazard.status is S.RECTIFYING


def test_a_major_hazard_starts_rectifying_only_from_its_batch() -> None:
    hazard = assigned(Grade.MAJOR)

    with pytest.raises(RuleViolation, match="schedule it first"):
        hazard.start_rectification()
    assert hazard.status is S.ASSIGNED

    hazard.schedule("2026 第二批", TODAY, TODAY)
    hazard.start_rectification()
    assert kinds(hazard) == [Hazard.Scheduled, Hazard.RectificationStarted]


def test_a_batch_does_not_start_before_the_day_it_is_scheduled_on() -> None:
    hazard = assigned(Grade.GENERAL)

    with pytest.raises(RuleViolation, match="before the day it is scheduled on"):
        hazard.schedule("2026 第一批", TODAY - timedelta(days=1), TODAY)

    assert hazard.status is S.ASSIGNED


def test_a_batch_scheduled_on_a_past_day_may_start_from_that_day() -> None:
    hazard = assigned(Grade.GENERAL)
    scheduled_on = date(2026, 3, 2)

    hazard.schedule("2026 第一批", scheduled_on, scheduled_on)

    assert hazard.status is S.SCHEDULED


# -- the regulator, suspension, resumption ---------------------------------------------------


def test_a_major_hazard_is_reported_to_its_regulator() -> None:
    hazard = assigned(Grade.MAJOR)

    hazard.report_to_regulator(REGULATOR, "秦应急字第12号")

    assert hazard.regulator == REGULATOR
    assert kinds(hazard) == [Hazard.ReportedToRegulator]


def test_a_general_hazard_is_not_suspended_nor_reported_to_the_regulator() -> None:
    hazard = assigned(Grade.GENERAL)

    with pytest.raises(RuleViolation, match="only a major hazard"):
        hazard.report_to_regulator(REGULATOR, None)
    with pytest.raises(RuleViolation, match="only a major hazard"):
        hazard.order_suspension(REGULATOR, "whole plant")
    assert kinds(hazard) == []


def test_resumption_is_refused_until_an_expert_assessment_passed() -> None:
    hazard = assigned(Grade.MAJOR)
    hazard.order_suspension(REGULATOR, "workshop 2")

    with pytest.raises(RuleViolation, match="expert assessment"):
        hazard.lift_suspension(REGULATOR)
    hazard.assess_for_resumption("专家组 Li, Sun, Hu", False, "extraction still below standard")
    with pytest.raises(RuleViolation, match="expert assessment"):
        hazard.lift_suspension(REGULATOR)
    hazard.assess_for_resumption("专家组 Li, Sun, Hu", True, "meets the standard")
    hazard.lift_suspension(REGULATOR)

    assert not hazard.suspended
    assert kinds(hazard) == [
        Hazard.SuspensionOrdered,
        Hazard.ResumptionAssessed,
        Hazard.ResumptionAssessed,
        Hazard.SuspensionLifted,
    ]


def test_an_assessment_before_a_new_order_does_not_count_for_it() -> None:
    hazard = assigned(Grade.MAJOR)
    hazard.order_suspension(REGULATOR, "workshop 2")
    hazard.assess_for_resumption("专家组", True, "fit")
    hazard.lift_suspension(REGULATOR)
    hazard.order_suspension(REGULATOR, "workshop 2, again")

    with pytest.raises(RuleViolation, match="passed since the order"):
        hazard.lift_suspension(REGULATOR)


def test_a_failed_assessment_gives_its_reason_and_needs_an_order() -> None:
    hazard = assigned(Grade.MAJOR)
    with pytest.raises(RuleViolation, match="no suspension order"):
        hazard.assess_for_resumption("专家组", True, "fit")
    hazard.order_suspension(REGULATOR, "workshop 2")

    with pytest.raises(RuleViolation, match="reason"):
        hazard.assess_for_resumption("专家组", False, " ")
    with pytest.raises(RuleViolation, match="already in force"):
        hazard.order_suspension(REGULATOR, "workshop 2")


def test_a_suspended_hazard_is_struck_off_only_after_resumption() -> None:
    hazard = assigned(Grade.MAJOR)
    hazard.order_suspension(REGULATOR, "workshop 2")
    hazard.schedule("2026 第二批", TODAY, TODAY)
    hazard.start_rectification()
    hazard.report_rectification("new extraction unit", legacy_references(["photo-1"]))
    hazard.verify("inspector Zhao", TODAY, True, "")

    with pytest.raises(RuleViolation, match="lift it before closing"):
        hazard.close("district office")
    hazard.assess_for_resumption("专家组", True, "fit")
    hazard.lift_suspension(REGULATOR)
    hazard.close("district office")

    assert hazard.status is S.CLOSED
