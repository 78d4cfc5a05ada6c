"""NATS connection and JetStream stream set-up."""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from pingan.bus.identity import NatsIdentity

log = logging.getLogger(__name__)

DEAD_LETTER_STREAM = "DEADLETTER"
DEAD_LETTER_PREFIX = "deadletter"


def stream_name(service: str) -> str:
    return service.upper()


def stream_subjects(service: str) -> list[str]:
    return [f"{service}.>"]


def dead_letter_subject(projection: str) -> str:
    return f"{DEAD_LETTER_PREFIX}.{projection}"


class Reconnections:
    """Wakes every waiter when the connection to NATS is back: a publish in flight when it
    broke may never be acknowledged, and is better retried at once than timed out."""

    def __init__(self) -> None:
        self.count = 0
        self._back = asyncio.Event()

    def notify(self) -> None:
        self.count += 1
        self._back.set()
        self._back = asyncio.Event()

    async def since(self, count: int) -> None:
        """Return once the connection has come back since `count` was read."""
        if self.count == count:
            await self._back.wait()


async def connect(
    url: str,
    name: str,
    reconnections: Reconnections | None = None,
    identity: NatsIdentity | None = None,
) -> Client:
    async def on_error(exc: Exception) -> None:
        log.warning("nats: %s", exc)

    async def on_reconnected() -> None:
        log.info("nats: %s reconnected", name)
        if reconnections is not None:
            reconnections.notify()

    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        # Sooner finds a restarted server before its JetStream answers, and a consumer then
        # waits out a whole API time-out.
        reconnect_time_wait=0.5,
        reconnected_cb=on_reconnected,
        ping_interval=10,
        max_outstanding_pings=3,
        connect_timeout=5,
        error_cb=on_error,
        **_login(identity),
    )


def _login(identity: NatsIdentity | None) -> dict[str, str]:
    if identity is None:
        return {}
    return {
        "user": identity.user,
        "password": identity.password,
        "inbox_prefix": identity.inbox_prefix,
    }


async def ensure_stream(
    js: JetStreamContext,
    name: str,
    subjects: list[str],
    *,
    duplicate_window_s: float,
    replicas: int = 1,
) -> None:
    config = StreamConfig(
        name=name,
        subjects=subjects,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=duplicate_window_s,
        num_replicas=replicas,
    )
    try:
        await js.stream_info(name)
    except NotFoundError:
        await js.add_stream(config)
    else:
        await js.update_stream(config)


async def ensure_service_streams(
    js: JetStreamContext, service: str, *, duplicate_window_s: float, replicas: int = 1
) -> None:
    await ensure_stream(
        js,
        stream_name(service),
        stream_subjects(service),
        duplicate_window_s=duplicate_window_s,
        replicas=replicas,
    )
    await ensure_stream(
        js,
        DEAD_LETTER_STREAM,
        [f"{DEAD_LETTER_PREFIX}.>"],
        duplicate_window_s=duplicate_window_s,
        replicas=replicas,
    )
