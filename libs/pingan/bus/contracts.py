"""Published integration events: the base every service's contracts derive from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


def translator(mapping: Mapping[type[Any], type[IntegrationEvent]], id_field: str) -> Translate:
    """Translate domain events into contracts field by field: the contract takes the domain
    event's fields it declares, the aggregate's id as `id_field` and the event's time as
    `occurred_at`. Domain events with no contract stay private (None)."""

    def translate(domain_event: Any) -> IntegrationEvent | None:
        contract = mapping.get(type(domain_event))
        if contract is None:
            return None
        fields = contract.model_fields
        data = {k: v for k, v in vars(domain_event).items() if k in fields}
        data[id_field] = domain_event.originator_id
        if "occurred_at" in fields:
            data["occurred_at"] = domain_event.timestamp
        return contract.model_validate(data)

    return translate


def combine(
    *translators: Translate,
) -> Translate:
    def translate(domain_event: Any) -> IntegrationEvent | None:
        for one in translators:
            contract = one(domain_event)
            if contract is not None:
                return contract
        return None

    return translate
