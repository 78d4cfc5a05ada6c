"""Published integration events: the base every service's contracts derive from."""

from __future__ import annotations

from typing import Any, ClassVar

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
