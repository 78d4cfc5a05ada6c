"""The deadline check: the reminder before the deadline (临期提醒) once per deadline, overdue
once, then up the escalation ladder, on the office's days; and, when the office's rules say
so, an overdue major hazard listed for supervision (挂牌督办)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from hazards.application import HazardsApplication
from hazards.projections.register.queries import deadline_check_candidates
from pingan.run.runtime import ServiceRuntime
from pingan.write.metadata import EventMetadata

log = logging.getLogger(__name__)


class DeadlineCheck:
    """Asks every open hazard whose deadline has passed, or is near enough for its reminder,
    to check itself against today and the office's rules.

    The register only nominates candidates; each hazard decides on its own events, so a
    lagging view, a second checker or a crash half-way can neither skip a hazard for good
    nor mark one overdue twice (a racing save loses on its version and is skipped).
    """

    name = "deadline-check"

    async def run_once(self, runtime: ServiceRuntime[HazardsApplication]) -> int:
        today = runtime.clock.today()
        app = runtime.application
        rules = await asyncio.to_thread(app.deadline_rules)
        async with runtime.pool.acquire() as conn:
            ids = await deadline_check_candidates(conn, today, rules)
        metadata = EventMetadata.new(actor="deadline-check")
        changed = 0
        for hazard_id in ids:
            changed += await asyncio.to_thread(check_one, app, hazard_id, today, metadata)
        return changed


def check_one(
    app: HazardsApplication, hazard_id: UUID, today: date, metadata: EventMetadata
) -> int:
    try:
        recorded = app.check_deadline(hazard_id, today=today, metadata=metadata)
    except IntegrityError:
        log.info("hazard %s changed meanwhile; the next round checks it again", hazard_id)
        return 0
    return 1 if recorded.position else 0
