"""The Hazard's closed loop, every transition and every guard, decided in memory.

report -> file -> plan -> assign responsibility -> schedule -> start -> report rectification
-> verify (pass / fail) -> close; rejection; on-the-spot rectification; extensions; the
deadline check and its escalation ladder; supervised listing; refused transitions.

Dates: plans are made on TODAY with DEADLINE as the deadline. Days overdue count from the
deadline (1 on the first day after it), as DeadlineRules documents.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise, product
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest

from hazards.application import HazardsApplication
from hazards.domain.evidence import Evidence
from hazards.domain.hazard import TRANSITIONS, Hazard
from hazards.domain.policy import DeadlineRules
from hazards.domain.vocabulary import (
    Category,
    Colour,
    Escalation,
    Grade,
    HazardStatus,
    ListingLevel,
    RejectionReason,
    Source,
    risk_colour,
)
from pingan.write.domain import DomainError, IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata, metadata_of

S = HazardStatus
E = TypeVar("E", bound=DomainError)


def files(*names: str) -> list[Evidence]:
    """Evidence as the application resolves it from uploaded files."""
    return [
        Evidence(
            sha256=hashlib.sha256(n.encode()).hexdigest(),
            size=len(n),
            media_type="image/jpeg",
            name=f"{n}.jpg",
        )
        for n in names
    ]


def uploaded(app: HazardsApplication, name: str) -> str:
    """Upload a photo to the application's file store; its hash."""
    photo = io.BytesIO(b"\xff\xd8\xff" + name.encode())
    return app.files.put(photo, media_type="image/jpeg", name=f"{name}.jpg").sha256


META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")
#: The verifier of a rectification is someone else than the officer who reported it.
INSPECTOR = EventMetadata(correlation_id="corr-2", causation_id="cause-2", actor="inspector")
TODAY = date(2026, 6, 1)
#: The standard a major hazard is judged by (判定依据); a general one may name it too.
BASIS = "《工贸行业重大生产安全事故隐患判定标准》第四条"
DEADLINE = date(2026, 6, 30)
RULES = DeadlineRules()  # reminder 0, letter 7, notice 15 days overdue; extension lead 3 days


def days(n: int) -> timedelta:
    return timedelta(days=n)


# -- building hazards ----------------------------------------------------------------------


def reported(unit_id: str | None = "unit-7") -> Hazard:
    return Hazard(
        title="Exposed wiring in a rental block",
        category=Category.FIRE.value,
        source=Source.GRID_WORKER.value,
        township="玉泉镇",
        village="金家庄村",
        address="Lane 5, No. 3",
        reporter="grid worker Li",
        unit_id=unit_id,
    )


def file_as(hazard: Hazard, grade: Grade) -> None:
    hazard.file(Category.SAFE_PRODUCTION, grade, "QZ-2026-001", 3, 4, determination_basis=BASIS)


def full_plan(hazard: Hazard, deadline: date = DEADLINE) -> None:
    """A plan with all five of 五落实, good for either grade."""
    hazard.plan(
        measures="replace wiring, fit breakers",
        deadline=deadline,
        today=TODAY,
        responsible_person="Wang",
        funds_yuan=Decimal("12000.00"),
        contingency_plan="evacuate block B",
    )


#: The main path; each step brings the hazard into the state it is paired with.
PATH: list[tuple[HazardStatus, Callable[[Hazard], None]]] = [
    (S.PLANNED, full_plan),
    (S.ASSIGNED, lambda h: h.assign_responsibility("玉泉镇综治办", "Wang")),
    (S.SCHEDULED, lambda h: h.schedule("2026 第二批", TODAY, TODAY)),
    (S.RECTIFYING, lambda h: h.start_rectification()),
    (S.RECTIFICATION_REPORTED, lambda h: h.report_rectification("rewired", files("photo-1"))),
    (S.VERIFIED, lambda h: h.verify("inspector Zhao", TODAY, True, "")),
    (S.CLOSED, lambda h: h.close("district office")),
]


def hazard_in(status: HazardStatus, grade: Grade = Grade.GENERAL) -> Hazard:
    """A hazard brought along the main path into `status`, with no events pending."""
    hazard = reported()
    if status is S.REJECTED:
        hazard.reject(RejectionReason.NOT_A_HAZARD, "a parked bicycle", None)
    elif status is not S.REPORTED:
        file_as(hazard, grade)
        for reached, step in PATH:
            if hazard.status is status:
                break
            step(hazard)
            assert hazard.status is reached
    assert hazard.status is status
    hazard.collect_events()
    return hazard


def recorded(hazard: Hazard) -> list[type]:
    """The kinds of the events recorded since the last look, in order."""
    return [type(e) for e in hazard.collect_events()]


def refused(
    hazard: Hazard, error: type[E], command: Callable[[], object], match: str | None = None
) -> E:
    """Run a command that must be refused; nothing may be recorded and nothing may change."""
    hazard.collect_events()
    version, status = hazard.version, hazard.status
    deadline, listing = hazard.deadline, hazard.listing
    with pytest.raises(error, match=match) as raised:
        command()
    assert hazard.collect_events() == []
    assert (hazard.version, hazard.status) == (version, status)
    assert (hazard.deadline, hazard.listing) == (deadline, listing)
    return raised.value


def planned_in(app: HazardsApplication, file_number: str) -> UUID:
    """A stored general hazard, filed and planned with DEADLINE."""
    hazard_id = report_in(app)
    app.file_hazard(
        hazard_id,
        category=Category.FIRE,
        grade=Grade.GENERAL,
        file_number=file_number,
        likelihood=2,
        severity=3,
        metadata=META,
    )
    app.plan_rectification(
        hazard_id, measures="breakers", deadline=DEADLINE, today=TODAY, metadata=META
    )
    return hazard_id


def report_in(app: HazardsApplication, title: str = "Exposed wiring") -> UUID:
    return app.report_hazard(
        title=title,
        category=Category.FIRE,
        source=Source.PUBLIC_REPORT,
        township="玉泉镇",
        village="天水郡村",
        address="Lane 9",
        reporter="a resident",
        metadata=META,
    ).id


# -- report ----------------------------------------------------------------------------------


def test_a_report_opens_the_loop_with_nothing_yet_decided() -> None:
    hazard = reported()

    assert hazard.status is S.REPORTED
    assert hazard.category is Category.FIRE
    assert hazard.source is Source.GRID_WORKER
    assert (hazard.grade, hazard.file_number, hazard.colour, hazard.deadline) == (
        None,
        None,
        None,
        None,
    )
    assert hazard.allowed_commands() == ["/file", "/reject"]
    assert recorded(hazard) == [Hazard.Reported]


# -- file: the 5x5 matrix --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "severity", "colour"),
    [
        (1, 1, Colour.BLUE),  # 1, the lowest
        (2, 4, Colour.BLUE),  # 8, top of blue
        (4, 2, Colour.BLUE),
        (3, 3, Colour.YELLOW),  # 9, bottom of yellow
        (2, 5, Colour.YELLOW),  # 10
        (4, 3, Colour.YELLOW),  # 12, top of yellow
        (3, 5, Colour.ORANGE),  # 15, bottom of orange
        (4, 4, Colour.ORANGE),  # 16, top of orange
        (4, 5, Colour.RED),  # 20, bottom of red
        (5, 4, Colour.RED),
        (5, 5, Colour.RED),  # 25, the highest
    ],
)
def test_risk_colour_bands_meet_at_their_boundaries(
    likelihood: int, severity: int, colour: Colour
) -> None:
    assert risk_colour(likelihood, severity) is colour


