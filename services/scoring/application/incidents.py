"""Commands on incidents: the district office resolves an unmatched one by naming its unit."""

from __future__ import annotations

from datetime import date
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from pingan.write.application import Recorded, RecordNotFound
from pingan.write.metadata import EventMetadata
from scoring.application.configured import Configured
from scoring.application.plaques import strip_titles
from scoring.domain.incident import Incident
from scoring.domain.unit import Unit

K = TypeVar("K")


class _Changes:
    """The plaque rule's context for a command: aggregates from the store, as changed."""

    def __init__(self, app: Configured) -> None:
        self.app = app
        self.touched: dict[UUID, Aggregate] = {}

    def find(self, aggregate_id: UUID, kind: type[K]) -> K | None:
        cached = self.touched.get(aggregate_id)
        if isinstance(cached, kind):
            return cached
        try:
            return self.app.get(aggregate_id, kind)
        except RecordNotFound:
            return None

    def changed(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self.touched[aggregate.id] = aggregate


class IncidentCommands(Configured):
    def match_incident(
        self,
        incident_id: UUID,
        *,
        unit_id: UUID,
        reason: str,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        """Match an unmatched incident to the unit the office names; if it strips titles,
        they are stripped now, as the reaction would have."""
        incident = self.get(incident_id, Incident)
        unit = self.get(unit_id, Unit)
        incident.match(unit.id, reason)
        changes = _Changes(self)
        if incident.strips:
            strip_titles(changes, self.standards, unit, incident, today)
        units = [a for a in changes.touched.values() if a is not incident]
        return self.record(incident, *units, metadata=metadata)
