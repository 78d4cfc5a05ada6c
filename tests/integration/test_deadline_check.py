"""The deadline check on a real store: overdue exactly once, however often and however many run."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from hazards import jobs
from hazards.application import HazardsApplication
from hazards.jobs import DeadlineCheck
from pingan.run.clock import FixedClock
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.seeding import eventually, seed_overdue_hazards


def event_counts(app: HazardsApplication, hazard_id: UUID) -> Counter[str]:
    return Counter(type(e).__name__ for e in app.repository.event_store.get(hazard_id))


async def in_register(runtime: ServiceRuntime[HazardsApplication], count: int) -> bool:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM hazard_register")) >= count


@pytest.fixture
async def overdue(
    settings: Settings, hazards: ServiceRuntime[HazardsApplication], workers: asyncio.Event
) -> list[UUID]:
    ids = await seed_overdue_hazards(settings, 40, deadline=date(2026, 3, 10))
    await eventually(lambda: in_register(hazards, 40), what="the register")
    return ids


async def test_the_deadline_day_itself_is_not_overdue(
    hazards: ServiceRuntime[HazardsApplication], overdue: list[UUID]
) -> None:
    hazards.clock = FixedClock(datetime(2026, 3, 10, 12, tzinfo=UTC))

    await DeadlineCheck().run_once(hazards)

    app: HazardsApplication = hazards.application
    for hazard_id in overdue:
        counts = event_counts(app, hazard_id)
        assert counts["BecameOverdue"] == 0
        assert counts["DeadlineApproaching"] == 1  # 临期提醒: the deadline day itself


async def test_two_checkers_at_once_mark_each_hazard_overdue_once(
    hazards: ServiceRuntime[HazardsApplication], overdue: list[UUID]
) -> None:
    hazards.clock = FixedClock(datetime(2026, 3, 12, 12, tzinfo=UTC))

    await asyncio.gather(DeadlineCheck().run_once(hazards), DeadlineCheck().run_once(hazards))
    await DeadlineCheck().run_once(hazards)

    app: HazardsApplication = hazards.application
    for hazard_id in overdue:
        counts = event_counts(app, hazard_id)
        assert counts["BecameOverdue"] == 1
        assert counts["Escalated"] == 1
        assert app.get_hazard(hazard_id).escalation == 1


async def test_a_checker_that_dies_half_way_is_finished_by_the_next_run(
    hazards: ServiceRuntime[HazardsApplication],
    overdue: list[UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hazards.clock = FixedClock(datetime(2026, 3, 30, 12, tzinfo=UTC))
    real = jobs.check_one
    calls = 0

    def dies_after_ten(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls > 10:
            raise RuntimeError("checker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "check_one", dies_after_ten)
    with pytest.raises(RuntimeError):
        await DeadlineCheck().run_once(hazards)
    monkeypatch.setattr(jobs, "check_one", real)
    await DeadlineCheck().run_once(hazards)

    app: HazardsApplication = hazards.application
    for hazard_id in overdue:
        counts = event_counts(app, hazard_id)
        assert counts["BecameOverdue"] == 1
        assert counts["Escalated"] == 3, "20 days overdue: reminder, letter and notice once each"


async def test_overdue_hazards_lead_the_register_and_the_ageing_list(
    hazards: ServiceRuntime[HazardsApplication], overdue: list[UUID], client: Any
) -> None:
    hazards.clock = FixedClock(datetime(2026, 3, 20, 12, tzinfo=UTC))
    await DeadlineCheck().run_once(hazards)
    last = hazards.application.recorder.max_notification_id()

    register = await client.get("/api/hazards/hazards", params={"min_position": last, "limit": 5})
    ageing = await client.get("/api/hazards/reports/ageing", params={"min_position": last})

    first = register.json()["items"][0]
    assert first["overdue"] is True
    assert first["days_to_deadline"] == -10
    assert first["escalation_level"] == 2
    assert ageing.json()["total"] == 40
    assert ageing.json()["items"][0]["days_overdue"] == 10
    assert ageing.json()["items"][0]["escalation_level"] == 2
