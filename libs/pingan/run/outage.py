"""Tell an outage from a bug, and say which server is gone: the bus or the database."""

from __future__ import annotations

import asyncpg
import nats.errors
from eventsourcing.persistence import OperationalError

BUS = "NATS"
DATABASE = "PostgreSQL"
EITHER = "NATS or PostgreSQL (no answer in time)"


def outage_of(exc: BaseException) -> str | None:
    """Which server `exc` says cannot be reached, or None when it is not an outage."""
    if isinstance(exc, nats.errors.Error):
        return BUS
    if isinstance(
        exc,
        asyncpg.PostgresConnectionError
        | asyncpg.InterfaceError
        | asyncpg.OperatorInterventionError
        | OperationalError,
    ):
        return DATABASE
    # The builtin TimeoutError (an OSError on 3.11) comes from both clients' time-outs.
    if isinstance(exc, TimeoutError):
        return EITHER
    if isinstance(exc, ConnectionError) or (isinstance(exc, OSError) and exc.errno is not None):
        return DATABASE
    return None
