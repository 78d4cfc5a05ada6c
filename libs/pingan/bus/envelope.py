"""CloudEvents 1.0 binary mode over NATS headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SPEC_VERSION = "1.0"
MSG_ID = "Nats-Msg-Id"
EXPECTED_LAST_SEQUENCE = "Nats-Expected-Last-Sequence"


class Header:
    ID = "ce-id"
    SOURCE = "ce-source"
    TYPE = "ce-type"
    TIME = "ce-time"
    SUBJECT = "ce-subject"
    SPECVERSION = "ce-specversion"
    CONTENT_TYPE = "content-type"
    CORRELATION_ID = "ce-correlationid"
    CAUSATION_ID = "ce-causationid"
    POSITION = "ce-position"
    ACTOR = "ce-actor"


class EnvelopeError(ValueError):
    """A message lacks the headers of a Pingan event."""


@dataclass(frozen=True)
class Envelope:
    id: str
    source: str
    type: str
    subject: str
    time: datetime
    position: int
    correlation_id: str
    causation_id: str
    actor: str

    def to_headers(self) -> dict[str, str]:
        return {
            Header.SPECVERSION: SPEC_VERSION,
            Header.ID: self.id,
            Header.SOURCE: self.source,
            Header.TYPE: self.type,
            Header.TIME: self.time.isoformat(),
            Header.SUBJECT: self.subject,
            Header.CONTENT_TYPE: "application/json",
            Header.CORRELATION_ID: self.correlation_id,
            Header.CAUSATION_ID: self.causation_id,
            Header.POSITION: str(self.position),
            Header.ACTOR: self.actor,
        }

    @classmethod
    def from_headers(cls, headers: dict[str, str] | None) -> Envelope:
        if not headers:
            raise EnvelopeError("message has no headers")
        try:
            return cls(
                id=headers[Header.ID],
                source=headers[Header.SOURCE],
                type=headers[Header.TYPE],
                subject=headers[Header.SUBJECT],
                time=datetime.fromisoformat(headers[Header.TIME]),
                position=int(headers[Header.POSITION]),
                correlation_id=headers.get(Header.CORRELATION_ID, ""),
                causation_id=headers.get(Header.CAUSATION_ID, ""),
                actor=headers.get(Header.ACTOR, ""),
            )
        except (KeyError, ValueError) as exc:
            raise EnvelopeError(f"not a Pingan event: {exc}") from exc


def message_id(service: str, position: int) -> str:
    return f"{service}:{position}"


def source_of(service: str) -> str:
    return f"/pingan/{service}"
