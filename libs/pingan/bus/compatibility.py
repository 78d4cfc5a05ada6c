"""Does a consumer's trimmed copy of an upstream contract still fit the producer's snapshot?

The copy may leave fields out and may be looser (a plain string for an enum, optional for
required), never stricter: each field it reads must be published, always present when the
copy requires it, and of a shape the copy accepts.
"""

from __future__ import annotations

from typing import Any

from pingan.bus.contracts import ConsumedEvent

Schema = dict[str, Any]
_NOISE = {"title", "description", "default", "examples"}


def _resolve(schema: Schema, root: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        schema = root.get("$defs", {})[ref.removeprefix("#/$defs/")]
    return {k: v for k, v in schema.items() if k not in _NOISE}


def _variants(schema: Schema, root: Schema) -> list[Schema]:
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        return [v for option in schema["anyOf"] for v in _variants(option, root)]
    return [schema]


def _accepts(consumer: Schema, producer: Schema) -> bool:
    """Whether every value valid for `producer` is valid for `consumer` (on the shapes our
    pydantic contracts produce: scalars with format or enum, arrays, objects, unions)."""
    if not consumer:
        return True
    if consumer.get("type") != producer.get("type"):
        return False
    if "format" in consumer and consumer["format"] != producer.get("format"):
        return False
    if "enum" in consumer and not set(producer.get("enum", [None])) <= set(consumer["enum"]):
        return False
    if consumer.get("type") == "array":
        return _accepts(consumer.get("items", {}), producer.get("items", {}))
    return True


def incompatibilities(consumed: type[ConsumedEvent], producer: Schema) -> list[str]:
    """What keeps `consumed` from reading events that match the producer's `producer` schema."""
    found: list[str] = []
    if producer.get("$id") != consumed.event_type:
        found.append(f"type {consumed.event_type} is not the snapshot's {producer.get('$id')}")
    if producer.get("x-subject") != consumed.subject:
        found.append(
            f"subject {consumed.subject} is not the snapshot's {producer.get('x-subject')}"
        )
    mine = consumed.model_json_schema()
    theirs = producer.get("properties", {})
    published_required = set(producer.get("required", []))
    for name, field in mine.get("properties", {}).items():
        if name not in theirs:
            found.append(f"{name}: not published")
            continue
        if name in mine.get("required", []) and name not in published_required:
            found.append(f"{name}: required here but optional in the contract")
        accepted = _variants(field, mine)
        for variant in _variants(theirs[name], producer):
            if not any(_accepts(option, variant) for option in accepted):
                found.append(f"{name}: does not accept the published {variant}")
    return found
