"""Tell a lost bus from a lost database, so that a worker logs an outage as what it is.

Type alone does not say: on Python 3.11 nats-py's `TimeoutError` is also an `OSError`, and
asyncpg and nats-py both let the builtin `TimeoutError` and `ConnectionRefusedError` through.
For those the innermost frame of either client library in the traceback decides.
"""

from __future__ import annotations

import enum
import traceback

import asyncpg
import eventsourcing.persistence
import nats.errors
import nats.js.errors
import psycopg


class Outage(enum.StrEnum):
    BUS = "bus"
    DATABASE = "database"

    @property
    def described(self) -> str:
        return "NATS unavailable" if self is Outage.BUS else "database unavailable"


_BUS_ERRORS = (nats.errors.Error, nats.js.errors.Error)
# Only what says the server is out of reach: a constraint or a syntax error is a bug.
_DATABASE_ERRORS = (
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    eventsourcing.persistence.OperationalError,
    eventsourcing.persistence.InterfaceError,
)
_BUS_MODULES = ("nats",)
_DATABASE_MODULES = ("asyncpg", "psycopg", "psycopg_pool")


def outage_of(exc: BaseException) -> Outage | None:
    """Which server `exc` says is out of reach; None if it is no outage (a bug, bad data)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _classify_one(current)
        if found is not None:
            return found
        current = current.__cause__ or current.__context__
    return None


def _classify_one(exc: BaseException) -> Outage | None:
    if isinstance(exc, _BUS_ERRORS):
        return Outage.BUS
    if isinstance(exc, _DATABASE_ERRORS):
        return Outage.DATABASE
    if isinstance(exc, OSError):  # includes the builtin TimeoutError
        return _raised_in(exc)
    return None


def _raised_in(exc: BaseException) -> Outage | None:
    found = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        package = str(frame.f_globals.get("__name__", "")).partition(".")[0]
        if package in _BUS_MODULES:
            found = Outage.BUS
        elif package in _DATABASE_MODULES:
            found = Outage.DATABASE
    return found
