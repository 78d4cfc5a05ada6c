"""Commands that give a revoked title back: the district office's restoration once the cause
was corrected upstream, and appeals (申诉) lodged by the unit and decided by the office."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pingan.write.application import Recorded
from pingan.write.metadata import EventMetadata
from scoring.application.units import UnitCommands


class RestorationCommands(UnitCommands):
    def restore_title(
        self,
        unit_id: UUID,
        *,
        reason: str,
        restored_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id,
            restored_on,
            today,
            metadata,
            lambda unit, on: unit.restore(self._title_standard(unit, "restore"), reason, on),
        )

    def lodge_appeal(
        self,
        unit_id: UUID,
        *,
        reason: str,
        lodged_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id, lodged_on, today, metadata, lambda unit, on: unit.lodge_appeal(reason, on)
        )

    def decide_appeal(
        self,
        unit_id: UUID,
        *,
        number: int,
        upheld: bool,
        reason: str,
        decided_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id,
            decided_on,
            today,
            metadata,
            lambda unit, on: unit.decide_appeal(
                self._title_standard(unit, "decide_appeal"), number, upheld, reason, on
            ),
        )
