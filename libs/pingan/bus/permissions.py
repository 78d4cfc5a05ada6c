"""Least privilege on the bus, derived from what each service declares.

A service may publish its own events, manage its own stream and the dead-letter stream, and,
for each view and reaction, manage and pull from its own durable consumer on each stream that
consumer reads, and acknowledge that consumer's messages. It may subscribe to its own inbox
only. The operator may look at every stream and read its messages through ephemeral consumers
or message gets, and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pingan.bus.identity import inbox_prefix
from pingan.bus.streams import (
    DEAD_LETTER_PREFIX,
    DEAD_LETTER_STREAM,
    dead_letter_subject,
    stream_name,
    stream_subjects,
)
from pingan.service import ServiceSpec

OPERATOR = "operator"
API = "$JS.API"


def durable_name(service: str, kind: str, name: str) -> str:
    """Per service: two services may each have a view or reaction of the same name."""
    return f"{service}_{kind}_{name}"


@dataclass(frozen=True)
class Consumer:
    """A view's or reaction's durable consumer on one of the streams it reads."""

    stream: str
    durable: str


@dataclass(frozen=True)
class Permissions:
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    deny_publish: tuple[str, ...] = ()

    def as_config(self) -> dict[str, Any]:
        publish: dict[str, Any] = {"allow": list(self.publish)}
        if self.deny_publish:
            publish["deny"] = list(self.deny_publish)
        return {"publish": publish, "subscribe": {"allow": list(self.subscribe)}}


def consumers_of(spec: ServiceSpec[Any]) -> list[Consumer]:
    readers = [("view", view.name, view.sources) for view in (f() for f in spec.views)]
    readers += [("reaction", r.name, r.sources) for r in (f() for f in spec.reactions)]
    return [
        Consumer(source, durable_name(spec.name, kind, name))
        for kind, name, sources in readers
        for source in sources
    ]


def _manage_stream(stream: str) -> list[str]:
    return [f"{API}.STREAM.{verb}.{stream}" for verb in ("CREATE", "UPDATE", "INFO")]


def _consume(consumer: Consumer) -> list[str]:
    stream, durable = consumer.stream, consumer.durable
    return [
        # nats-py creates a durable on the pre-2.9 subject; newer clients add the filter.
        f"{API}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
        f"{API}.CONSUMER.CREATE.{stream}.{durable}",
        f"{API}.CONSUMER.CREATE.{stream}.{durable}.>",
        f"{API}.CONSUMER.INFO.{stream}.{durable}",
        f"{API}.CONSUMER.DELETE.{stream}.{durable}",
        f"{API}.CONSUMER.MSG.NEXT.{stream}.{durable}",
        f"$JS.ACK.{stream}.{durable}.>",
    ]


def _unique(subjects: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(subjects))


def service_permissions(spec: ServiceSpec[Any]) -> Permissions:
    own = stream_name(spec.name)
    consumers = consumers_of(spec)
    sources = sorted({c.stream for c in consumers})
    publish = [
        *stream_subjects(spec.name),
        *_manage_stream(own),
        f"{API}.STREAM.MSG.GET.{own}",
        *_manage_stream(DEAD_LETTER_STREAM),
        *(dead_letter_subject(factory().name) for factory in spec.views),
        # Lag is the distance to a source's end; a reaction's skip reads the halted message.
        *(f"{API}.STREAM.INFO.{source}" for source in sources),
        *(f"{API}.STREAM.MSG.GET.{source}" for source in sources),
        *(subject for consumer in consumers for subject in _consume(consumer)),
    ]
    return Permissions(_unique(publish), (f"{inbox_prefix(spec.name)}.>",))


def operator_permissions(services: Iterable[ServiceSpec[Any]]) -> Permissions:
    """Read-only: the durables of the services are out of reach, so that the operator can
    neither redefine one nor take its messages."""
    specs = list(services)
    publish = [
        f"{API}.INFO",
        f"{API}.STREAM.NAMES",
        f"{API}.STREAM.LIST",
        f"{API}.STREAM.INFO.*",
        f"{API}.STREAM.MSG.GET.*",
        f"{API}.DIRECT.GET.>",
        f"{API}.CONSUMER.NAMES.*",
        f"{API}.CONSUMER.LIST.*",
        f"{API}.CONSUMER.INFO.*.*",
        # Ephemeral consumers: the legacy subject, and the named one newer clients use.
        f"{API}.CONSUMER.CREATE.*",
        f"{API}.CONSUMER.CREATE.*.>",
        f"{API}.CONSUMER.MSG.NEXT.*.*",
        "$JS.ACK.>",
        # An ordered consumer stalls without flow-control replies.
        "$JS.FC.>",
    ]
    durables = [c for spec in specs for c in consumers_of(spec)]
    deny = [
        subject
        for consumer in durables
        for subject in _consume(consumer)
        if ".INFO." not in subject
    ]
    subscribe = ["_INBOX.>", f"{DEAD_LETTER_PREFIX}.>"]
    subscribe += [s for spec in specs for s in stream_subjects(spec.name)]
    return Permissions(_unique(publish), _unique(subscribe), _unique(deny))


def all_permissions(services: Mapping[str, ServiceSpec[Any]]) -> dict[str, Permissions]:
    """Each service's user, and the operator's."""
    found = {name: service_permissions(spec) for name, spec in services.items()}
    if OPERATOR in found:
        raise ValueError(f"a service may not be called {OPERATOR!r}")
    found[OPERATOR] = operator_permissions(services.values())
    return found
