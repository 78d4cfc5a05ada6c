"""The base of every service's eventsourcing application: save with who and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding

from pingan.metadata import EventMetadata, stamp


@dataclass(frozen=True)
class Recorded:
    """What a command answers: the aggregate it changed and the position of its last event."""

    id: UUID
    position: int


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ServiceApplication(Application[UUID]):
    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def record(self, *aggregates: Any, metadata: EventMetadata) -> Recorded:
        """Save the aggregates' pending events in one transaction, stamped with `metadata`.

        Answers with the first aggregate's id and the position of the last event stored.
        """
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        if not events:
            return Recorded(aggregates[0].id, 0)
        stamp(events, metadata)
        recordings = self.save(*events)
        return Recorded(aggregates[0].id, recordings[-1].notification.id)
