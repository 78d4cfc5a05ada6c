"""Business time: a fact carries the date the user states, apart from its recording time."""

from __future__ import annotations

from datetime import date

import pytest

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.domain.vocabulary import Category, Grade, Source
from pingan.testing import in_memory
from pingan.write.application import Recorded
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata

TODAY = date(2026, 6, 3)
META = EventMetadata.new()


def report(app: HazardsApplication, business_date: date | None = None) -> Recorded:
    return app.report_hazard(
        title="夜市消防通道堵塞",
        category=Category.FIRE,
        source=Source.GRID_WORKER,
        township="玉泉镇",
        village="莲亭村",
        address="莲亭村三巷",
        reporter="网格员 李",
        metadata=META,
        today=TODAY,
        business_date=business_date,
    )


def test_a_fact_is_dated_today_unless_stated_and_its_contract_carries_the_date(
    app: HazardsApplication,
) -> None:
    today = report(app).id
    past = report(app, business_date=date(2025, 11, 20)).id

    reported = [next(iter(app.repository.event_store.get(i))) for i in (today, past)]
    contracts = [to_integration_event(event) for event in reported]

    assert [vars(c).get("business_date") for c in contracts] == [TODAY, date(2025, 11, 20)]
    assert all(
        c is not None and vars(c)["occurred_at"].date() != date(2025, 11, 20) for c in contracts
    )


@pytest.mark.parametrize("stated", [date(2026, 6, 4), date(2015, 1, 1)])
def test_a_business_date_in_the_future_or_too_far_back_is_refused(
    app: HazardsApplication, stated: date
) -> None:
    with pytest.raises(RuleViolation):
        report(app, business_date=stated)


def test_the_limit_on_backdating_is_configurable() -> None:
    app = in_memory(HazardsApplication, BUSINESS_DATE_LIMIT_DAYS="30")

    report(app, business_date=date(2026, 5, 10))
    with pytest.raises(RuleViolation):
        report(app, business_date=date(2026, 5, 1))


def test_a_fact_cannot_be_dated_before_the_latest_fact_on_its_record(
    app: HazardsApplication,
) -> None:
    hazard_id = report(app, business_date=date(2026, 5, 20)).id

    with pytest.raises(RuleViolation, match="latest fact"):
        app.file_hazard(
            hazard_id,
            category=Category.FIRE,
            grade=Grade.GENERAL,
            file_number="QZ-1",
            likelihood=2,
            severity=2,
            metadata=META,
            business_date=date(2026, 5, 19),
            today=TODAY,
        )
    app.file_hazard(
        hazard_id,
        category=Category.FIRE,
        grade=Grade.GENERAL,
        file_number="QZ-1",
        likelihood=2,
        severity=2,
        metadata=META,
        business_date=date(2026, 5, 20),
        today=TODAY,
    )
    assert app.get_hazard(hazard_id).status.value == "filed"
