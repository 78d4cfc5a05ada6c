"""The base of every service's eventsourcing application: save with who and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import JSONTranscoder, ProcessRecorder, Transcoding

from pingan.write.metadata import EventMetadata, stamp


@dataclass(frozen=True)
class Recorded:
    """What a command answers: the aggregate it changed and the position of its last event."""

    id: UUID
    position: int


A = TypeVar("A")


class RecordNotFound(AggregateNotFoundError):
    """No aggregate of the kind asked for has this id."""

    def __init__(self, kind: type[Any], ident: UUID) -> None:
        self.kind = re.sub(r"(?<!^)(?=[A-Z])", " ", kind.__name__).lower()
        self.ident = ident
        super().__init__(f"no {self.kind} with id {ident}")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ServiceApplication(Application[UUID]):
    recorder: ProcessRecorder

    def construct_recorder(self) -> ProcessRecorder:
        """A process recorder, so that reactions can commit their events together with the
        upstream position they answer (it records commands' events just as before)."""
        return self.factory.process_recorder()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def get(self, aggregate_id: UUID, kind: type[A]) -> A:
        """The aggregate with this id, which must be of `kind` (else RecordNotFound)."""
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise RecordNotFound(kind, aggregate_id) from None
        if not isinstance(found, kind):
            raise RecordNotFound(kind, aggregate_id)
        return found

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
