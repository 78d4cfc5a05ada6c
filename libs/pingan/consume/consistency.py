"""Read-your-writes: wait, within bounds, for a consumer to reach a position of a stream.

A command answers the position of its last event; a query of a view may ask to see at least
that position of the service's own stream, and across services a query may wait until this
service has processed a given position of another service's stream. The waiting itself is
the progress hub's (`pingan.consume.progress`); these are the ways it can end short.

Across services the token is `STREAM:position`, the producer's own event-store position
(what its command answered, carried on each message as `ce-position`), since that is what a
reaction's tracking records of each upstream. It is met when every reaction of this service
reading STREAM has reached the position and the queried view has reached what those reactions
had written into this service's store by then.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


class ViewBehind(Exception):
    def __init__(self, projection: str, wanted: int, reached: int, waited_s: float) -> None:
        super().__init__(f"view {projection} is at position {reached}, not yet {wanted}")
        self.projection = projection
        self.wanted = wanted
        self.reached = reached
        self.waited_s = waited_s


class PositionAhead(Exception):
    """A position no command has answered yet: waiting for it could only time out."""

    def __init__(self, wanted: int, written: int) -> None:
        super().__init__(f"position {wanted} is beyond the last one written, {written}")
        self.wanted = wanted
        self.written = written


class TooManyWaiting(Exception):
    """As many queries as allowed already wait in this process: answer now, queue nothing."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} queries are already waiting for the read views")
        self.limit = limit


#: How many `after` tokens one query may carry: one per stream it could need, with room.
MAX_AFTER = 8
_TOKEN = re.compile(r"([A-Z][A-Z0-9_]{0,63}):(0|[1-9][0-9]{0,17})")


@dataclass(frozen=True)
class ReadAfter:
    """A command's `after` token: this query answers only once the service has processed
    `position` (the producer's event-store position, its `ce-position`) of `stream`."""

    stream: str
    position: int

    @classmethod
    def parse(cls, token: str) -> ReadAfter:
        matched = _TOKEN.fullmatch(token)
        if matched is None:
            raise MalformedAfter(token)
        return cls(matched[1], int(matched[2]))

    def __str__(self) -> str:
        return f"{self.stream}:{self.position}"


def parse_after(tokens: Sequence[str]) -> list[ReadAfter]:
    if len(tokens) > MAX_AFTER:
        raise TooManyAfter(len(tokens), MAX_AFTER)
    return [ReadAfter.parse(token) for token in tokens]


class MalformedAfter(Exception):
    def __init__(self, token: str) -> None:
        super().__init__(f"{token[:80]!r} is not a STREAM:position token")
        self.token = token[:80]


class TooManyAfter(Exception):
    def __init__(self, given: int, limit: int) -> None:
        super().__init__(f"{given} after tokens given, at most {limit} allowed")
        self.given = given
        self.limit = limit


class StreamNotFollowed(Exception):
    """No reaction or view of this service reads the token's stream: it could never be met."""

    def __init__(self, stream: str, followed: Sequence[str]) -> None:
        super().__init__(f"stream {stream} is not followed here; followed: {', '.join(followed)}")
        self.stream = stream
        self.followed = list(followed)


class UpstreamBehind(Exception):
    """A reaction has not yet processed the token's position of its upstream stream."""

    def __init__(self, reaction: str, after: ReadAfter, reached: int, waited_s: float) -> None:
        super().__init__(
            f"reaction {reaction} has reached {after.stream} position {reached},"
            f" not yet {after.position}"
        )
        self.reaction = reaction
        self.after = after
        self.reached = reached
        self.waited_s = waited_s