RANK = {Colour.BLUE: 0, Colour.YELLOW: 1, Colour.ORANGE: 2, Colour.RED: 3}


def test_risk_colour_is_symmetric_and_never_falls_as_a_rating_rises() -> None:
    for likelihood, severity in product(range(1, 6), repeat=2):
        colour = risk_colour(likelihood, severity)
        assert risk_colour(severity, likelihood) is colour
        if likelihood < 5:
            assert RANK[risk_colour(likelihood + 1, severity)] >= RANK[colour]


@pytest.mark.parametrize(
    ("likelihood", "severity"), [(0, 3), (6, 3), (3, 0), (3, 6), (-1, -1), (0, 0), (6, 6)]
)
def test_risk_ratings_outside_one_to_five_are_refused(likelihood: int, severity: int) -> None:
    with pytest.raises(RuleViolation, match="1 to 5"):
        risk_colour(likelihood, severity)


@pytest.mark.parametrize(("likelihood", "severity"), [(0, 3), (3, 6)])
def test_filing_with_an_out_of_range_rating_records_nothing(likelihood: int, severity: int) -> None:
    hazard = reported()
    hazard.collect_events()

    with pytest.raises(RuleViolation, match="1 to 5"):
        hazard.file(Category.FIRE, Grade.GENERAL, "QZ-1", likelihood, severity)

    assert hazard.collect_events() == []
    assert hazard.status is S.REPORTED


@pytest.mark.parametrize("grade", list(Grade))
def test_filing_classifies_grades_numbers_and_colours_independently_of_grade(
    grade: Grade,
) -> None:
    hazard = reported()
    hazard.collect_events()

    hazard.file(Category.FLAMMABLE_EXPLOSIVE, grade, "QZ-9", 2, 2, determination_basis=BASIS)

    assert hazard.status is S.FILED
    assert hazard.category is Category.FLAMMABLE_EXPLOSIVE
    assert hazard.grade is grade
    assert hazard.file_number == "QZ-9"
    assert hazard.colour is Colour.BLUE
    (filed,) = hazard.collect_events()
    assert isinstance(filed, Hazard.Filed)
    assert (filed.likelihood, filed.severity, filed.colour) == (2, 2, "blue")


# -- reject ----------------------------------------------------------------------------------


def test_a_report_that_is_not_a_hazard_is_rejected_for_good() -> None:
    hazard = hazard_in(S.REPORTED)

    hazard.reject(RejectionReason.NOT_A_HAZARD, "a parked bicycle", None)

    assert hazard.status is S.REJECTED
    assert hazard.allowed_commands() == []
    (rejected,) = hazard.collect_events()
    assert isinstance(rejected, Hazard.Rejected)
    assert (rejected.reason, rejected.duplicate_of) == ("not_a_hazard", None)


def test_a_duplicate_is_rejected_naming_the_hazard_it_duplicates() -> None:
    hazard = hazard_in(S.REPORTED)
    original = uuid4()

    hazard.reject(RejectionReason.DUPLICATE, "reported twice", original)

    assert hazard.status is S.REJECTED
    (rejected,) = hazard.collect_events()
    assert isinstance(rejected, Hazard.Rejected)
    assert (rejected.reason, rejected.duplicate_of) == ("duplicate", original)


def test_a_duplicate_must_name_the_hazard_it_duplicates() -> None:
    hazard = hazard_in(S.REPORTED)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.reject(RejectionReason.DUPLICATE, "reported twice", None),
        match="must name",
    )


def test_a_hazard_cannot_duplicate_itself() -> None:
    hazard = hazard_in(S.REPORTED)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.reject(RejectionReason.DUPLICATE, "itself", hazard.id),
        match="itself",
    )


def test_a_report_that_is_not_a_hazard_names_no_hazard_it_duplicates() -> None:
    """Not a hazard and a duplicate of another are two different findings."""
    hazard = hazard_in(S.REPORTED)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.reject(RejectionReason.NOT_A_HAZARD, "a parked bicycle", uuid4()),
    )


def test_the_application_rejects_a_duplicate_of_a_stored_hazard(app: HazardsApplication) -> None:
    original = report_in(app, "first report")
    duplicate = report_in(app, "second report")

    app.reject_hazard(
        duplicate,
        reason=RejectionReason.DUPLICATE,
        explanation="same wiring",
        duplicate_of=original,
        metadata=META,
    )

    assert app.get_hazard(duplicate).status is S.REJECTED
    assert app.get_hazard(original).status is S.REPORTED


def test_the_application_refuses_a_duplicate_of_an_unknown_hazard(
    app: HazardsApplication,
) -> None:
    hazard_id = report_in(app)

    with pytest.raises(RuleViolation, match="does not exist"):
        app.reject_hazard(
            hazard_id,
            reason=RejectionReason.DUPLICATE,
            explanation="same wiring",
            duplicate_of=uuid4(),
            metadata=META,
        )

    assert app.get_hazard(hazard_id).status is S.REPORTED


# -- plan ------------------------------------------------------------------------------------


def test_a_general_hazard_needs_only_measures_and_a_deadline() -> None:
    hazard = hazard_in(S.FILED, Grade.GENERAL)

    hazard.plan("fit a breaker", DEADLINE, TODAY)

    assert hazard.status is S.PLANNED
    assert hazard.deadline == DEADLINE
    assert hazard.responsible_person is None
    (planned,) = hazard.collect_events()
    assert isinstance(planned, Hazard.Planned)
    assert (planned.measures, planned.funds_yuan, planned.contingency_plan) == (
        "fit a breaker",
        None,
        None,
    )


def test_a_major_hazard_with_all_five_of_wu_luoshi_is_planned() -> None:
    hazard = hazard_in(S.FILED, Grade.MAJOR)

    full_plan(hazard)

    assert hazard.status is S.PLANNED
    assert hazard.deadline == DEADLINE
    assert hazard.responsible_person == "Wang"
    (planned,) = hazard.collect_events()
    assert isinstance(planned, Hazard.Planned)
    assert planned.funds_yuan == Decimal("12000.00")
    assert planned.contingency_plan == "evacuate block B"


@pytest.mark.parametrize(
    ("person", "funds", "contingency", "missing"),
    [
        (None, Decimal("12000.00"), "evacuate block B", "responsible_person"),
        ("Wang", None, "evacuate block B", "funds_yuan"),
        ("Wang", Decimal("12000.00"), None, "contingency_plan"),
    ],
)
def test_a_major_hazard_plan_missing_any_one_of_wu_luoshi_is_refused(
    person: str | None, funds: Decimal | None, contingency: str | None, missing: str
) -> None:
    hazard = hazard_in(S.FILED, Grade.MAJOR)

    error = refused(
        hazard,
        RuleViolation,
        lambda: hazard.plan("replace wiring", DEADLINE, TODAY, person, funds, contingency),
        match="五落实",
    )

    assert str(error).endswith(f"missing: {missing}")


def test_a_major_hazard_plan_names_every_missing_part() -> None:
    hazard = hazard_in(S.FILED, Grade.MAJOR)

    error = refused(hazard, RuleViolation, lambda: hazard.plan("replace wiring", DEADLINE, TODAY))

    assert str(error).endswith("missing: responsible_person, funds_yuan, contingency_plan")


