"""Filing a hazard (分类建档), decided in memory: unique file numbers, the office's series, the
reason for a general grade against a red rating, and the standard a major hazard is judged by."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.domain.file_number import FileNumberTaken, normal_form
from hazards.domain.vocabulary import Category, Grade, HazardStatus, Source
from pingan.testing import in_memory
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")
TODAY = date(2026, 6, 1)
BASIS = "《工贸行业重大生产安全事故隐患判定标准》第四条"


def report(app: HazardsApplication) -> UUID:
    return app.report_hazard(
        title="Exposed wiring",
        category=Category.FIRE,
        source=Source.GRID_WORKER,
        township="玉泉镇",
        village="金家庄村",
        address="Lane 5",
        reporter="grid worker",
        metadata=META,
        today=TODAY,
    ).id


def file(
    app: HazardsApplication,
    hazard_id: UUID,
    number: str | None = None,
    *,
    grade: Grade = Grade.GENERAL,
    likelihood: int = 2,
    severity: int = 3,
    business_date: date | None = None,
    **given: str,
) -> str | None:
    app.file_hazard(
        hazard_id,
        category=Category.FIRE,
        grade=grade,
        file_number=number,
        likelihood=likelihood,
        severity=severity,
        metadata=META,
        business_date=business_date,
        today=TODAY,
        **given,
    )
    return app.get_hazard(hazard_id).file_number


# -- unique numbers --------------------------------------------------------------------------


def test_a_number_already_held_is_refused_naming_the_hazard_that_holds_it(
    app: HazardsApplication,
) -> None:
    holder, second = report(app), report(app)
    file(app, holder, "QZ-2026-0042")

    with pytest.raises(FileNumberTaken) as taken:
        file(app, second, "QZ-2026-0042")

    assert (taken.value.number, taken.value.holder) == ("QZ-2026-0042", holder)
    assert app.get_hazard(second).status is HazardStatus.REPORTED


#: The number as a Chinese input method in full-width mode types it.
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in "QZ-2026-0042")


@pytest.mark.parametrize("typed", [" qz-2026-0042 ", "QZ - 2026 - 0042", FULL_WIDTH])
def test_a_number_typed_differently_is_the_same_number(app: HazardsApplication, typed: str) -> None:
    holder, second = report(app), report(app)
    file(app, holder, "QZ-2026-0042")

    with pytest.raises(FileNumberTaken):
        file(app, second, typed)

    assert normal_form(typed) == "QZ-2026-0042"


def test_a_refused_filing_leaves_the_number_with_its_holder_and_others_free(
    app: HazardsApplication,
) -> None:
    holder, second = report(app), report(app)
    file(app, holder, "QZ-2026-0042")
    with pytest.raises(FileNumberTaken):
        file(app, second, "QZ-2026-0042")

    assert file(app, second, "QZ-2026-0043") == "QZ-2026-0043"


# -- the office's series ---------------------------------------------------------------------


def test_a_filing_without_a_number_is_issued_the_next_of_the_year(
    app: HazardsApplication,
) -> None:
    issued = [file(app, report(app)) for _ in range(3)]

    assert issued == ["QZ-2026-0001", "QZ-2026-0002", "QZ-2026-0003"]


def test_the_series_runs_per_year_of_the_filing_business_date(app: HazardsApplication) -> None:
    last_year = file(app, report_on(app, date(2025, 11, 3)), business_date=date(2025, 12, 30))
    this_year = file(app, report(app))
    again_last_year = file(app, report_on(app, date(2025, 3, 1)), business_date=date(2025, 3, 2))

    assert (last_year, this_year, again_last_year) == (
        "QZ-2025-0001",
        "QZ-2026-0001",
        "QZ-2025-0002",
    )


def test_the_series_skips_a_number_given_by_hand(app: HazardsApplication) -> None:
    file(app, report(app), "QZ-2026-0002")

    assert [file(app, report(app)) for _ in range(2)] == ["QZ-2026-0001", "QZ-2026-0003"]


def test_the_prefix_is_the_office_setting() -> None:
    app = in_memory(HazardsApplication, FILE_NUMBER_PREFIX="QZQ")

    assert file(app, report(app)) == "QZQ-2026-0001"


def report_on(app: HazardsApplication, found_on: date) -> UUID:
    return app.report_hazard(
        title="From the ledger",
        category=Category.FIRE,
        source=Source.INSPECTION,
        township="玉泉镇",
        village="金家庄村",
        address="Lane 5",
        reporter="inspector",
        metadata=META,
        business_date=found_on,
        today=TODAY,
    ).id


# -- the grade, the matrix and the standard --------------------------------------------------


def test_a_general_hazard_rated_red_needs_a_reason_for_its_grade(app: HazardsApplication) -> None:
    hazard_id = report(app)

    with pytest.raises(RuleViolation, match="reason for its grade"):
        file(app, hazard_id, "QZ-1", likelihood=5, severity=4)

    assert app.get_hazard(hazard_id).status is HazardStatus.REPORTED


def test_a_general_hazard_rated_red_with_its_reason_is_filed(app: HazardsApplication) -> None:
    hazard_id = report(app)

    file(
        app,
        hazard_id,
        "QZ-1",
        likelihood=5,
        severity=4,
        grade_reason="现场已设警戒,人员已撤离,影响范围小",
    )

    (filed,) = [e for e in app.events.get(hazard_id) if type(e).__name__ == "Filed"]
    assert filed.grade_reason == "现场已设警戒,人员已撤离,影响范围小"  # type: ignore[attr-defined]


def test_a_major_hazard_needs_the_standard_it_was_judged_by(app: HazardsApplication) -> None:
    hazard_id = report(app)

    with pytest.raises(RuleViolation, match="判定依据"):
        file(app, hazard_id, "QZ-1", grade=Grade.MAJOR, determination_basis="  ")

    file(app, hazard_id, "QZ-1", grade=Grade.MAJOR, determination_basis=BASIS)
    assert app.get_hazard(hazard_id).determination_basis == BASIS


def test_a_refused_filing_takes_no_number(app: HazardsApplication) -> None:
    refused, later = report(app), report(app)
    with pytest.raises(RuleViolation):
        file(app, refused, grade=Grade.MAJOR)

    assert file(app, later) == "QZ-2026-0001"
