"""Stored events made into the messages the relay publishes: decode, translate to the
published contract, CloudEvents headers; pure work on a batch of rows, apart from the relay's
reading, publishing and bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from pingan.bus.contracts import Translate
from pingan.bus.envelope import MSG_ID, Envelope, message_id, source_of
from pingan.write.metadata import ATTRIBUTE as METADATA

Row = tuple[UUID, int, str, bytes, int]
"""originator_id, originator_version, topic, state, notification_id"""


@dataclass(frozen=True)
class Outgoing:
    subject: str
    payload: bytes
    headers: dict[str, str]


class Encoder:
    def __init__(self, service: str, mapper: Mapper[UUID], translate: Translate) -> None:
        self.service = service
        self.source = source_of(service)
        self.mapper = mapper
        self.translate = translate

    def encode(self, rows: Sequence[Row]) -> list[Outgoing | None]:
        """One message per row, in order; None for an event that stays private."""
        return [self._one(row) for row in rows]

    def _one(self, row: Row) -> Outgoing | None:
        originator_id, version, topic, state, position = row
        domain_event: Any = self.mapper.to_domain_event(
            StoredEvent(
                originator_id=originator_id, originator_version=version, topic=topic, state=state
            )
        )
        contract = self.translate(domain_event)
        if contract is None:
            return None
        meta: dict[str, str] = vars(domain_event).get(METADATA) or {}
        ident = message_id(self.service, position)
        headers = Envelope(
            id=ident,
            source=self.source,
            type=contract.event_type,
            subject=str(originator_id),
            time=domain_event.timestamp,
            position=position,
            correlation_id=meta.get("correlation_id", ident),
            causation_id=meta.get("causation_id", ident),
            actor=meta.get("actor", "system"),
        ).to_headers()
        headers[MSG_ID] = ident
        return Outgoing(contract.subject, contract.model_dump_json().encode(), headers)
