"""Corrections through the reaction as its own process (`pingan react scoring`), SIGKILLed
mid-stream: each major case registered and then withdrawn in campaigns revokes its unit's
title once and marks that revocation restorable once; the office then restores each once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime
from uuid import UUID

import pytest

from campaigns.application import CampaignsApplication
from pingan.api.times import office_zone
from pingan.run.runtime import ServiceRuntime
from pingan.write.domain import IllegalTransition
from scoring.application import ScoringApplication
from scoring.domain.unit import Unit, UnitStatus
from tests.conftest import Spawn
from tests.e2e.test_scoring_reaction_crash import (
    META,
    named_enterprises,
    react_through_a_kill,
    register_major_case,
)
from tests.seeding import relay_until

pytestmark = pytest.mark.slow

UNITS = 300


def register_and_withdraw(app: CampaignsApplication, units: list[UUID]) -> None:
    """A major case at each unit, withdrawn (撤案) straight after: two messages per unit."""
    for unit_id in units:
        case = register_major_case(app, unit_id)
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

    at_kill = await react_through_a_kill(scoring, spawn, 2 * UNITS)
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