@pytest.mark.parametrize("grade", list(Grade))
def test_a_deadline_in_the_past_is_refused(grade: Grade) -> None:
    hazard = hazard_in(S.FILED, grade)

    refused(
        hazard, RuleViolation, lambda: full_plan(hazard, deadline=TODAY - days(1)), match="past"
    )


@pytest.mark.parametrize("grade", list(Grade))
def test_a_deadline_of_today_is_accepted(grade: Grade) -> None:
    hazard = hazard_in(S.FILED, grade)

    full_plan(hazard, deadline=TODAY)

    assert (hazard.status, hazard.deadline) == (S.PLANNED, TODAY)


# -- assign responsibility -------------------------------------------------------------------


def test_assigning_responsibility_names_the_unit_and_person() -> None:
    hazard = hazard_in(S.PLANNED)

    hazard.assign_responsibility("玉泉镇安监站", "Chen")

    assert hazard.status is S.ASSIGNED
    assert (hazard.responsible_unit, hazard.responsible_person) == ("玉泉镇安监站", "Chen")
    assert recorded(hazard) == [Hazard.ResponsibilityAssigned]


@pytest.mark.parametrize("status", [S.ASSIGNED, S.SCHEDULED, S.RECTIFYING])
def test_responsibility_can_be_reassigned_later_without_moving_the_hazard(
    status: HazardStatus,
) -> None:
    hazard = hazard_in(status)

    hazard.assign_responsibility("区应急管理局", "Zhou")

    assert hazard.status is status
    assert (hazard.responsible_unit, hazard.responsible_person) == ("区应急管理局", "Zhou")
    assert recorded(hazard) == [Hazard.ResponsibilityAssigned]


# -- schedule and start ----------------------------------------------------------------------


@pytest.mark.parametrize("starts_on", [TODAY, DEADLINE - days(1), DEADLINE])
def test_a_batch_starting_by_the_deadline_is_scheduled(starts_on: date) -> None:
    hazard = hazard_in(S.ASSIGNED)

    hazard.schedule("2026 第二批", starts_on, TODAY)

    assert hazard.status is S.SCHEDULED
    (scheduled,) = hazard.collect_events()
    assert isinstance(scheduled, Hazard.Scheduled)
    assert (scheduled.batch, scheduled.starts_on) == ("2026 第二批", starts_on)


@pytest.mark.parametrize("starts_on", [DEADLINE + days(1), DEADLINE + days(90)])
def test_a_batch_starting_after_the_deadline_is_refused(starts_on: date) -> None:
    hazard = hazard_in(S.ASSIGNED)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.schedule("2026 第三批", starts_on, TODAY),
        match="after the hazard's deadline",
    )


def test_a_batch_may_start_up_to_an_extended_deadline() -> None:
    hazard = hazard_in(S.ASSIGNED)
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.decide_extension(True, "district office", "")

    hazard.schedule("2026 第三批", DEADLINE + days(30), TODAY)

    assert hazard.status is S.SCHEDULED


def test_starting_a_scheduled_hazard_puts_it_under_rectification() -> None:
    hazard = hazard_in(S.SCHEDULED)

    hazard.start_rectification()

    assert hazard.status is S.RECTIFYING
    assert recorded(hazard) == [Hazard.RectificationStarted]


# -- interim controls ------------------------------------------------------------------------

UNDER_WAY = [
    S.FILED,
    S.PLANNED,
    S.ASSIGNED,
    S.SCHEDULED,
    S.RECTIFYING,
    S.RECTIFICATION_REPORTED,
]


@pytest.mark.parametrize("status", UNDER_WAY)
def test_interim_controls_are_kept_from_filing_until_verification(status: HazardStatus) -> None:
    hazard = hazard_in(status)

    hazard.record_interim_control("cordon off block B")
    hazard.record_interim_control("night patrol")

    assert hazard.status is status
    assert hazard.interim_controls == ["cordon off block B", "night patrol"]
    assert recorded(hazard) == [Hazard.InterimControlRecorded] * 2


@pytest.mark.parametrize("status", [S.REPORTED, S.REJECTED, S.VERIFIED, S.CLOSED])
def test_interim_controls_are_refused_before_filing_and_after_verification(
    status: HazardStatus,
) -> None:
    hazard = hazard_in(status)

    refused(hazard, IllegalTransition, lambda: hazard.record_interim_control("cordon"))

    assert hazard.interim_controls == []


# -- report rectification and verify ---------------------------------------------------------


def test_reporting_the_rectification_awaits_verification() -> None:
    hazard = hazard_in(S.RECTIFYING)

    hazard.report_rectification("rewired", files("photo-1", "invoice-2"))

    assert hazard.status is S.RECTIFICATION_REPORTED
    (event,) = hazard.collect_events()
    assert isinstance(event, Hazard.RectificationReported)
    assert (event.summary, event.evidence, event.on_the_spot) == (
        "rewired",
        files("photo-1", "invoice-2"),
        False,
    )


@pytest.mark.parametrize(
    ("verified_on", "on_time"),
    [
        (TODAY, True),
        (DEADLINE - days(1), True),
        (DEADLINE, True),  # the deadline day itself is still on time
        (DEADLINE + days(1), False),
        (DEADLINE + days(40), False),
    ],
)
def test_a_passed_verification_is_on_time_only_by_the_deadline(
    verified_on: date, on_time: bool
) -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)

    hazard.verify("inspector Zhao", verified_on, True, "good work")

    assert hazard.status is S.VERIFIED
    assert hazard.on_time is on_time
    (passed,) = hazard.collect_events()
    assert isinstance(passed, Hazard.VerificationPassed)
    assert (passed.verified_on, passed.on_time) == (verified_on, on_time)


def test_on_time_is_judged_against_an_extended_deadline() -> None:
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.decide_extension(True, "district office", "")
    hazard.report_rectification("rewired", files("photo-1"))

    hazard.verify("inspector Zhao", DEADLINE + days(20), True, "")

    assert hazard.on_time is True


def test_a_failed_verification_sends_the_hazard_back_to_rectifying_on_the_books() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)

    hazard.verify("inspector Zhao", TODAY, False, "breakers not earthed")

    assert hazard.status is S.RECTIFYING
    assert hazard.failed_verifications == 1
    (failed,) = hazard.collect_events()
    assert isinstance(failed, Hazard.VerificationFailed)
    assert (failed.inspector, failed.reason) == ("inspector Zhao", "breakers not earthed")


def test_each_failed_verification_counts_and_a_later_pass_still_verifies() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)

    for n in (1, 2, 3):
        hazard.verify("inspector Zhao", TODAY, False, f"still unsafe ({n})")
        assert (hazard.status, hazard.failed_verifications) == (S.RECTIFYING, n)
        hazard.report_rectification(f"attempt {n + 1}", [])
    hazard.verify("inspector Zhao", TODAY, True, "")

    assert hazard.status is S.VERIFIED
    assert hazard.failed_verifications == 3


@pytest.mark.parametrize("notes", ["", "   ", "\n\t"])
def test_a_failed_verification_must_give_its_reason(notes: str) -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.verify("inspector Zhao", TODAY, False, notes),
        "reason",
    )

    assert hazard.failed_verifications == 0


def test_a_passed_verification_needs_no_notes() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)

    hazard.verify("inspector Zhao", TODAY, True, "")

    assert hazard.status is S.VERIFIED


# -- close -----------------------------------------------------------------------------------


