"""The deadline job as its own process: killed half-way, then raced by two more."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date

from hazards.application import HazardsApplication
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.conftest import Spawn
from tests.seeding import eventually, seed_overdue_hazards

HAZARDS = 600


async def count(runtime: ServiceRuntime[HazardsApplication], sql: str) -> int:
    async with runtime.pool.acquire() as conn:
        return int(await conn.fetchval(sql))


async def test_a_killed_deadline_job_leaves_each_hazard_overdue_and_escalated_once(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    workers: asyncio.Event,
    spawn: Spawn,
) -> None:
    ids = await seed_overdue_hazards(settings, HAZARDS, deadline=date(2025, 1, 10))
    await eventually(
        lambda: _at_least(hazards, "SELECT count(*) FROM hazard_register", HAZARDS),
        what="the register",
    )

    first = spawn("jobs", "hazards", JOB_INTERVAL_S="0.2")
    overdue = "SELECT count(*) FROM hazard_register WHERE overdue_since IS NOT NULL"
    await eventually(lambda: _at_least(hazards, overdue, 30), what="the first job to start")
    first.kill9()
    marked_at_kill = await asyncio.to_thread(hazards.application.recorder.max_notification_id)
    spawn("jobs", "hazards", JOB_INTERVAL_S="0.2")
    spawn("jobs", "hazards", JOB_INTERVAL_S="0.2")
    done = "SELECT count(*) FROM hazard_register WHERE escalation_level = 3"
    await eventually(lambda: _at_least(hazards, done, HAZARDS), timeout_s=60, what="the others")

    app: HazardsApplication = hazards.application
    events_per_hazard = HAZARDS * 3 + HAZARDS * 4  # seeded, then overdue + three steps
    assert (marked_at_kill or 0) < events_per_hazard, "the kill did not land half-way"
    for hazard_id in ids:
        kinds = Counter(type(e).__name__ for e in app.repository.event_store.get(hazard_id))
        assert kinds["BecameOverdue"] == 1
        assert kinds["Escalated"] == 3


async def _at_least(runtime: ServiceRuntime[HazardsApplication], sql: str, n: int) -> bool:
    return await count(runtime, sql) >= n
