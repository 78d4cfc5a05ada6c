"""The eventsourcing library's settings for a service's own database, and lookups it lacks."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from pingan.run.postgres import PgTarget
from pingan.run.settings import Settings


def postgres_env(db: PgTarget, settings: Settings) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": db.database,
        "POSTGRES_HOST": db.host,
        "POSTGRES_PORT": str(db.port),
        "POSTGRES_USER": db.user,
        "POSTGRES_PASSWORD": db.password,
        "POSTGRES_CONNECT_TIMEOUT": str(settings.db_connect_timeout_s),
        "POSTGRES_POOL_SIZE": str(settings.db_pool_size),
        "POSTGRES_MAX_WAITING": str(settings.db_max_waiting),
        "CREATE_TABLE": "y",
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size or ""),
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
