"""The AsyncAPI 3.0 document of the bus, generated from the installed services."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Any

from pingan.bus.contracts import IntegrationEvent
from pingan.bus.envelope import EXPECTED_LAST_SEQUENCE, MSG_ID, SPEC_VERSION, Header, source_of
from pingan.bus.streams import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM, stream_name, stream_subjects
from pingan.consume.deadletters import ERROR_HEADER, SOURCE_SEQUENCE_HEADER, SOURCE_STREAM_HEADER
from pingan.service import ServiceSpec, all_services

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
SERVER = "nats"
DEAD_LETTER_CHANNEL = "deadletter"
DEAD_LETTER_MESSAGE = "pingan.deadletter"

Schema = dict[str, Any]

_DEFS = "#/$defs/"
_POSITIVE = "^[1-9][0-9]*$"


def payload_schema(contract: type[IntegrationEvent]) -> Schema:
    """The contract's JSON Schema with its `$defs` inlined, so it stands alone in the document."""
    schema = contract.json_schema()
    defs: dict[str, Any] = schema.pop("$defs", {})

    def inline(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS):
            name = ref.removeprefix(_DEFS)
            if name in seen:
                raise ValueError(f"{contract.__name__}: recursive schema {name} cannot be inlined")
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            return {**inline(defs[name], seen | {name}), **inline(siblings, seen)}
        return {key: inline(value, seen) for key, value in node.items()}

    inlined: Schema = inline(schema, frozenset())
    return inlined


def _string(description: str, **constraints: Any) -> Schema:
    return {"type": "string", "description": description, **constraints}


def event_headers(service: str, contract: type[IntegrationEvent]) -> Schema:
    """CloudEvents 1.0 binary mode over NATS headers, as the relay publishes them."""
    message_id = f"^{re.escape(service)}:[1-9][0-9]*$"
    properties: dict[str, Schema] = {
        Header.SPECVERSION: _string("CloudEvents version.", const=SPEC_VERSION),
        Header.ID: _string("Event id: `<service>:<position>`.", pattern=message_id),
        Header.SOURCE: _string("The producing service.", const=source_of(service)),
        Header.TYPE: _string("Versioned event type.", const=contract.event_type),
        Header.TIME: _string("When the event happened.", format="date-time"),
        Header.SUBJECT: _string("Id of the aggregate the event is about."),
        Header.CONTENT_TYPE: _string("Media type of the body.", const="application/json"),
        Header.CORRELATION_ID: _string("Id of the request that started the chain of events."),
        Header.CAUSATION_ID: _string("Id of the request or event that caused this one."),
        Header.POSITION: _string(
            "The producer's notification id: increasing within the stream.", pattern=_POSITIVE
        ),
        Header.ACTOR: _string("Who caused the event (`system` if nobody)."),
        MSG_ID: _string("JetStream de-duplication id, equal to `ce-id`.", pattern=message_id),
        EXPECTED_LAST_SEQUENCE: _string(
            "Stream sequence the relay expected before this message.", pattern="^[0-9]+$"
        ),
    }
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(set(properties) - {EXPECTED_LAST_SEQUENCE}),
    }


def dead_letter_headers() -> Schema:
    """The original message's headers, if any, plus why and where it failed."""
    return {
        "type": "object",
        "description": "The original message's headers (if it had any) are kept alongside these.",
        "properties": {
            ERROR_HEADER: _string("The last error: `<exception type>: <message>`.", maxLength=1000),
            SOURCE_STREAM_HEADER: _string("Stream the message came from."),
            SOURCE_SEQUENCE_HEADER: _string("Its sequence in that stream.", pattern=_POSITIVE),
            MSG_ID: _string(
                "`<projection>:<source stream>:<sequence>`.", pattern="^[^:]+:[^:]+:[1-9][0-9]*$"
            ),
        },
        "required": sorted((ERROR_HEADER, SOURCE_STREAM_HEADER, SOURCE_SEQUENCE_HEADER, MSG_ID)),
    }


def _summary(contract: type[IntegrationEvent]) -> str:
    doc = inspect.getdoc(contract) or contract.__name__
    return doc.splitlines()[0]


def _event_message(spec: ServiceSpec[Any], contract: type[IntegrationEvent]) -> Schema:
    return {
        "name": contract.__name__,
        "title": contract.event_type,
        "summary": _summary(contract),
        "contentType": "application/json",
        "correlationId": {"location": f"$message.header#/{Header.CORRELATION_ID}"},
        "headers": event_headers(spec.name, contract),
        "payload": payload_schema(contract),
        "tags": [{"name": spec.name}],
    }


