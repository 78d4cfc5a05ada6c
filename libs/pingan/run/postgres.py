"""Where a service's PostgreSQL database is, in the forms each client wants."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import asyncpg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pingan.run.settings import Settings


@dataclass(frozen=True)
class QueryLimits:
    """How long a pooled connection's statement may run and its connect may take. The
    server ends a statement at `statement_timeout_s`; the client gives up a little later,
    which also covers a server that no longer answers at all."""

    statement_timeout_s: float
    lock_timeout_s: float
    idle_in_transaction_s: float
    connect_timeout_s: float

    @classmethod
    def of(cls, settings: Settings) -> QueryLimits:
        return cls(
            statement_timeout_s=settings.db_statement_timeout_s,
            lock_timeout_s=settings.db_lock_timeout_s,
            idle_in_transaction_s=settings.db_idle_in_transaction_s,
            connect_timeout_s=settings.db_connect_timeout_s,
        )

    def asyncpg_kwargs(self) -> dict[str, Any]:
        return {
            "timeout": self.connect_timeout_s,
            "command_timeout": self.statement_timeout_s + 0.5,
            "server_settings": {
                "statement_timeout": str(int(self.statement_timeout_s * 1000)),
                "lock_timeout": str(int(self.lock_timeout_s * 1000)),
                "idle_in_transaction_session_timeout": str(int(self.idle_in_transaction_s * 1000)),
            },
        }


@dataclass(frozen=True)
class PgTarget:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_url(cls, url: str) -> PgTarget:
        parts = conninfo_to_dict(url)
        return cls(
            host=str(parts.get("host") or "127.0.0.1"),
            port=int(parts.get("port") or 5432),
            user=str(parts.get("user") or "postgres"),
            password=str(parts.get("password") or ""),
            database=str(parts.get("dbname") or "postgres"),
        )

    def with_database(self, database: str) -> PgTarget:
        return replace(self, database=database)

    @property
    def url(self) -> str:
        """A libpq connection URI (unix-socket hosts go in the query string)."""
        if self.host.startswith("/"):
            return f"postgresql://{self.user}@/{self.database}?host={self.host}&port={self.port}"
        auth = f"{self.user}:{self.password}@" if self.password else f"{self.user}@"
        return f"postgresql://{auth}{self.host}:{self.port}/{self.database}"

    @property
    def conninfo(self) -> str:
        return make_conninfo(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=self.database,
        )

    def asyncpg_kwargs(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or None,
            "database": self.database,
        }

    async def connect(self, connect_timeout_s: float = 5.0) -> asyncpg.Connection:
        return await asyncpg.connect(timeout=connect_timeout_s, **self.asyncpg_kwargs())

    async def create_pool(
        self, min_size: int = 1, max_size: int = 10, limits: QueryLimits | None = None
    ) -> asyncpg.Pool:
        bounds = limits.asyncpg_kwargs() if limits else {}
        pool = await asyncpg.create_pool(
            min_size=min_size, max_size=max_size, **self.asyncpg_kwargs(), **bounds
        )
        if pool is None:
            raise RuntimeError("asyncpg returned no pool")
        return pool


async def ensure_database(server: PgTarget, database: str) -> None:
    """Create `database` on the server unless it exists; safe when several processes race."""
    conn = await server.connect()
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if exists:
            return
        try:
            await conn.execute(f'CREATE DATABASE "{database}"')
        except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
            pass
    finally:
        await conn.close()
