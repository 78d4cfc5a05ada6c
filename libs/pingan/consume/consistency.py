"""Read-your-writes: wait, within bounds, for a consumer to reach a position of a stream.

A command answers the position of its last event; a query of a view may ask to see at least
that position of the service's own stream, and across services a query may wait until this
service has processed a given position of another service's stream. The waiting itself is
the progress hub's (`pingan.consume.progress`); these are the ways it can end short.
"""

from __future__ import annotations


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
