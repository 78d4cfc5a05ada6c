"""Deadlines and supervised listing, decided in memory: the reminder before a deadline
(临期提醒), on-time judged against the deadline missed, raising and lifting a listing, the
deadline check listing an overdue major hazard, and the quarterly report as issued.

Dates as in test_hazard_lifecycle: plans are made on TODAY with DEADLINE as the deadline.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from hazards.application import HazardsApplication
from hazards.contracts.hazard import (
    CONTRACTS,
    PUBLISHED,
    HazardClosedV1,
    HazardClosedV2,
    RectificationVerifiedV1,
    RectificationVerifiedV2,
    translate,
)
from hazards.domain.evidence import legacy_references
from hazards.domain.hazard import Hazard
from hazards.domain.policy import POLICY_ID, DeadlinePolicy, DeadlineRules
from hazards.domain.quarterly_report import QuarterlyReport
from hazards.domain.vocabulary import Category, Grade, HazardStatus, ListingLevel, Source
from hazards.projections.register import HazardRegister
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata

S = HazardStatus
META = EventMetadata(correlation_id="c", causation_id="c", actor="officer")
INSPECTOR = EventMetadata(correlation_id="i", causation_id="i", actor="inspector")
TODAY = date(2026, 6, 1)
DEADLINE = date(2026, 6, 30)
RULES = DeadlineRules()


def days(n: int) -> timedelta:
    return timedelta(days=n)


def rectifying(grade: Grade = Grade.GENERAL) -> Hazard:
    hazard = Hazard(
        title="Blocked fire exit",
        category=Category.FIRE.value,
        source=Source.INSPECTION.value,
        township="玉泉镇",
        village="莲亭村",
        address="Market hall",
        reporter="inspector Li",
    )
    basis = "《重大事故隐患判定标准》" if grade is Grade.MAJOR else None
    hazard.file(Category.FIRE, grade, "QZ-2026-0001", 3, 4, determination_basis=basis)
    hazard.plan("clear the exit", DEADLINE, TODAY, "Wang", Decimal("100"), "marshals")
    hazard.assign_responsibility("市场所", "Wang")
    hazard.schedule("第一批", TODAY, TODAY)
    hazard.start_rectification()
    hazard.collect_events()
    return hazard


def kinds(hazard: Hazard) -> list[type]:
    return [type(e) for e in hazard.collect_events()]


def verified(hazard: Hazard, on: date) -> Hazard.VerificationPassed:
    hazard.report_rectification("cleared", legacy_references(["photo"]))
    hazard.verify("inspector Zhao", on, True, "")
    passed = hazard.collect_events()[-1]
    assert isinstance(passed, Hazard.VerificationPassed)
    return passed


# -- 临期提醒 --------------------------------------------------------------------------------


def test_the_reminder_falls_due_the_office_days_before_the_deadline_and_only_once() -> None:
    hazard = rectifying()

    recorded: list[tuple[date, int]] = []
    for n in range(10, -1, -1):
        hazard.check_deadline(DEADLINE - days(n), RULES)
        hazard.check_deadline(DEADLINE - days(n), RULES)
        for event in hazard.collect_events():
            assert isinstance(event, Hazard.DeadlineApproaching)
            recorded.append((DEADLINE - days(n), event.days_left))

    assert recorded == [(DEADLINE - days(3), 3)]


def test_a_check_first_run_on_the_deadline_day_still_reminds() -> None:
    hazard = rectifying()

    hazard.check_deadline(DEADLINE, RULES)

    (event,) = hazard.collect_events()
    assert isinstance(event, Hazard.DeadlineApproaching)
    assert (event.deadline, event.days_left) == (DEADLINE, 0)


def test_no_reminder_once_the_deadline_has_passed_only_the_overdue_mark() -> None:
    hazard = rectifying()

    hazard.check_deadline(DEADLINE + days(1), RULES)

    assert kinds(hazard) == [Hazard.BecameOverdue, Hazard.Escalated]


def test_an_office_without_reminders_sets_zero_days() -> None:
    hazard = rectifying()

    for n in range(10, -1, -1):
        hazard.check_deadline(DEADLINE - days(n), replace(RULES, approaching_days=0))

    assert kinds(hazard) == []


def test_an_extended_deadline_gets_its_own_reminder() -> None:
    hazard = rectifying()
    hazard.check_deadline(DEADLINE - days(3), RULES)
    hazard.request_extension(DEADLINE + days(20), "materials late", DEADLINE - days(3), RULES)
    hazard.decide_extension(True, "district office", "", DEADLINE - days(2))
    hazard.collect_events()

    hazard.check_deadline(DEADLINE - days(1), RULES)
    assert kinds(hazard) == []
    hazard.check_deadline(DEADLINE + days(18), RULES)

    (event,) = hazard.collect_events()
    assert isinstance(event, Hazard.DeadlineApproaching)
    assert event.deadline == DEADLINE + days(20)


def test_the_application_reminds_on_the_office_days(app: HazardsApplication) -> None:
    hazard_id = planned_in(app)
    app.set_deadline_rules(replace(RULES, approaching_days=7), metadata=META)

    first = app.check_deadline(hazard_id, today=DEADLINE - days(7), metadata=META)
    again = app.check_deadline(hazard_id, today=DEADLINE - days(6), metadata=META)

    assert first.position > 0
    assert again.position == 0
    stored = [type(e) for e in app.repository.event_store.get(hazard_id)]
    assert stored.count(Hazard.DeadlineApproaching) == 1


# -- on time against the deadline missed -----------------------------------------------------


def test_an_extension_approved_after_the_deadline_does_not_make_the_hazard_on_time() -> None:
    hazard = rectifying()
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.check_deadline(DEADLINE + days(2), RULES)  # overdue while the request waited
    hazard.decide_extension(True, "district office", "", DEADLINE + days(3))

    passed = verified(hazard, DEADLINE + days(10))  # by the new deadline, after the old

    assert hazard.deadline == DEADLINE + days(30)
    assert hazard.missed_deadline == DEADLINE
    assert (passed.on_time, passed.judged_against) == (False, DEADLINE)


def test_a_late_approval_marks_the_hazard_overdue_when_the_check_had_not() -> None:
    hazard = rectifying()
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.collect_events()

    hazard.decide_extension(True, "district office", "", DEADLINE + days(3))

    overdue, approved = hazard.collect_events()
    assert isinstance(overdue, Hazard.BecameOverdue)
    assert overdue.deadline == DEADLINE
    assert isinstance(approved, Hazard.ExtensionApproved)
    assert verified(hazard, DEADLINE + days(5)).on_time is False


def test_an_extension_approved_in_time_is_the_deadline_judged_against() -> None:
    hazard = rectifying()
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.decide_extension(True, "district office", "", DEADLINE - days(1))

    passed = verified(hazard, DEADLINE + days(10))

    assert hazard.missed_deadline is None
    assert (passed.on_time, passed.judged_against) == (True, DEADLINE + days(30))


def test_a_second_overdue_keeps_the_first_deadline_missed() -> None:
    hazard = rectifying()
    hazard.request_extension(DEADLINE + days(10), "r", TODAY, RULES)
    hazard.check_deadline(DEADLINE + days(1), RULES)
    hazard.decide_extension(True, "district office", "", DEADLINE + days(2))
    hazard.check_deadline(DEADLINE + days(11), RULES)

    assert hazard.is_overdue
    assert hazard.missed_deadline == DEADLINE


def test_the_closure_publishes_on_time_as_judged_and_the_deadline_missed() -> None:
    hazard = rectifying()
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.check_deadline(DEADLINE + days(2), RULES)
    hazard.decide_extension(True, "district office", "", DEADLINE + days(3))
    passed = verified(hazard, DEADLINE + days(10))
    hazard.close("district office")
    (closed,) = hazard.collect_events()

    verified_contract = translate(passed)
    closed_contract = translate(closed)

    assert isinstance(verified_contract, RectificationVerifiedV2)
    assert (verified_contract.on_time, verified_contract.judged_against) == (False, DEADLINE)
    assert isinstance(closed_contract, HazardClosedV2)
    assert (closed_contract.on_time, closed_contract.missed_deadline) == (False, DEADLINE)


def test_a_verification_of_version_one_reads_with_no_deadline_judged_against() -> None:
    state: dict[str, object] = {
        "inspector": "Zhao",
        "verified_on": TODAY,
        "notes": "",
        "on_time": True,
    }
    Hazard.VerificationPassed.upcast_v1_v2(state)
    closed: dict[str, object] = {}
    Hazard.Closed.upcast_v1_v2(closed)

    assert state["judged_against"] is None
    assert closed["missed_deadline"] is None


# -- supervised listing ----------------------------------------------------------------------


def listed(grade: Grade = Grade.MAJOR) -> Hazard:
    hazard = rectifying(grade)
    hazard.list_for_supervision("区委政法委", ListingLevel.DISTRICT, "director Ma")
    hazard.collect_events()
    return hazard


@pytest.mark.parametrize("level", [ListingLevel.CITY, ListingLevel.PROVINCE])
def test_a_district_listing_is_raised_to_the_city_or_the_province_with_a_reason(
    level: ListingLevel,
) -> None:
    hazard = listed()

    hazard.raise_listing(level, "市委政法委", "no progress after the letter", "director Ma")

    (event,) = hazard.collect_events()
    assert isinstance(event, Hazard.ListingRaised)
    assert (event.from_level, event.level, event.reason) == (
        "district",
        level.value,
        "no progress after the letter",
    )
    assert hazard.listing is level


@pytest.mark.parametrize("level", [ListingLevel.DISTRICT, ListingLevel.CITY])
def test_a_listing_is_never_raised_to_its_own_level_or_lower(level: ListingLevel) -> None:
    hazard = listed()
    hazard.raise_listing(ListingLevel.CITY, "市委政法委", "r", "Ma")

    with pytest.raises(RuleViolation, match="higher level"):
        hazard.raise_listing(level, "x", "r", "Ma")
    assert hazard.listing is ListingLevel.CITY


def test_raising_needs_a_reason_and_a_listing() -> None:
    with pytest.raises(RuleViolation, match="reason"):
        listed().raise_listing(ListingLevel.CITY, "市委政法委", " ", "Ma")
    with pytest.raises(RuleViolation, match="not listed"):
        rectifying().raise_listing(ListingLevel.CITY, "市委政法委", "r", "Ma")


def test_a_listing_is_lifted_by_its_own_act_once_verified_and_not_before() -> None:
    hazard = listed()
    with pytest.raises(Exception, match="listing/lift"):
        hazard.lift_listing("done", "director Ma")
    verified(hazard, DEADLINE)

    hazard.lift_listing("rectification verified", "director Ma")

    (event,) = hazard.collect_events()
    assert isinstance(event, Hazard.ListingLifted)
    assert (event.reason, event.lifted_by) == ("rectification verified", "director Ma")
    assert hazard.listing is None


def test_by_default_a_closure_leaves_the_listing_to_be_lifted_by_its_own_act() -> None:
    hazard = listed()
    verified(hazard, DEADLINE)

    hazard.close("district office", RULES)

    assert kinds(hazard) == [Hazard.Closed]
    assert hazard.listing is ListingLevel.DISTRICT
    hazard.lift_listing("verified and closed", "director Ma")
    assert hazard.listing is None


def test_the_check_lists_an_overdue_major_hazard_when_the_office_rule_says_so() -> None:
    rules = replace(RULES, list_overdue_major=True, listing_unit="区安委办")
    hazard = rectifying(Grade.MAJOR)

    hazard.check_deadline(DEADLINE + days(1), rules)
    hazard.check_deadline(DEADLINE + days(2), rules)

    events = hazard.collect_events()
    assert [type(e) for e in events] == [
        Hazard.BecameOverdue,
        Hazard.Escalated,
        Hazard.ListedForSupervision,
    ]
    listing = events[-1]
    assert isinstance(listing, Hazard.ListedForSupervision)
    assert (listing.level, listing.supervising_unit, listing.listed_by) == (
        "district",
        "区安委办",
        "deadline-check",
    )


@pytest.mark.parametrize(
    ("grade", "rule"), [(Grade.MAJOR, False), (Grade.GENERAL, True), (Grade.GENERAL, False)]
)
def test_the_check_lists_nothing_otherwise(grade: Grade, rule: bool) -> None:
    hazard = rectifying(grade)

    hazard.check_deadline(DEADLINE + days(1), replace(RULES, list_overdue_major=rule))

    assert Hazard.ListedForSupervision not in kinds(hazard)
    assert hazard.listing is None


def test_the_check_does_not_list_again_a_hazard_already_listed() -> None:
    hazard = listed()

    hazard.check_deadline(DEADLINE + days(1), replace(RULES, list_overdue_major=True))

    assert Hazard.ListedForSupervision not in kinds(hazard)


# -- the office's rules ----------------------------------------------------------------------


def test_rules_set_before_the_reminder_read_as_the_office_ran_then(
    app: HazardsApplication,
) -> None:
    state: dict[str, object] = {
        "reminder_after_days": 1,
        "supervision_letter_after_days": 7,
        "public_notice_after_days": 15,
        "extension_lead_days": 3,
    }
    DeadlinePolicy.Changed.upcast_v1_v2(state)

    assert state["approaching_days"] == 0
    assert state["lift_listing_at_closure"] is True
    assert state["list_overdue_major"] is False


def test_the_rules_round_trip_through_the_store(app: HazardsApplication) -> None:
    rules = replace(RULES, approaching_days=5, list_overdue_major=True)
    app.set_deadline_rules(rules, metadata=META)
    app.set_deadline_rules(replace(rules, lift_listing_at_closure=True), metadata=META)

    assert app.deadline_rules() == replace(rules, lift_listing_at_closure=True)
    assert app.repository.get(POLICY_ID).version == 2


def test_negative_reminder_days_are_refused() -> None:
    with pytest.raises(RuleViolation, match="negative"):
        DeadlineRules(approaching_days=-1)


# -- the quarterly report as issued ----------------------------------------------------------

ROWS = [{"township": "玉泉镇", "found": 3, "closed": 1}]


def test_a_quarter_is_issued_only_after_it_has_ended() -> None:
    with pytest.raises(RuleViolation, match="after the quarter"):
        QuarterlyReport.issue(2026, 2, ROWS, "office", 10, date(2026, 6, 30))

    report = QuarterlyReport.issue(2026, 2, ROWS, "office", 10, date(2026, 7, 1))

    assert (report.version, report.rows) == (1, ROWS)


def test_a_reissue_keeps_the_first_issue_and_says_why(app: HazardsApplication) -> None:
    later = [{"township": "玉泉镇", "found": 4, "closed": 1}]
    first = app.issue_quarterly_report(
        2026, 2, rows=ROWS, issued_by="office", register_position=10, reason=None,
        today=date(2026, 7, 2), metadata=META,
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="reason"):
        app.issue_quarterly_report(
            2026, 2, rows=later, issued_by="office", register_position=12, reason=None,
            today=date(2026, 8, 1), metadata=META,
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="not changed"):
        app.issue_quarterly_report(
            2026, 2, rows=ROWS, issued_by="office", register_position=12, reason="again",
            today=date(2026, 8, 1), metadata=META,
        )  # fmt: skip
    app.issue_quarterly_report(
        2026, 2, rows=later, issued_by="office", register_position=12,
        reason="a June hazard entered from the paper ledger", today=date(2026, 8, 1),
        metadata=META,
    )  # fmt: skip

    versions = app.quarterly_issues(2026, 2)

    assert [(v.version, v.reissue, v.rows) for v in versions] == [
        (1, False, ROWS),
        (2, True, later),
    ]
    assert versions[1].reason == "a June hazard entered from the paper ledger"
    assert [v.issued_on for v in versions] == [date(2026, 7, 2), date(2026, 8, 1)]
    assert first.position > 0
    assert app.quarterly_issues(2026, 1) == []


def planned_in(app: HazardsApplication) -> UUID:
    hazard_id = app.report_hazard(
        title="t",
        category=Category.FIRE,
        source=Source.INSPECTION,
        township="玉泉镇",
        village="莲亭村",
        address="a",
        reporter="r",
        metadata=META,
    ).id
    app.file_hazard(
        hazard_id,
        category=Category.FIRE,
        grade=Grade.GENERAL,
        file_number=f"QZ-{uuid4().hex[:6]}",
        likelihood=2,
        severity=2,
        metadata=META,
    )
    app.plan_rectification(hazard_id, measures="m", deadline=DEADLINE, today=TODAY, metadata=META)
    return hazard_id


def test_the_superseded_versions_stay_listed_and_the_register_reads_both() -> None:
    published = {contract.event_type for contract in PUBLISHED.values()}
    old = {RectificationVerifiedV1.event_type, HazardClosedV1.event_type}
    new = {RectificationVerifiedV2.event_type, HazardClosedV2.event_type}

    assert old.isdisjoint(published) and new <= published
    assert {RectificationVerifiedV1, HazardClosedV1} <= set(CONTRACTS)
    assert old | new <= set(HazardRegister.handlers)
