"""The accident clock check: onward reports and investigations that ran out, once each.

The clocks of 生产安全事故报告和调查处理条例 run in hours (2 hours per reporting level), so this
check runs every `accident_check_interval_s` (a few minutes), apart from the daily deadline
check of hazards."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from hazards.application import HazardsApplication
from hazards.projections.accidents import clock_check_candidates
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.metadata import EventMetadata

log = logging.getLogger(__name__)


class AccidentClockCheck:
    """Asks every open accident whose clock may have run out to check itself against now.

    The register only nominates candidates; each accident decides on its own events, so a
    lagging view, a second checker or a crash half-way neither skips nor repeats a mark.
    """

    name = "accident-clock-check"

    def interval_s(self, settings: Settings) -> float:
        return settings.accident_check_interval_s

    async def run_once(self, runtime: ServiceRuntime[HazardsApplication]) -> int:
        now, today = runtime.clock.now(), runtime.clock.today()
        async with runtime.pool.acquire() as conn:
            ids = await clock_check_candidates(conn, now)
        app = runtime.application
        metadata = EventMetadata.new(actor="accident-clock-check")
        changed = 0
        for accident_id in ids:
            changed += await asyncio.to_thread(check_one, app, accident_id, now, today, metadata)
        return changed


def check_one(
    app: HazardsApplication,
    accident_id: UUID,
    now: datetime,
    today: date,
    metadata: EventMetadata,
) -> int:
    try:
        recorded = app.check_accident_clocks(accident_id, now=now, today=today, metadata=metadata)
    except IntegrityError:
        log.info("accident %s changed meanwhile; the next round checks it again", accident_id)
        return 0
    return 1 if recorded.position else 0