@pytest.mark.parametrize("grade", list(Grade))
def test_closing_strikes_the_verified_hazard_off_the_books(grade: Grade) -> None:
    hazard = hazard_in(S.VERIFIED, grade)

    hazard.close("district office")

    assert hazard.status is S.CLOSED
    assert hazard.allowed_commands() == ["/listing/lift"]  # a listing outlives the closure
    (closed,) = hazard.collect_events()
    assert isinstance(closed, Hazard.Closed)
    assert closed.closed_by == "district office"
    assert (closed.township, closed.village, closed.unit_id) == ("玉泉镇", "金家庄村", "unit-7")
    assert (closed.category, closed.grade, closed.on_time) == ("safe_production", grade, True)


def test_a_hazard_verified_late_closes_as_late() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)
    hazard.verify("inspector Zhao", DEADLINE + days(3), True, "")

    hazard.close("district office")

    (closed,) = hazard.collect_events()[-1:]
    assert isinstance(closed, Hazard.Closed)
    assert closed.on_time is False


def test_closing_lifts_a_supervised_listing_when_the_office_so_configures() -> None:
    hazard = hazard_in(S.RECTIFYING, Grade.MAJOR)
    hazard.list_for_supervision("区委政法委", ListingLevel.DISTRICT, "director Ma")
    hazard.report_rectification("rewired", files("photo-1"))
    hazard.verify("inspector Zhao", TODAY, True, "")
    hazard.collect_events()

    hazard.close("district office", DeadlineRules(lift_listing_at_closure=True))

    assert hazard.listing is None
    assert recorded(hazard) == [Hazard.Closed, Hazard.ListingLifted]


def test_closing_an_unlisted_hazard_lifts_nothing() -> None:
    hazard = hazard_in(S.VERIFIED, Grade.MAJOR)

    hazard.close("district office")

    assert recorded(hazard) == [Hazard.Closed]


# -- on-the-spot rectification ---------------------------------------------------------------


def test_a_general_hazard_fixed_on_the_spot_still_awaits_verification() -> None:
    hazard = hazard_in(S.FILED, Grade.GENERAL)

    hazard.rectify_on_spot("tightened the loose socket", files("photo-1"))

    assert hazard.status is S.RECTIFICATION_REPORTED
    assert hazard.allowed_commands() == sorted(
        [
            "/extension-decision",
            "/listing",
            "/listing/raise",
            "/interim-controls",
            "/extension-request",
            "/verification",
            # Offered by state; the grade then keeps them to major hazards.
            "/regulator-report",
            "/suspension",
            "/resumption-assessment",
            "/resumption",
        ]
    )
    (event,) = hazard.collect_events()
    assert isinstance(event, Hazard.RectificationReported)
    assert event.on_the_spot is True
    refused(hazard, IllegalTransition, lambda: hazard.close("district office"))


def test_a_hazard_fixed_on_the_spot_closes_once_verified_and_counts_as_on_time() -> None:
    hazard = hazard_in(S.FILED, Grade.GENERAL)
    hazard.rectify_on_spot("tightened the loose socket", files("photo-1"))

    hazard.verify("inspector Zhao", TODAY, True, "")
    hazard.close("district office")

    assert hazard.status is S.CLOSED
    assert hazard.on_time is True


def test_a_major_hazard_cannot_be_fixed_on_the_spot() -> None:
    hazard = hazard_in(S.FILED, Grade.MAJOR)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.rectify_on_spot("tightened it", []),
        match="only a general hazard",
    )


@pytest.mark.parametrize("status", [S.REPORTED, S.PLANNED, S.RECTIFYING])
def test_on_the_spot_rectification_is_only_for_a_freshly_filed_hazard(
    status: HazardStatus,
) -> None:
    hazard = hazard_in(status, Grade.GENERAL)

    refused(hazard, IllegalTransition, lambda: hazard.rectify_on_spot("tightened it", []))


def test_a_hazard_fixed_on_the_spot_has_no_deadline_to_extend() -> None:
    hazard = hazard_in(S.FILED, Grade.GENERAL)
    hazard.rectify_on_spot("tightened it", [])

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.request_extension(DEADLINE, "more time", TODAY, RULES),
        match="no deadline",
    )


def test_a_failed_on_the_spot_fix_is_bound_to_a_plan_and_a_deadline() -> None:
    """Sent back to rectifying with no plan, it could never fall overdue nor be extended."""
    hazard = hazard_in(S.FILED, Grade.GENERAL)
    hazard.rectify_on_spot("tightened the loose socket", files("photo-1"))

    hazard.verify("inspector Zhao", TODAY, False, "socket still sparks")

    assert hazard.deadline is not None or "/plan" in hazard.allowed_commands()


# -- extensions ------------------------------------------------------------------------------


@pytest.mark.parametrize("lead_days", [0, 3, 10])
def test_an_extension_may_be_asked_for_exactly_the_lead_time_before_the_deadline(
    lead_days: int,
) -> None:
    rules = DeadlineRules(extension_lead_days=lead_days)
    hazard = hazard_in(S.RECTIFYING)
    asked_on = DEADLINE - days(lead_days)

    hazard.request_extension(DEADLINE + days(14), "funds late", asked_on, rules)

    assert hazard.pending_extension == DEADLINE + days(14)
    assert hazard.deadline == DEADLINE
    (asked,) = hazard.collect_events()
    assert isinstance(asked, Hazard.ExtensionRequested)
    assert (asked.requested_deadline, asked.requested_on) == (DEADLINE + days(14), asked_on)


@pytest.mark.parametrize(
    ("lead_days", "asked_on"),
    [
        (3, DEADLINE - days(2)),  # one day short of the lead time
        (3, DEADLINE),
        (3, DEADLINE + days(1)),  # already overdue
        (0, DEADLINE + days(1)),  # no lead time still means before the deadline passes
        (10, DEADLINE - days(9)),
    ],
)
def test_an_extension_asked_for_too_late_is_refused(lead_days: int, asked_on: date) -> None:
    rules = DeadlineRules(extension_lead_days=lead_days)
    hazard = hazard_in(S.RECTIFYING)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.request_extension(DEADLINE + days(14), "funds late", asked_on, rules),
        match=f"at least {lead_days} days",
    )

    assert hazard.pending_extension is None


@pytest.mark.parametrize("requested", [DEADLINE, DEADLINE - days(1)])
def test_an_extension_must_ask_for_a_later_deadline(requested: date) -> None:
    hazard = hazard_in(S.PLANNED)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.request_extension(requested, "more time", TODAY, RULES),
        match="later than the current one",
    )


def test_only_one_extension_request_may_be_pending() -> None:
    hazard = hazard_in(S.SCHEDULED)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.request_extension(DEADLINE + days(30), "even later", TODAY, RULES),
        match="already awaiting",
    )

    assert hazard.pending_extension == DEADLINE + days(14)


@pytest.mark.parametrize("status", [S.PLANNED, S.ASSIGNED, S.SCHEDULED, S.RECTIFYING])
def test_an_approved_extension_moves_the_deadline(status: HazardStatus) -> None:
    hazard = hazard_in(status)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)
    hazard.collect_events()

    hazard.decide_extension(True, "district office", "")

    assert hazard.deadline == DEADLINE + days(14)
    assert hazard.pending_extension is None
    assert hazard.status is status
    (approved,) = hazard.collect_events()
    assert isinstance(approved, Hazard.ExtensionApproved)
    assert (approved.approver, approved.new_deadline) == ("district office", DEADLINE + days(14))


