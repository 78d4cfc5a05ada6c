"""The eventsourcing library's settings for a service's own database."""

from __future__ import annotations

from typing import Any

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
    }


def mapper_only_env(env: dict[str, str]) -> dict[str, str]:
    """Same transcoding, cipher and compression, but no database connections."""
    return {**env, "PERSISTENCE_MODULE": "eventsourcing.popo"}


def events_table(application: type[Any]) -> str:
    return f"{application.name.lower()}_events"
