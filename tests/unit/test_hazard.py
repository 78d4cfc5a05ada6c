"""The Hazard aggregate, decided in memory."""

from __future__ import annotations

from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade, HazardStatus
from pingan.domain import IllegalTransition
from pingan.metadata import EventMetadata, metadata_of

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")


@pytest.fixture
def app() -> HazardsApplication:
    return HazardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def report(app: HazardsApplication) -> UUID:
    return app.report_hazard(
        title="Exposed wiring",
        category=Category.FIRE,
        township="玉泉镇",
        village="金家庄村",
        address="Lane 5",
        reporter="grid worker",
        metadata=META,
    ).id


def test_a_reported_hazard_is_reported(app: HazardsApplication) -> None:
    hazard = app.get_hazard(report(app))
    assert hazard.status is HazardStatus.REPORTED
    assert hazard.category is Category.FIRE
    assert hazard.grade is None


def test_filing_classifies_and_grades(app: HazardsApplication) -> None:
    hazard_id = report(app)
    app.file_hazard(
        hazard_id,
        category=Category.SAFE_PRODUCTION,
        grade=Grade.MAJOR,
        file_number="QZ-1",
        metadata=META,
    )

    hazard = app.get_hazard(hazard_id)

    assert hazard.status is HazardStatus.FILED
    assert hazard.category is Category.SAFE_PRODUCTION
    assert hazard.grade is Grade.MAJOR
    assert hazard.file_number == "QZ-1"


def test_a_filed_hazard_cannot_be_filed_again(app: HazardsApplication) -> None:
    hazard_id = report(app)
    app.file_hazard(
        hazard_id, category=Category.FIRE, grade=Grade.GENERAL, file_number="QZ-1", metadata=META
    )

    with pytest.raises(IllegalTransition) as refused:
        app.file_hazard(
            hazard_id,
            category=Category.FIRE,
            grade=Grade.GENERAL,
            file_number="QZ-2",
            metadata=META,
        )

    assert refused.value.current == "filed"
    assert refused.value.command == "file"
    assert app.get_hazard(hazard_id).file_number == "QZ-1"


def test_positions_grow_with_each_recorded_event(app: HazardsApplication) -> None:
    first = app.report_hazard(
        title="a",
        category=Category.THEFT,
        township="t",
        village="v",
        address="x",
        reporter="r",
        metadata=META,
    )
    second = app.file_hazard(
        first.id, category=Category.THEFT, grade=Grade.GENERAL, file_number="n", metadata=META
    )
    assert second.position > first.position


def test_stored_events_keep_who_caused_them_and_replay_without_it(app: HazardsApplication) -> None:
    hazard_id = report(app)

    (stored,) = app.repository.event_store.get(hazard_id)

    assert metadata_of(stored) == META
    assert isinstance(stored, Hazard.Reported)
    assert app.get_hazard(hazard_id).title == "Exposed wiring"
