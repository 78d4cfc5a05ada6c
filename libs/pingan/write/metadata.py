"""Who caused a stored event and why: carried on the event beside its domain data."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

ATTRIBUTE = "metadata"


@dataclass(frozen=True)
class EventMetadata:
    correlation_id: str
    causation_id: str
    #: The acting account's subject (its login name, or the process that acted).
    actor: str = "anonymous"
    #: The acting person's display name, as signed in their token.
    actor_name: str = ""

    @classmethod
    def new(cls, actor: str = "system", actor_name: str = "") -> EventMetadata:
        ident = str(uuid.uuid4())
        return cls(correlation_id=ident, causation_id=ident, actor=actor, actor_name=actor_name)


_FIELDS = frozenset(EventMetadata.__dataclass_fields__)


def stamp(events: Iterable[Any], metadata: EventMetadata) -> None:
    """Attach metadata to pending domain events before they are saved.

    Domain events are frozen dataclasses and the mapper persists their whole `__dict__`,
    while aggregate mutators only receive the fields they declare, so an extra attribute
    is stored and read back without touching the domain model.
    """
    for event in events:
        object.__setattr__(event, ATTRIBUTE, asdict(metadata))


def metadata_of(event: Any) -> EventMetadata | None:
    raw = vars(event).get(ATTRIBUTE)
    if not isinstance(raw, dict):
        return None
    known = {k: v for k, v in raw.items() if k in _FIELDS}
    return EventMetadata(**known)
