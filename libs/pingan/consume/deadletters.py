"""Dead letters: a view's event that kept failing, parked with its error so the view goes on."""

from __future__ import annotations

import logging

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from pingan.bus.envelope import MSG_ID
from pingan.bus.streams import dead_letter_subject

log = logging.getLogger(__name__)

ERROR_HEADER = "Pingan-Error"
SOURCE_STREAM_HEADER = "Pingan-Source-Stream"
SOURCE_SEQUENCE_HEADER = "Pingan-Source-Sequence"


async def dead_letter(
    js: JetStreamContext, consumer: str, source: str, msg: Msg, exc: BaseException
) -> None:
    seq = msg.metadata.sequence.stream
    # The source's publish-time conditions (Nats-Expected-*, Nats-Msg-Id) would make the
    # dead letter's own publish fail or be dropped as a duplicate.
    headers = {k: v for k, v in (msg.headers or {}).items() if not k.lower().startswith("nats-")}
    headers[ERROR_HEADER] = f"{type(exc).__name__}: {exc}"[:1000]
    headers[SOURCE_STREAM_HEADER] = source
    headers[SOURCE_SEQUENCE_HEADER] = str(seq)
    headers[MSG_ID] = f"{consumer}:{source}:{seq}"
    await js.publish(dead_letter_subject(consumer), msg.data, headers=headers)
    log.error("%s: %s seq %d dead-lettered: %r", consumer, source, seq, exc)
