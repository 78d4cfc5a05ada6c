"""The audit trail of one record, read from its stored events: GET /<resource>/{id}/history.

A service declares the route once per aggregate resource with `add_history_route`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic
from fastapi import APIRouter
from pydantic import BaseModel, Field

from pingan.api.deps import Runtime
from pingan.api.problems import not_found
from pingan.api.times import OfficeDateTime
from pingan.auth.actions import Action
from pingan.auth.rules import Grant, requires
from pingan.write.eventstore import events_table
from pingan.write.metadata import ATTRIBUTE, metadata_of

#: Fields a domain event may carry for the date or time the user stated, apart from recording.
BUSINESS_TIME_FIELDS = ("business_time", "business_date")
#: The event store's own fields, shown in their own columns rather than in `data`.
STORE_FIELDS = frozenset(
    {"originator_id", "originator_version", "originator_topic", "timestamp", ATTRIBUTE}
)


class HistoryEntry(BaseModel):
    version: int
    event: str = Field(description="The domain event's name, e.g. Reported")
    recorded_at: OfficeDateTime = Field(description="When the event was stored")
    business_time: OfficeDateTime | date | None = Field(
        description="The business date or time the event states, if it states one"
    )
    actor: str | None = Field(description="Who acted: the subject of their token")
    actor_name: str | None = Field(description="Their name, as their token gave it")
    correlation_id: str | None
    causation_id: str | None
    position: int = Field(description="The event's position in the service's event stream")
    data: dict[str, Any]


class History(BaseModel):
    id: UUID
    entries: list[HistoryEntry]


def business_time_of(event: object) -> date | datetime | None:
    for name in BUSINESS_TIME_FIELDS:
        value = getattr(event, name, None)
        if isinstance(value, date):
            return value
    return None


def entry_of(event: Any, position: int) -> HistoryEntry:
    meta = metadata_of(event)
    return HistoryEntry(
        version=event.originator_version,
        event=type(event).__name__,
        recorded_at=event.timestamp,
        business_time=business_time_of(event),
        actor=meta.actor if meta else None,
        actor_name=(meta.actor_name or None) if meta else None,
        correlation_id=meta.correlation_id if meta else None,
        causation_id=meta.causation_id if meta else None,
        position=position,
        data={k: v for k, v in vars(event).items() if k not in STORE_FIELDS},
    )


async def read_history(
    runtime: Runtime, kind: type[Any], what: str, record_id: UUID, grant: Grant | None = None
) -> History:
    """The record's events in order; 404 unless it exists and is a `kind`; 403 when the
    record's first event names a township outside the grant's."""
    application = runtime.application
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT originator_version, topic, state, notification_id "  # noqa: S608
            f"FROM {events_table(type(application))} WHERE originator_id = $1 "
            "ORDER BY originator_version",
            record_id,
        )
    events = [
        application.mapper.to_domain_event(
            StoredEvent(
                originator_id=record_id,
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
        )
        for row in rows
    ]
    created = getattr(events[0], "originator_topic", None) if events else None
    if created is None or not issubclass(resolve_topic(created), kind):
        raise not_found(what, record_id)
    township = getattr(events[0], "township", None)
    if grant is not None and isinstance(township, str):
        grant.within(township)
    positions = [int(row["notification_id"]) for row in rows]
    entries = [entry_of(e, p) for e, p in zip(events, positions, strict=True)]
    return History(id=record_id, entries=entries)


def add_history_route(router: APIRouter, kind: type[Any], what: str, action: Action) -> None:
    """Declare GET {prefix}/{record_id}/history for the aggregate class `kind`, named `what`
    in answers (e.g. "no hazard with id ..."), readable by those granted `action`."""

    # A default rather than `Annotated`: the annotations are strings, resolved in this
    # module's globals, where `action` is not.
    async def history(
        record_id: UUID,
        runtime: Runtime,
        grant: Grant = requires(action),  # noqa: B008
    ) -> History:
        return await read_history(runtime, kind, what, record_id, grant)

    router.add_api_route(
        "/{record_id}/history",
        history,
        methods=["GET"],
        response_model=History,
        name=f"{what.replace(' ', '_')}_history",
        summary=f"History of a {what}",
        description=f"The {what}'s audit trail from its stored events: what happened, when it "
        "was recorded, the business time it states, who, correlation id and position.",
    )
