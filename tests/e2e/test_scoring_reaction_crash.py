"""The plaque-removal reaction as its own process (`pingan react scoring`), SIGKILLed
mid-batch: every major case and every accident of the stripping grade still strips its
unit's title exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from pingan.run.runtime import ServiceRuntime
from pingan.write.application import Recorded
from pingan.write.metadata import EventMetadata
from scoring.application import ScoringApplication
from scoring.domain.incident import Incident
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import Scores
from scoring.domain.unit import Unit
from tests.conftest import Spawn
from tests.integration.test_scoring_reactions import report_accident
from tests.seeding import eventually, relay_until

pytestmark = pytest.mark.slow

META = EventMetadata.new("test")
TOWN = "玉泉镇"
UNITS = 1000
ACCIDENTS = 200
TRACKING = "plaque_removal:CAMPAIGNS"
HAZARDS_TRACKING = "plaque_removal:HAZARDS"


def named_enterprises(app: ScoringApplication, count: int) -> list[UUID]:
    """`count` enterprises in 玉泉镇 holding the 平安单位 title, one save each."""
    today = date(2026, 6, 20)
    standard = app.standards.current("enterprise")
    full = {c.code: c.max_points for c in standard.criteria}
    app.register_unit(
        kind=UnitKind.DISTRICT,
        name="秦州区",
        township=None,
        village=None,
        address="-",
        registered_by="综治办",
        metadata=META,
        today=today,
        registered_on=date(2025, 1, 1),
    )
    app.register_unit(
        kind=UnitKind.TOWNSHIP,
        name=TOWN,
        township=TOWN,
        village=None,
        address="-",
        registered_by="综治办",
        metadata=META,
        today=today,
        registered_on=date(2025, 1, 1),
    )
    town = app.get_unit(Unit.create_id("township", TOWN, None, TOWN))
    ids = []
    for n in range(count):
        unit = Unit.register(
            kind=UnitKind.ENTERPRISE,
            name=f"企业{n:04d}",
            township=TOWN,
            village=None,
            parent=town,
            address="-",
            registered_by="综治办",
            parent_kinds=frozenset({UnitKind.TOWNSHIP}),
        )
        unit.apply_for(standard, 1, date(2025, 5, 1))
        unit.assess(
            standard,
            standard.judge(Scores(full)),
            assessed_on=date(2025, 5, 10),
            scores=full,
            deductions={},
            vetoes=[],
            survey=None,
            assessors=["考评组"],
        )
        unit.publicise(standard, date(2025, 5, 11))
        unit.confer(standard, date(2025, 6, 1))
        app.record(unit, metadata=META)
        ids.append(unit.id)
    return ids


def register_major_case(app: CampaignsApplication, unit_id: UUID) -> Recorded:
    return app.register_case(
        kind="robbery",
        township=TOWN,
        village="莲亭村",
        place="厂区",
        happened_at=datetime(2026, 6, 18, 12, tzinfo=UTC),
        registered_on=date(2026, 6, 19),
        registered_by="玉泉派出所",
        metadata=META,
        loss_yuan=Decimal(600_000),
        unit_id=str(unit_id),
    )


def register_major_cases(app: CampaignsApplication, units: list[UUID]) -> None:
    for unit_id in units:
        register_major_case(app, unit_id)


def report_accidents(app: HazardsApplication, units: list[UUID]) -> None:
    """A fire with three deaths (较大, the default stripping grade) at each unit."""
    for unit_id in units:
        report_accident(app, unit_id, deaths=3)


async def react_through_a_kill(
    scoring: ServiceRuntime[ScoringApplication],
    spawn: Spawn,
    messages: int,
    upstream_hazards: int = 0,
) -> int:
    """Run `pingan react scoring`, SIGKILL it once it has tracked 100 messages of CAMPAIGNS,
    and run it again until it has tracked `messages` of them and `upstream_hazards` of HAZARDS: the
    tracked position at the kill."""

    def tracked() -> int:
        return scoring.application.recorder.max_tracking_id(TRACKING) or 0

    def tracked_hazards() -> int:
        return scoring.application.recorder.max_tracking_id(HAZARDS_TRACKING) or 0

    first = spawn("react", "scoring", PROJECTION_BATCH_SIZE="25")

    async def started() -> bool:
        return await asyncio.to_thread(tracked) >= 100

    await eventually(started, timeout_s=60, what="the reaction to start")
    first.kill9()
    at_kill = await asyncio.to_thread(tracked)
    second = spawn("react", "scoring", PROJECTION_BATCH_SIZE="25")

    async def finished() -> bool:
        return (
            await asyncio.to_thread(tracked) >= messages
            and await asyncio.to_thread(tracked_hazards) >= upstream_hazards
        )

    await eventually(finished, timeout_s=180, what="the restarted reaction to finish")
    assert second.terminate() == 0
    return at_kill


async def test_a_killed_reaction_strips_each_title_exactly_once(
    campaigns: ServiceRuntime[CampaignsApplication],
    hazards: ServiceRuntime[HazardsApplication],
    scoring: ServiceRuntime[ScoringApplication],
    spawn: Spawn,
) -> None:
    units = await asyncio.to_thread(named_enterprises, scoring.application, UNITS + ACCIDENTS)
    cased, struck = units[:UNITS], units[UNITS:]
    await asyncio.to_thread(register_major_cases, campaigns.application, cased)
    await asyncio.to_thread(report_accidents, hazards.application, struck)
    await relay_until(campaigns, UNITS)
    reported = hazards.application.recorder.max_notification_id() or 0
    await relay_until(hazards, reported)

    at_kill = await react_through_a_kill(scoring, spawn, UNITS, reported)

    assert 100 <= at_kill < UNITS, "the kill did not land mid-stream"
    app = scoring.application
    events = [
        app.mapper.to_domain_event(n)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000)
    ]
    revoked = Counter(e.originator_id for e in events if isinstance(e, Unit.TitleRevoked))
    kept = Counter(e.originator_id for e in events if isinstance(e, Unit.IncidentRecorded))
    noted = [e for e in events if isinstance(e, Incident.Noted)]
    assert set(revoked) == set(units) and set(revoked.values()) == {1}
    causes = {e.originator_id: e.cause for e in events if isinstance(e, Unit.TitleRevoked)}
    assert {causes[u] for u in cased} == {"major_case"}
    assert {causes[u] for u in struck} == {"safety_accident"}
    assert kept == revoked
    assert len(noted) == UNITS + ACCIDENTS
    assert len({e.upstream_id for e in noted}) == UNITS + ACCIDENTS