def test_a_rejected_extension_keeps_the_deadline_and_frees_the_way_for_another_request() -> None:
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)
    hazard.collect_events()

    hazard.decide_extension(False, "district office", "funds are in place")

    assert hazard.deadline == DEADLINE
    assert hazard.pending_extension is None
    (rejected,) = hazard.collect_events()
    assert isinstance(rejected, Hazard.ExtensionRejected)
    assert rejected.reason == "funds are in place"
    hazard.request_extension(DEADLINE + days(7), "contractor ill", TODAY, RULES)
    assert hazard.pending_extension == DEADLINE + days(7)


def test_a_second_extension_is_measured_from_the_extended_deadline() -> None:
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)
    hazard.decide_extension(True, "district office", "")

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.request_extension(DEADLINE + days(10), "more", TODAY, RULES),
        match="later than the current one",
    )
    hazard.request_extension(DEADLINE + days(20), "more", DEADLINE + days(11), RULES)

    assert hazard.pending_extension == DEADLINE + days(20)


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_rejected_extension_must_give_its_reason(reason: str) -> None:
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.decide_extension(False, "district office", reason),
        match="reason",
    )

    assert hazard.pending_extension == DEADLINE + days(14)


@pytest.mark.parametrize("approve", [True, False])
def test_no_decision_without_a_pending_extension_request(approve: bool) -> None:
    hazard = hazard_in(S.RECTIFYING)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.decide_extension(approve, "district office", "no"),
        match="no extension request",
    )


def test_a_decided_request_cannot_be_decided_again() -> None:
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)
    hazard.decide_extension(True, "district office", "")

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.decide_extension(True, "district office", ""),
        match="no extension request",
    )


def test_no_hazard_is_closed_with_an_extension_request_nobody_can_decide() -> None:
    """Once verified, decide_extension is refused; a request still pending then waits forever
    (and the register keeps showing it). Either verification settles it or it waits for one."""
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)
    hazard.report_rectification("rewired", files("photo-1"))

    with contextlib.suppress(RuleViolation):
        hazard.verify("inspector Zhao", TODAY, True, "")
        hazard.close("district office")

    if hazard.status is S.RECTIFICATION_REPORTED:
        assert "/extension-decision" in hazard.allowed_commands()
    else:
        assert hazard.pending_extension is None


def test_the_application_asks_for_extensions_by_the_office_lead_time(
    app: HazardsApplication,
) -> None:
    hazard_id = planned_in(app, "QZ-3")
    app.set_deadline_rules(DeadlineRules(extension_lead_days=10), metadata=META)

    with pytest.raises(RuleViolation, match="at least 10 days"):
        app.request_extension(
            hazard_id,
            requested_deadline=DEADLINE + days(7),
            reason="funds",
            today=DEADLINE - days(9),
            metadata=META,
        )
    app.request_extension(
        hazard_id,
        requested_deadline=DEADLINE + days(7),
        reason="funds",
        today=DEADLINE - days(10),
        metadata=META,
    )
    app.decide_extension(hazard_id, approve=True, approver="office", reason="", metadata=META)

    assert app.get_hazard(hazard_id).deadline == DEADLINE + days(7)


# -- check_deadline: overdue once, then up the ladder ----------------------------------------


def escalations(hazard: Hazard) -> list[tuple[int, int]]:
    """(level, days overdue) of each escalation recorded since the last look; asserts no
    other kind of event but BecameOverdue (and the reminder before the deadline) was recorded."""
    found: list[tuple[int, int]] = []
    for event in hazard.collect_events():
        if isinstance(event, Hazard.Escalated):
            found.append((event.level, event.days_overdue))
        else:
            assert isinstance(event, Hazard.BecameOverdue | Hazard.DeadlineApproaching)
    return found


@pytest.mark.parametrize("today", [TODAY, DEADLINE - days(1), DEADLINE])
def test_a_hazard_is_not_overdue_on_or_before_its_deadline(today: date) -> None:
    hazard = hazard_in(S.RECTIFYING)

    hazard.check_deadline(today, RULES)

    assert not {Hazard.BecameOverdue, Hazard.Escalated} & set(recorded(hazard))
    assert not hazard.is_overdue
    assert hazard.escalation is Escalation.NONE


def test_the_day_after_the_deadline_the_hazard_is_overdue_and_reminded() -> None:
    hazard = hazard_in(S.RECTIFYING)

    hazard.check_deadline(DEADLINE + days(1), RULES)

    overdue, reminded = hazard.collect_events()
    assert isinstance(overdue, Hazard.BecameOverdue)
    assert (overdue.deadline, overdue.overdue_since) == (DEADLINE, DEADLINE + days(1))
    assert isinstance(reminded, Hazard.Escalated)
    assert (reminded.level, reminded.days_overdue) == (Escalation.REMINDER, 1)
    assert hazard.is_overdue
    assert hazard.overdue_since == DEADLINE + days(1)
    assert hazard.escalation is Escalation.REMINDER


@pytest.mark.parametrize(
    "status", [S.PLANNED, S.ASSIGNED, S.SCHEDULED, S.RECTIFYING, S.RECTIFICATION_REPORTED]
)
def test_every_unverified_hazard_with_a_deadline_can_fall_overdue(status: HazardStatus) -> None:
    hazard = hazard_in(status)

    hazard.check_deadline(DEADLINE + days(1), RULES)

    assert hazard.is_overdue
    assert hazard.status is status


def test_a_hazard_becomes_overdue_exactly_once_however_often_it_is_checked() -> None:
    hazard = hazard_in(S.RECTIFYING)

    kinds: list[type] = []
    for n in range(0, 60):
        for _ in range(3):
            hazard.check_deadline(DEADLINE + days(n), RULES)
            kinds += recorded(hazard)

    assert kinds.count(Hazard.BecameOverdue) == 1
    assert kinds.count(Hazard.Escalated) == 3
    assert hazard.overdue_since == DEADLINE + days(1)
    assert hazard.escalation is Escalation.PUBLIC_NOTICE


def test_checking_day_by_day_climbs_each_step_once_on_its_day() -> None:
    hazard = hazard_in(S.RECTIFYING)

    climbed: list[tuple[date, int]] = []
    for n in range(0, 40):
        today = DEADLINE + days(n)
        hazard.check_deadline(today, RULES)
        hazard.check_deadline(today, RULES)
        climbed += [(today, level) for level, _ in escalations(hazard)]

    assert climbed == [
        (DEADLINE + days(1), Escalation.REMINDER),
        (DEADLINE + days(7), Escalation.SUPERVISION_LETTER),
        (DEADLINE + days(15), Escalation.PUBLIC_NOTICE),
    ]


@pytest.mark.parametrize(
    ("days_overdue", "level"),
    [
        (1, Escalation.REMINDER),
        (6, Escalation.REMINDER),
        (7, Escalation.SUPERVISION_LETTER),
        (14, Escalation.SUPERVISION_LETTER),
        (15, Escalation.PUBLIC_NOTICE),
        (365, Escalation.PUBLIC_NOTICE),
    ],
)
def test_the_ladder_step_reached_depends_on_the_days_overdue(
    days_overdue: int, level: Escalation
) -> None:
    hazard = hazard_in(S.RECTIFYING)

    hazard.check_deadline(DEADLINE + days(days_overdue), RULES)

    assert hazard.escalation is level
    assert escalations(hazard) == [(step, days_overdue) for step in range(1, level + 1)]