def _projection_names(services: Mapping[str, ServiceSpec[Any]]) -> list[str]:
    names = {getattr(factory, "name", None) for spec in services.values() for factory in spec.views}
    return sorted(name for name in names if isinstance(name, str))


def _ref(*path: str) -> dict[str, str]:
    return {"$ref": "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)}


def build_document(services: Mapping[str, ServiceSpec[Any]] | None = None) -> Schema:
    """Every stream, subject and published contract of the installed services."""
    services = all_services() if services is None else services
    channels: dict[str, Schema] = {}
    operations: dict[str, Schema] = {}
    messages: dict[str, Schema] = {}
    streams = {DEAD_LETTER_STREAM: f"{DEAD_LETTER_PREFIX}.>"}

    for spec in services.values():
        if not spec.contracts:
            continue
        stream = stream_name(spec.name)
        streams[stream] = ", ".join(stream_subjects(spec.name))
        by_subject: dict[str, list[type[IntegrationEvent]]] = {}
        for contract in spec.contracts:
            by_subject.setdefault(contract.subject, []).append(contract)
            if contract.event_type in messages:
                raise ValueError(f"event type {contract.event_type} is published twice")
            messages[contract.event_type] = _event_message(spec, contract)
        for subject, contracts in by_subject.items():
            types = [contract.event_type for contract in contracts]
            channels[subject] = {
                "address": subject,
                "title": subject,
                "description": f"{spec.title} events on stream {stream}.",
                "messages": {t: _ref("components", "messages", t) for t in types},
                "x-stream": stream,
            }
            operations[f"{subject}.send"] = {
                "action": "send",
                "channel": _ref("channels", subject),
                "messages": [_ref("channels", subject, "messages", t) for t in types],
                "summary": f"The {spec.name} relay publishes its stored events, in order.",
                "tags": [{"name": spec.name}],
            }

    parameter: Schema = {"description": "Name of the projection that gave up on the message."}
    if projections := _projection_names(services):
        parameter["enum"] = projections
    messages[DEAD_LETTER_MESSAGE] = {
        "name": "DeadLetter",
        "title": DEAD_LETTER_MESSAGE,
        "summary": "A message a projection failed to apply `max_deliver` times.",
        "headers": dead_letter_headers(),
        "payload": {
            "description": "The original body, unchanged: normally one of the source stream's "
            "contracts, though it may be what failed."
        },
    }
    channels[DEAD_LETTER_CHANNEL] = {
        "address": f"{DEAD_LETTER_PREFIX}.{{projection}}",
        "title": "Dead letters",
        "description": f"Messages projections gave up on, on stream {DEAD_LETTER_STREAM}.",
        "parameters": {"projection": parameter},
        "messages": {DEAD_LETTER_MESSAGE: _ref("components", "messages", DEAD_LETTER_MESSAGE)},
        "x-stream": DEAD_LETTER_STREAM,
    }
    operations[f"{DEAD_LETTER_CHANNEL}.send"] = {
        "action": "send",
        "channel": _ref("channels", DEAD_LETTER_CHANNEL),
        "messages": [_ref("channels", DEAD_LETTER_CHANNEL, "messages", DEAD_LETTER_MESSAGE)],
        "summary": "A projection runner sets aside a message it keeps failing on, and goes on.",
    }

    stream_list = "; ".join(
        f"`{name}` on `{subjects}`" for name, subjects in sorted(streams.items())
    )
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Pingan event bus",
            "version": DOCUMENT_VERSION,
            "description": (
                "Integration events of the Pingan services on NATS JetStream. Each producing "
                "service owns one stream; subjects are `<service>.<aggregate>.<event>`. Each "
                "message is a CloudEvents 1.0 event in binary mode: attributes in NATS headers, "
                "the JSON contract as the body."
            ),
            "tags": [
                {"name": spec.name, "description": spec.description or spec.title}
                for spec in services.values()
            ],
        },
        "defaultContentType": "application/json",
        "servers": {
            SERVER: {
                "host": "127.0.0.1:4222",
                "protocol": "nats",
                "description": f"NATS with JetStream (`NATS_URL`). Streams: {stream_list}.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
