"""NATS connection and JetStream stream set-up."""

from __future__ import annotations

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


async def connect(url: str, name: str, identity: NatsIdentity | None = None) -> Client:
    async def on_error(exc: Exception) -> None:
        log.warning("nats: %s", exc)

    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
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