def test_a_hazard_found_very_late_gets_every_missed_step_once_and_no_more() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)

    hazard.check_deadline(DEADLINE + days(60), RULES)

    assert escalations(hazard) == [(1, 60), (2, 60), (3, 60)]
    for later in (60, 61, 200, 5000):
        hazard.check_deadline(DEADLINE + days(later), RULES)
        assert hazard.collect_events() == []
    assert hazard.escalation is Escalation.PUBLIC_NOTICE


def test_the_office_days_decide_when_each_step_is_due() -> None:
    rules = DeadlineRules(
        reminder_after_days=3, supervision_letter_after_days=5, public_notice_after_days=9
    )
    hazard = hazard_in(S.RECTIFYING)

    hazard.check_deadline(DEADLINE + days(1), rules)
    assert recorded(hazard) == [Hazard.BecameOverdue]
    hazard.check_deadline(DEADLINE + days(2), rules)
    assert escalations(hazard) == []
    hazard.check_deadline(DEADLINE + days(3), rules)
    assert escalations(hazard) == [(1, 3)]
    hazard.check_deadline(DEADLINE + days(8), rules)
    assert escalations(hazard) == [(2, 8)]
    hazard.check_deadline(DEADLINE + days(9), rules)
    assert escalations(hazard) == [(3, 9)]


def test_steps_due_on_the_same_day_are_all_recorded_in_order() -> None:
    rules = DeadlineRules(
        reminder_after_days=5, supervision_letter_after_days=5, public_notice_after_days=5
    )
    hazard = hazard_in(S.RECTIFYING)

    hazard.check_deadline(DEADLINE + days(4), rules)
    assert escalations(hazard) == []
    hazard.check_deadline(DEADLINE + days(5), rules)

    assert escalations(hazard) == [(1, 5), (2, 5), (3, 5)]


@pytest.mark.parametrize("status", [S.VERIFIED, S.CLOSED])
def test_a_verified_or_closed_hazard_never_falls_overdue(status: HazardStatus) -> None:
    hazard = hazard_in(status)

    for n in (1, 7, 15, 100):
        hazard.check_deadline(DEADLINE + days(n), RULES)

    assert hazard.collect_events() == []
    assert not hazard.is_overdue
    assert hazard.escalation is Escalation.NONE


@pytest.mark.parametrize("status", [S.REPORTED, S.REJECTED, S.FILED])
def test_a_hazard_without_a_deadline_never_falls_overdue(status: HazardStatus) -> None:
    hazard = hazard_in(status)

    hazard.check_deadline(DEADLINE + days(100), RULES)

    assert hazard.collect_events() == []
    assert not hazard.is_overdue


def test_an_overdue_hazard_stops_escalating_once_verified() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)
    hazard.check_deadline(DEADLINE + days(2), RULES)
    hazard.verify("inspector Zhao", DEADLINE + days(3), True, "")
    hazard.collect_events()

    hazard.check_deadline(DEADLINE + days(30), RULES)

    assert hazard.collect_events() == []
    assert hazard.escalation is Escalation.REMINDER
    assert hazard.on_time is False


def test_an_overdue_hazard_sent_back_by_a_failed_verification_keeps_climbing() -> None:
    hazard = hazard_in(S.RECTIFICATION_REPORTED)
    hazard.check_deadline(DEADLINE + days(2), RULES)
    hazard.verify("inspector Zhao", DEADLINE + days(3), False, "not earthed")
    hazard.collect_events()

    hazard.check_deadline(DEADLINE + days(7), RULES)

    assert escalations(hazard) == [(2, 7)]


def test_an_extended_hazard_falls_overdue_only_after_its_new_deadline() -> None:
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(14), "funds late", TODAY, RULES)
    hazard.decide_extension(True, "district office", "")
    hazard.collect_events()

    hazard.check_deadline(DEADLINE + days(1), RULES)
    hazard.check_deadline(DEADLINE + days(14), RULES)
    assert recorded(hazard) == [Hazard.DeadlineApproaching]  # of the new deadline

    hazard.check_deadline(DEADLINE + days(15), RULES)
    overdue, reminded = hazard.collect_events()
    assert isinstance(overdue, Hazard.BecameOverdue)
    assert overdue.overdue_since == DEADLINE + days(15)
    assert isinstance(reminded, Hazard.Escalated)


def test_an_extension_approved_late_lifts_the_overdue_mark_until_the_new_deadline() -> None:
    """Asked for in time, decided late: the hazard is judged by its new deadline."""
    hazard = hazard_in(S.RECTIFYING)
    hazard.request_extension(DEADLINE + days(30), "funds late", TODAY, RULES)
    hazard.check_deadline(DEADLINE + days(2), RULES)  # overdue while the request waits
    hazard.decide_extension(True, "district office", "")
    hazard.collect_events()

    hazard.check_deadline(DEADLINE + days(20), RULES)  # old deadline + 20, new deadline - 10

    assert escalations(hazard) == []
    assert hazard.escalation is Escalation.NONE
    assert not hazard.is_overdue


def test_the_application_checks_deadlines_on_the_office_rules_and_records_once(
    app: HazardsApplication,
) -> None:
    hazard_id = planned_in(app, "QZ-4")
    app.set_deadline_rules(
        DeadlineRules(
            reminder_after_days=2, supervision_letter_after_days=4, public_notice_after_days=6
        ),
        metadata=META,
    )

    first = app.check_deadline(hazard_id, today=DEADLINE + days(4), metadata=META)
    again = app.check_deadline(hazard_id, today=DEADLINE + days(4), metadata=META)

    assert first.position > 0
    assert again.position == 0  # nothing new to record
    hazard = app.get_hazard(hazard_id)
    assert hazard.is_overdue
    assert hazard.escalation is Escalation.SUPERVISION_LETTER
    kinds: list[type] = [type(e) for e in app.repository.event_store.get(hazard_id)]
    assert kinds.count(Hazard.BecameOverdue) == 1
    assert kinds.count(Hazard.Escalated) == 2


# -- DeadlineRules ---------------------------------------------------------------------------


def test_the_default_rules_remind_on_day_one_write_at_a_week_and_publish_at_a_fortnight() -> None:
    assert RULES == DeadlineRules(1, 7, 15, 3)


def test_rules_refuse_an_escalation_before_the_first_day_overdue() -> None:
    with pytest.raises(RuleViolation, match="start at 1"):
        DeadlineRules(0, 7, 15)


@pytest.mark.parametrize(
    "field",
    [
        "reminder_after_days",
        "supervision_letter_after_days",
        "public_notice_after_days",
        "extension_lead_days",
    ],
)
def test_rules_refuse_negative_days(field: str) -> None:
    values: dict[str, Any] = {
        "reminder_after_days": 1,
        "supervision_letter_after_days": 7,
        "public_notice_after_days": 15,
        "extension_lead_days": 3,
    }
    values[field] = -1

    with pytest.raises(RuleViolation, match="negative"):
        DeadlineRules(**values)


@pytest.mark.parametrize(
    ("reminder", "letter", "notice"),
    [(8, 7, 15), (1, 16, 15), (16, 7, 15), (15, 7, 1), (3, 2, 1)],
)
def test_rules_refuse_a_ladder_out_of_order(reminder: int, letter: int, notice: int) -> None:
    with pytest.raises(RuleViolation, match="ladder order"):
        DeadlineRules(reminder, letter, notice)


@pytest.mark.parametrize(("reminder", "letter", "notice"), [(1, 1, 1), (3, 3, 10), (1, 9, 9)])
def test_rules_allow_steps_on_the_same_day(reminder: int, letter: int, notice: int) -> None:
    rules = DeadlineRules(reminder, letter, notice)

    assert rules.due_level(notice) is Escalation.PUBLIC_NOTICE


