"""Commands on mass incidents: get, change, record with who and why."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from campaigns.domain.mass_incident import MassIncident
from pingan.write.application import Recorded, ServiceApplication
from pingan.write.metadata import EventMetadata


class IncidentCommands(ServiceApplication):
    def get_incident(self, incident_id: UUID) -> MassIncident:
        return self.get(incident_id, MassIncident)

    def report_incident(
        self,
        *,
        happened_at: datetime,
        township: str,
        village: str,
        place: str,
        participants: int,
        cause: str,
        handling: str,
        reported_by: str,
        now: datetime,
        metadata: EventMetadata,
        unit_id: str | None = None,
        unit_name: str | None = None,
    ) -> Recorded:
        incident = MassIncident.report(
            happened_at=happened_at,
            township=township,
            village=village,
            place=place,
            participants=participants,
            cause=cause,
            handling=handling,
            reported_by=reported_by,
            now=now,
            unit_id=unit_id,
            unit_name=unit_name,
        )
        local = happened_at.date()
        return self.record(
            incident,
            metadata=metadata,
            business_date=self.dated(local, now.astimezone(happened_at.tzinfo).date()),
            after_latest=False,
        )

    def resolve_incident(
        self,
        incident_id: UUID,
        *,
        resolved_on: date,
        outcome: str,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        incident = self.get_incident(incident_id)
        incident.resolve(resolved_on, outcome)
        return self.record(
            incident, metadata=metadata, business_date=self.dated(resolved_on, today)
        )
