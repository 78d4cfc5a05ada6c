"""Corrections through the reaction as its own process (`pingan react scoring`), SIGKILLed
mid-stream: each major case registered and then withdrawn in campaigns revokes its unit's
title once and marks that revocation restorable once; the office then restores each once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from campaigns.application import CampaignsApplication
from pingan.api.times import office_zone
from pingan.run.runtime import ServiceRuntime
from pingan.write.domain import IllegalTransition
from scoring.application import ScoringApplication
from scoring.domain.unit import Unit, UnitStatus
from tests.conftest import Spawn
from tests.e2e.test_scoring_reaction_crash import META, TOWN, TRACKING, named_enterprises
from tests.seeding import eventually, relay_until

pytestmark = pytest.mark.slow

UNITS = 300


def register_and_withdraw(app: CampaignsApplication, units: list[UUID]) -> None:
    """A major case at each unit, withdrawn (撤案) straight after: two messages per unit."""
    for unit_id in units:
        case = app.register_case(
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
        app.withdraw_case(
            case.id, withdrawn_on=date(2026, 6, 20), reason="经查不构成案件", metadata=META
        )


async def test_a_killed_reaction_marks_each_revocation_restorable_exactly_once(
    campaigns: ServiceRuntime[CampaignsApplication],
    scoring: ServiceRuntime[ScoringApplication],
    spawn: Spawn,
) -> None:
    units = await asyncio.to_thread(named_enterprises, scoring.application, UNITS)
    await asyncio.to_thread(register_and_withdraw, campaigns.application, units)
    await relay_until(campaigns, 2 * UNITS)

    def tracked() -> int:
        return scoring.application.recorder.max_tracking_id(TRACKING) or 0

    first = spawn("react", "scoring", PROJECTION_BATCH_SIZE="25")

    async def started() -> bool:
        return await asyncio.to_thread(tracked) >= 100

    await eventually(started, timeout_s=60, what="the reaction to start")
    first.kill9()
    at_kill = await asyncio.to_thread(tracked)
    second = spawn("react", "scoring", PROJECTION_BATCH_SIZE="25")

    async def finished() -> bool:
        return await asyncio.to_thread(tracked) >= 2 * UNITS

    await eventually(finished, timeout_s=180, what="the restarted reaction to finish")
    assert second.terminate() == 0
    assert 100 <= at_kill < 2 * UNITS, "the kill did not land mid-stream"

    app = scoring.application
    today = datetime.now(office_zone()).date()  # the reaction dated the revocations so

    def restore_all() -> None:
        for unit_id in units:
            app.restore_title(unit_id, reason="撤案", restored_on=None, metadata=META, today=today)

    await asyncio.to_thread(restore_all)
    with pytest.raises(IllegalTransition):
        restore_all()
    events = [
        app.mapper.to_domain_event(n)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000)
    ]

    def per_unit(kind: type[object]) -> Counter[UUID]:
        return Counter(e.originator_id for e in events if isinstance(e, kind))

    corrected = [e for e in events if isinstance(e, Unit.IncidentCorrected)]
    assert all(e.restorable for e in corrected)
    for kind in (Unit.TitleRevoked, Unit.IncidentCorrected, Unit.TitleRestored):
        counted = per_unit(kind)
        assert set(counted) == set(units) and set(counted.values()) == {1}, kind
    assert {app.get_unit(u).status for u in units} == {UnitStatus.NAMED}