@pytest.mark.parametrize(
    ("days_overdue", "level"),
    [
        (-5, Escalation.NONE),
        (1, Escalation.NONE),
        (2, Escalation.REMINDER),
        (4, Escalation.REMINDER),
        (5, Escalation.SUPERVISION_LETTER),
        (8, Escalation.SUPERVISION_LETTER),
        (9, Escalation.PUBLIC_NOTICE),
        (1000, Escalation.PUBLIC_NOTICE),
    ],
)
def test_rules_name_the_step_due_after_so_many_days(days_overdue: int, level: Escalation) -> None:
    assert DeadlineRules(2, 5, 9).due_level(days_overdue) is level


def test_the_application_uses_default_rules_until_the_office_sets_its_own(
    app: HazardsApplication,
) -> None:
    assert app.deadline_rules() == DeadlineRules()

    app.set_deadline_rules(DeadlineRules(1, 2, 3, 4), metadata=META)
    app.set_deadline_rules(DeadlineRules(2, 4, 8, 5), metadata=META)

    assert app.deadline_rules() == DeadlineRules(2, 4, 8, 5)


# -- supervised listing ----------------------------------------------------------------------


@pytest.mark.parametrize("status", UNDER_WAY)
@pytest.mark.parametrize("level", list(ListingLevel))
def test_a_major_hazard_can_be_listed_for_supervision(
    status: HazardStatus, level: ListingLevel
) -> None:
    hazard = hazard_in(status, Grade.MAJOR)

    hazard.list_for_supervision("区委政法委", level, "director Ma")

    assert hazard.listing is level
    assert hazard.status is status
    (listed,) = hazard.collect_events()
    assert isinstance(listed, Hazard.ListedForSupervision)
    assert (listed.supervising_unit, listed.level, listed.listed_by) == (
        "区委政法委",
        level,
        "director Ma",
    )


def test_an_overdue_general_hazard_can_be_listed_for_supervision() -> None:
    hazard = hazard_in(S.RECTIFYING, Grade.GENERAL)
    hazard.check_deadline(DEADLINE + days(1), RULES)

    hazard.list_for_supervision("区委政法委", ListingLevel.DISTRICT, "director Ma")

    assert hazard.listing is ListingLevel.DISTRICT


@pytest.mark.parametrize("status", UNDER_WAY)
def test_a_general_hazard_that_is_not_overdue_cannot_be_listed(status: HazardStatus) -> None:
    hazard = hazard_in(status, Grade.GENERAL)

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.list_for_supervision("区委政法委", ListingLevel.DISTRICT, "director Ma"),
        match="overdue or a major",
    )


@pytest.mark.parametrize("grade", list(Grade))
def test_a_hazard_is_not_listed_twice(grade: Grade) -> None:
    hazard = hazard_in(S.RECTIFYING, grade)
    hazard.check_deadline(DEADLINE + days(1), RULES)
    hazard.list_for_supervision("区委政法委", ListingLevel.DISTRICT, "director Ma")

    refused(
        hazard,
        RuleViolation,
        lambda: hazard.list_for_supervision("市委政法委", ListingLevel.CITY, "director Ma"),
        match="already listed",
    )

    assert hazard.listing is ListingLevel.DISTRICT


@pytest.mark.parametrize("status", [S.REPORTED, S.REJECTED, S.VERIFIED, S.CLOSED])
def test_listing_is_refused_before_filing_and_after_verification(status: HazardStatus) -> None:
    hazard = hazard_in(status, Grade.MAJOR)

    refused(
        hazard,
        IllegalTransition,
        lambda: hazard.list_for_supervision("区委政法委", ListingLevel.DISTRICT, "director Ma"),
    )


# -- refused transitions ---------------------------------------------------------------------

#: What a major hazard records from filing until it is struck off: the regulator, suspension.
MAJOR_HAZARD_ACTS = {
    "report_to_regulator",
    "order_suspension",
    "assess_for_resumption",
    "lift_suspension",
}
#: What each state allows, as the closed loop reads (written out here, not taken from the model).
ALLOWED: dict[HazardStatus, set[str]] = {
    S.REPORTED: {"file", "reject"},
    S.REJECTED: set(),
    S.FILED: {
        "plan",
        "rectify_on_spot",
        "record_interim_control",
        "list_for_supervision",
        "raise_listing",
    }
    | MAJOR_HAZARD_ACTS,
    S.PLANNED: {
        "assign_responsibility",
        "record_interim_control",
        "request_extension",
        "decide_extension",
        "list_for_supervision",
        "raise_listing",
    }
    | MAJOR_HAZARD_ACTS,
    S.ASSIGNED: {
        "assign_responsibility",
        "schedule",
        "start_rectification",
        "record_interim_control",
        "request_extension",
        "decide_extension",
        "list_for_supervision",
        "raise_listing",
    }
    | MAJOR_HAZARD_ACTS,
    S.SCHEDULED: {
        "assign_responsibility",
        "start_rectification",
        "record_interim_control",
        "request_extension",
        "decide_extension",
        "list_for_supervision",
        "raise_listing",
    }
    | MAJOR_HAZARD_ACTS,
    S.RECTIFYING: {
        "assign_responsibility",
        "report_rectification",
        "record_interim_control",
        "request_extension",
        "decide_extension",
        "list_for_supervision",
        "raise_listing",
    }
    | MAJOR_HAZARD_ACTS,
    S.RECTIFICATION_REPORTED: {
        "verify",
        "record_interim_control",
        "request_extension",
        "decide_extension",
        "list_for_supervision",
        "raise_listing",
    }
    | MAJOR_HAZARD_ACTS,
    S.VERIFIED: {"close", "lift_listing"} | MAJOR_HAZARD_ACTS,
    S.CLOSED: {"lift_listing"},
}

#: Each command, with arguments that pass its own guards wherever the state lets it through.
COMMANDS: dict[str, Callable[[Hazard], None]] = {
    "file": lambda h: h.file(Category.FIRE, Grade.GENERAL, "QZ-2", 2, 2),
    "reject": lambda h: h.reject(RejectionReason.NOT_A_HAZARD, "a bicycle", None),
    "plan": lambda h: h.plan("breakers", DEADLINE, TODAY),
    "rectify_on_spot": lambda h: h.rectify_on_spot("tightened", files("photo")),
    "assign_responsibility": lambda h: h.assign_responsibility("安监站", "Chen"),
    "schedule": lambda h: h.schedule("2026 第二批", TODAY, TODAY),
    "start_rectification": lambda h: h.start_rectification(),
    "record_interim_control": lambda h: h.record_interim_control("cordon"),
    "report_rectification": lambda h: h.report_rectification("rewired", files("photo")),
    "verify": lambda h: h.verify("inspector Zhao", TODAY, True, ""),
    "close": lambda h: h.close("district office"),
    "request_extension": lambda h: h.request_extension(DEADLINE + days(30), "r", TODAY, RULES),
    "decide_extension": lambda h: h.decide_extension(True, "district office", ""),
    "list_for_supervision": lambda h: h.list_for_supervision(
        "区委政法委", ListingLevel.DISTRICT, "director Ma"
    ),
    "raise_listing": lambda h: h.raise_listing(
        ListingLevel.CITY, "市委政法委", "no progress", "Ma"
    ),
    "lift_listing": lambda h: h.lift_listing("verified", "director Ma"),
    "report_to_regulator": lambda h: h.report_to_regulator("区应急管理局", None),
    "order_suspension": lambda h: h.order_suspension("区应急管理局", "whole plant"),
    "assess_for_resumption": lambda h: h.assess_for_resumption("expert panel", True, "fit"),
    "lift_suspension": lambda h: h.lift_suspension("区应急管理局"),
}


