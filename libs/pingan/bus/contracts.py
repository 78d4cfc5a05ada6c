"""Published integration events: the base every service's contracts derive from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from pydantic import BaseModel, ConfigDict


class IntegrationEvent(BaseModel):
    """A versioned fact one service publishes for others.

    `event_type` is the CloudEvents type (versioned), `subject` the NATS subject
    `<service>.<aggregate>.<event>`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    subject: ClassVar[str]

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        schema = cls.model_json_schema()
        schema["$id"] = cls.event_type
        schema["x-subject"] = cls.subject
        return schema


class ConsumedEvent(BaseModel):
    """A consumer's own trimmed copy of an upstream contract: unknown fields are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    subject: ClassVar[str]


Translate = Callable[[DomainEventProtocol[UUID]], IntegrationEvent | None]
"""What a service publishes for one of its stored domain events; None keeps it private."""


@dataclass(frozen=True)
class _Route:
    contract: type[IntegrationEvent]
    id_field: str
    fields: frozenset[str]
    timed: bool


class Translator:
    """Translate domain events into contracts field by field: the contract takes the domain
    event's fields it declares, the aggregate's id as its id field and the event's time as
    `occurred_at`. Domain events with no contract stay private (None). One dictionary
    look-up per event, however many aggregates a service has: the relay calls it for each."""

    def __init__(self, routes: Mapping[type[Any], _Route]) -> None:
        self._routes = dict(routes)

    def __call__(self, domain_event: DomainEventProtocol[UUID]) -> IntegrationEvent | None:
        route = self._routes.get(type(domain_event))
        if route is None:
            return None
        state = vars(domain_event)
        data = {k: v for k, v in state.items() if k in route.fields}
        data[route.id_field] = domain_event.originator_id
        if route.timed:
            data["occurred_at"] = state["timestamp"]
        return route.contract.model_validate(data)


def translator(mapping: Mapping[type[Any], type[IntegrationEvent]], id_field: str) -> Translator:
    return Translator(
        {
            kind: _Route(
                contract,
                id_field,
                frozenset(contract.model_fields),
                "occurred_at" in contract.model_fields,
            )
            for kind, contract in mapping.items()
        }
    )


def combine(*translators: Translator) -> Translator:
    return Translator({k: r for t in translators for k, r in t._routes.items()})
