"""The hazards application: get, change, save; every save stamped with who and why."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade
from pingan.metadata import EventMetadata, stamp


@dataclass(frozen=True)
class Recorded:
    id: UUID
    position: int


class HazardsApplication(Application[UUID]):
    name = "hazards"

    def _save(self, aggregate: Aggregate, metadata: EventMetadata) -> Recorded:
        events = aggregate.collect_events()
        stamp(events, metadata)
        recordings = self.save(*events)
        return Recorded(aggregate.id, recordings[-1].notification.id)

    def report_hazard(
        self,
        *,
        title: str,
        category: Category,
        township: str,
        village: str,
        address: str,
        reporter: str,
        metadata: EventMetadata,
    ) -> Recorded:
        hazard = Hazard(
            title=title,
            category=category.value,
            township=township,
            village=village,
            address=address,
            reporter=reporter,
        )
        return self._save(hazard, metadata)

    def file_hazard(
        self,
        hazard_id: UUID,
        *,
        category: Category,
        grade: Grade,
        file_number: str,
        metadata: EventMetadata,
    ) -> Recorded:
        hazard: Hazard = self.repository.get(hazard_id)
        hazard.file(category, grade, file_number)
        return self._save(hazard, metadata)

    def get_hazard(self, hazard_id: UUID) -> Hazard:
        hazard: Hazard = self.repository.get(hazard_id)
        return hazard
