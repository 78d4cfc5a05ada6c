"""The hazards application decided in memory: saving, stamping and reading back."""

from __future__ import annotations

from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade, HazardStatus, Source
from pingan.write.domain import IllegalTransition
from pingan.write.metadata import EventMetadata, metadata_of

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")


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
    ).id


def file(app: HazardsApplication, hazard_id: UUID, number: str = "QZ-1") -> int:
    return app.file_hazard(
        hazard_id,
        category=Category.SAFE_PRODUCTION,
        grade=Grade.MAJOR,
        file_number=number,
        determination_basis="《重大事故隐患判定标准》",
        likelihood=4,
        severity=4,
        metadata=META,
    ).position


def test_filing_classifies_grades_and_colours(app: HazardsApplication) -> None:
    hazard_id = report(app)
    file(app, hazard_id)

    hazard = app.get_hazard(hazard_id)

    assert hazard.status is HazardStatus.FILED
    assert hazard.category is Category.SAFE_PRODUCTION
    assert hazard.grade is Grade.MAJOR
    assert hazard.colour is not None and hazard.colour.value == "orange"


def test_a_refused_command_changes_nothing(app: HazardsApplication) -> None:
    hazard_id = report(app)
    file(app, hazard_id)

    with pytest.raises(IllegalTransition) as refused:
        file(app, hazard_id, "QZ-2")

    assert refused.value.current == "filed"
    assert app.get_hazard(hazard_id).file_number == "QZ-1"


def test_positions_grow_with_each_recorded_event(app: HazardsApplication) -> None:
    first = app.report_hazard(
        title="a",
        category=Category.THEFT,
        source=Source.SELF_CHECK,
        township="t",
        village="v",
        address="x",
        reporter="r",
        metadata=META,
    )
    assert file(app, first.id) > first.position


def test_stored_events_keep_who_caused_them_and_replay_without_it(app: HazardsApplication) -> None:
    hazard_id = report(app)

    (stored,) = app.repository.event_store.get(hazard_id)

    assert metadata_of(stored) == META
    assert isinstance(stored, Hazard.Reported)
    assert app.get_hazard(hazard_id).title == "Exposed wiring"
