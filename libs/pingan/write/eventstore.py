"""The eventsourcing library's settings for a service's own database, and lookups it lacks."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import Environment, EnvType
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool
from psycopg_pool.base import BasePool

from pingan.run.postgres import PgTarget
from pingan.run.settings import Settings


class BoundedPostgresFactory(PostgresFactory):
    """eventsourcing's PostgreSQL persistence with the bounds its settings lack: a server-side
    statement time-out and TCP time-outs on every connection, and a pool that retries a lost
    server at a steady short interval instead of backing off to seconds."""

    STATEMENT_TIMEOUT_MS = "PINGAN_STATEMENT_TIMEOUT_MS"
    TCP_USER_TIMEOUT_MS = "PINGAN_TCP_USER_TIMEOUT_MS"
    RECONNECT_TIMEOUT_S = "PINGAN_RECONNECT_TIMEOUT_S"
    POOL_WAIT_S = "PINGAN_POOL_WAIT_S"

    def __init__(self, env: Environment | EnvType | None):
        super().__init__(env)
        pool = self.datastore.pool
        if not isinstance(pool.kwargs, dict):
            raise TypeError("eventsourcing gave its pool no connection keywords")
        pool.kwargs.update(connection_options(self.env))
        # psycopg_pool's back-off between reconnection attempts starts at 1 s and doubles,
        # bounded by this time-out, after which the attempt is given up and the pool shrinks.
        # A given-up attempt starts over at once (check() regrows an empty pool): PostgreSQL
        # is then tried every few tenths of a second, and nothing waits for a grown back-off.
        pool.reconnect_timeout = float(self.env.get(self.RECONNECT_TIMEOUT_S) or 300)
        # What the pool's documented `reconnect_failed` argument sets; eventsourcing does not
        # pass it on.
        pool._reconnect_failed = _start_over
        # eventsourcing waits for a pooled connection as long as it lets a connect take.
        pool.timeout = float(self.env.get(self.POOL_WAIT_S) or pool.timeout)


def _start_over(pool: BasePool) -> None:
    # Also the only way out for clients that timed out waiting: they stay queued, and once
    # `max_waiting` are queued no client joins the queue, which is what grows the pool.
    if isinstance(pool, ConnectionPool):
        pool.check()


def bounded_pool_arguments(db: PgTarget, settings: Settings) -> dict[str, Any]:
    """A psycopg pool of our own, bounded and quick to recover like the event store's."""
    env = Environment(env=postgres_env(db, settings))
    return {
        "kwargs": connection_options(env),
        "check": ConnectionPool.check_connection,
        "timeout": settings.db_pool_wait_s,
        "max_waiting": settings.db_max_waiting,
        "reconnect_timeout": settings.db_reconnect_interval_s,
        "reconnect_failed": _start_over,
    }


def connection_options(env: Environment) -> dict[str, Any]:
    # eventsourcing passes its connect time-out to the pool only: libpq would wait forever.
    options: dict[str, Any] = {
        "connect_timeout": int(env.get(PostgresFactory.POSTGRES_CONNECT_TIMEOUT) or 0)
    }
    statement_ms = env.get(BoundedPostgresFactory.STATEMENT_TIMEOUT_MS)
    if statement_ms:
        options["options"] = f"-c statement_timeout={int(statement_ms)}"
    tcp_ms = env.get(BoundedPostgresFactory.TCP_USER_TIMEOUT_MS)
    if tcp_ms:
        seconds = max(1, int(tcp_ms) // 1000)
        options |= {
            "tcp_user_timeout": int(tcp_ms),
            "keepalives": 1,
            "keepalives_idle": seconds,
            "keepalives_interval": seconds,
            "keepalives_count": 3,
        }
    return options


def postgres_env(db: PgTarget, settings: Settings) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": f"{__name__}:{BoundedPostgresFactory.__name__}",
        "POSTGRES_DBNAME": db.database,
        "POSTGRES_HOST": db.host,
        "POSTGRES_PORT": str(db.port),
        "POSTGRES_USER": db.user,
        "POSTGRES_PASSWORD": db.password,
        "POSTGRES_CONNECT_TIMEOUT": str(settings.db_connect_timeout_s),
        "POSTGRES_POOL_SIZE": str(settings.db_pool_size),
        "POSTGRES_MAX_WAITING": str(settings.db_max_waiting),
        "POSTGRES_PRE_PING": "y",
        "POSTGRES_LOCK_TIMEOUT": str(settings.db_lock_timeout_s),
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(settings.db_idle_in_transaction_s),
        BoundedPostgresFactory.STATEMENT_TIMEOUT_MS: str(
            int(settings.db_statement_timeout_s * 1000)
        ),
        BoundedPostgresFactory.TCP_USER_TIMEOUT_MS: str(int(settings.db_tcp_user_timeout_s * 1000)),
        BoundedPostgresFactory.RECONNECT_TIMEOUT_S: str(settings.db_reconnect_interval_s),
        BoundedPostgresFactory.POOL_WAIT_S: str(settings.db_pool_wait_s),
        "CREATE_TABLE": "y",
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size or ""),
        "BUSINESS_DATE_LIMIT_DAYS": str(settings.business_date_limit_days),
    }


def mapper_only_env(env: dict[str, str]) -> dict[str, str]:
    """Same transcoding, cipher and compression, but no database connections."""
    return {**env, "PERSISTENCE_MODULE": "eventsourcing.popo"}


def events_table(application: type[Any]) -> str:
    return f"{application.name.lower()}_events"


def notification_id(recorder: ApplicationRecorder, originator_id: UUID, version: int) -> int:
    """The position (notification id) at which one stored event was recorded."""
    if isinstance(recorder, PostgresApplicationRecorder):
        query = SQL(
            "SELECT notification_id FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = %s"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(query, (originator_id, version))
            row = curs.fetchone()
        if row is None:
            raise LookupError(f"no event {originator_id} v{version}")
        found: int = row["notification_id"]
        return found
    # The in-memory store of unit tests has no index by originator: scan it.
    start = 1
    while page := recorder.select_notifications(start, 500):
        for notification in page:
            if (notification.originator_id, notification.originator_version) == (
                originator_id,
                version,
            ):
                return notification.id
        start = page[-1].id + 1
    raise LookupError(f"no event {originator_id} v{version}")