def actions(commands: set[str]) -> list[str]:
    """The API actions of these commands, as a refusal names them."""
    return sorted({TRANSITIONS.action(command) for command in commands})


def test_the_tables_cover_every_state_and_every_command() -> None:
    assert set(ALLOWED) == set(HazardStatus)
    assert set(COMMANDS) == TRANSITIONS.commands
    assert set().union(*ALLOWED.values()) <= set(COMMANDS)


@pytest.mark.parametrize("status", list(HazardStatus))
def test_each_state_offers_exactly_its_commands(status: HazardStatus) -> None:
    assert hazard_in(status).allowed_commands() == actions(ALLOWED[status])


@pytest.mark.parametrize(
    ("status", "command"),
    [(s, c) for s, c in product(HazardStatus, COMMANDS) if c not in ALLOWED[s]],
    ids=lambda v: str(v),
)
def test_a_command_the_state_does_not_allow_is_refused_naming_state_and_choices(
    status: HazardStatus, command: str
) -> None:
    hazard = hazard_in(status, Grade.MAJOR)

    error = refused(hazard, IllegalTransition, lambda: COMMANDS[command](hazard))

    assert error.entity == "hazard"
    assert error.current == status.value
    assert error.command == TRANSITIONS.action(command)
    assert error.command.startswith("/")
    assert error.allowed == hazard.allowed_commands() == actions(ALLOWED[status])
    label = TRANSITIONS.state_label(status)
    assert label is not None and f"「{label.zh}」" in str(error) and label.en in str(error)
    assert error.command in str(error)


@pytest.mark.parametrize(
    ("status", "command"),
    [(s, c) for s in HazardStatus for c in sorted(ALLOWED[s])],
    ids=lambda v: str(v),
)
@pytest.mark.parametrize("grade", list(Grade))
def test_a_command_the_state_allows_is_not_refused_as_a_transition(
    status: HazardStatus, command: str, grade: Grade
) -> None:
    hazard = hazard_in(status, grade)

    # A rule further in may still refuse it (no pending request, a general hazard not
    # overdue, a major hazard on the spot); the state itself must let it through.
    with contextlib.suppress(RuleViolation):
        COMMANDS[command](hazard)


# -- the whole loop, stored and replayed -----------------------------------------------------


def test_a_major_hazard_goes_round_the_whole_loop_in_the_application(
    app: HazardsApplication,
) -> None:
    hazard_id = report_in(app)
    positions = [
        app.file_hazard(
            hazard_id,
            category=Category.FIRE,
            grade=Grade.MAJOR,
            file_number="QZ-5",
            determination_basis=BASIS,
            likelihood=5,
            severity=4,
            metadata=META,
        ).position,
        app.plan_rectification(
            hazard_id,
            measures="rewire",
            deadline=DEADLINE,
            today=TODAY,
            responsible_person="Wang",
            funds_yuan=Decimal("50000"),
            contingency_plan="evacuate",
            metadata=META,
        ).position,
        app.list_for_supervision(
            hazard_id,
            supervising_unit="区委政法委",
            level=ListingLevel.DISTRICT,
            listed_by="director Ma",
            metadata=META,
        ).position,
        app.assign_responsibility(
            hazard_id, responsible_unit="安监站", responsible_person="Chen", metadata=META
        ).position,
        app.schedule_rectification(
            hazard_id, batch="2026 第二批", starts_on=TODAY, metadata=META
        ).position,
        app.start_rectification(hazard_id, metadata=META).position,
        app.record_interim_control(hazard_id, measure="cordon", metadata=META).position,
        app.report_rectification(
            hazard_id,
            summary="rewired",
            evidence=[uploaded(app, "p1")],
            on_the_spot=False,
            metadata=META,
        ).position,
        app.verify_rectification(
            hazard_id,
            inspector="Zhao",
            verified_on=TODAY,
            passed=False,
            notes="not earthed",
            metadata=INSPECTOR,
        ).position,
        app.report_rectification(
            hazard_id,
            summary="earthed",
            evidence=[uploaded(app, "p2")],
            on_the_spot=False,
            metadata=META,
        ).position,
        app.verify_rectification(
            hazard_id,
            inspector="Zhao",
            verified_on=DEADLINE,
            passed=True,
            notes="",
            metadata=INSPECTOR,
        ).position,
        app.lift_listing(
            hazard_id, reason="rectification verified", lifted_by="director Ma", metadata=META
        ).position,
        app.close_hazard(hazard_id, closed_by="district office", metadata=META).position,
    ]

    assert all(a < b for a, b in pairwise(positions))
    hazard = app.get_hazard(hazard_id)
    assert hazard.status is S.CLOSED
    assert hazard.colour is Colour.RED
    assert (hazard.on_time, hazard.failed_verifications, hazard.listing) == (True, 1, None)
    assert hazard.interim_controls == ["cordon"]
    stored = list(app.repository.event_store.get(hazard_id))
    kinds: list[type] = [type(e) for e in stored]
    assert kinds == [
        Hazard.Reported,
        Hazard.Filed,
        Hazard.Planned,
        Hazard.ListedForSupervision,
        Hazard.ResponsibilityAssigned,
        Hazard.Scheduled,
        Hazard.RectificationStarted,
        Hazard.InterimControlRecorded,
        Hazard.RectificationReported,
        Hazard.VerificationFailed,
        Hazard.RectificationReported,
        Hazard.VerificationPassed,
        Hazard.ListingLifted,
        Hazard.Closed,
    ]
    verifications = (Hazard.VerificationFailed, Hazard.VerificationPassed)
    assert all(
        metadata_of(e) == (INSPECTOR if isinstance(e, verifications) else META) for e in stored
    )


def test_a_general_hazard_fixed_on_the_spot_closes_after_verification_in_the_application(
    app: HazardsApplication,
) -> None:
    hazard_id = report_in(app)
    app.file_hazard(
        hazard_id,
        category=Category.THEFT,
        grade=Grade.GENERAL,
        file_number="QZ-6",
        likelihood=1,
        severity=2,
        metadata=META,
    )
    app.report_rectification(
        hazard_id,
        summary="lock fitted",
        evidence=[uploaded(app, "p")],
        on_the_spot=True,
        metadata=META,
    )
    assert app.get_hazard(hazard_id).status is S.RECTIFICATION_REPORTED

    app.verify_rectification(
        hazard_id, inspector="Zhao", verified_on=TODAY, passed=True, notes="", metadata=INSPECTOR
    )
    app.close_hazard(hazard_id, closed_by="district office", metadata=META)

    assert app.get_hazard(hazard_id).status is S.CLOSED


def test_a_refused_command_in_the_application_stores_nothing(app: HazardsApplication) -> None:
    hazard_id = report_in(app)
    before = len(list(app.repository.event_store.get(hazard_id)))

    with pytest.raises(IllegalTransition) as refused_error:
        app.close_hazard(hazard_id, closed_by="district office", metadata=META)

    assert refused_error.value.allowed == ["/file", "/reject"]
    assert len(list(app.repository.event_store.get(hazard_id))) == before
