"""The register of accounts, in its own database: a plain table, not an event-sourced
aggregate, because a login name must be unique, a password hash must be replaceable and
erasable (an append-only log would keep every old hash), and every API process reads the
disabled accounts and revoked tokens as one small set. Each change is written to an audit
table with who made it, and announced with NOTIFY in the same transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from pingan.auth.principal import Principal, Role

CHANNEL = "pingan_auth"

DDL = """
CREATE TABLE IF NOT EXISTS accounts (
    login text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    township text,
    station text,
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS revoked_tokens (
    token_id text PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL
);
CREATE TABLE IF NOT EXISTS account_changes (
    id bigserial PRIMARY KEY,
    login text NOT NULL,
    change text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}',
    actor text NOT NULL,
    actor_name text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
"""


class AccountExists(Exception):
    def __init__(self, login: str) -> None:
        super().__init__(f"an account {login!r} exists already")
        self.login = login


class AccountNotFound(LookupError):
    def __init__(self, login: str) -> None:
        super().__init__(f"no account {login!r}")
        self.login = login


@dataclass(frozen=True)
class Account:
    login: str
    name: str
    role: Role
    township: str | None
    station: str | None
    disabled: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Credentials:
    account: Account
    password_hash: str


@dataclass(frozen=True)
class Refusals:
    """What every process refuses without asking the database per request."""

    disabled: frozenset[str]
    revoked: frozenset[str]


def _account(row: asyncpg.Record) -> Account:
    return Account(
        login=row["login"],
        name=row["name"],
        role=Role(row["role"]),
        township=row["township"],
        station=row["station"],
        disabled=row["disabled"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


_COLUMNS = "login, name, role, township, station, disabled, created_at, updated_at"
_EDITABLE = ("name", "role", "township", "station", "password_hash", "disabled")


async def setup(conn: asyncpg.Connection) -> None:
    await conn.execute(DDL)


async def _audit(
    conn: asyncpg.Connection, login: str, change: str, actor: Principal, detail: dict[str, Any]
) -> None:
    await conn.execute(
        "INSERT INTO account_changes (login, change, detail, actor, actor_name)"
        " VALUES ($1, $2, $3::jsonb, $4, $5)",
        login,
        change,
        _json(detail),
        actor.subject,
        actor.name,
    )
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, change)


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class AccountStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(
        self,
        *,
        login: str,
        name: str,
        role: Role,
        township: str | None,
        station: str | None,
        password_hash: str,
        actor: Principal,
    ) -> Account:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "INSERT INTO accounts (login, name, role, township, station, password_hash)"  # noqa: S608
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (login) DO NOTHING"
                f" RETURNING {_COLUMNS}",
                login,
                name,
                role.value,
                township,
                station,
                password_hash,
            )
            if row is None:
                raise AccountExists(login)
            detail = {"name": name, "role": role.value, "township": township, "station": station}
            await _audit(conn, login, "added", actor, detail)
        return _account(row)

    async def update(self, login: str, changes: dict[str, Any], actor: Principal) -> Account:
        changes = {k: v.value if isinstance(v, Role) else v for k, v in changes.items()}
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        assignments = [f"{column} = ${n}" for n, column in enumerate(changes, start=2)]
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                f"UPDATE accounts SET {', '.join([*assignments, 'updated_at = now()'])}"  # noqa: S608
                f" WHERE login = $1 RETURNING {_COLUMNS}",
                login,
                *changes.values(),
            )
            if row is None:
                raise AccountNotFound(login)
            shown = {k: v for k, v in changes.items() if k != "password_hash"}
            if "password_hash" in changes:
                shown["password"] = "changed"  # noqa: S105
            disabled = changes.get("disabled")
            change = "changed" if disabled is None else "disabled" if disabled else "enabled"
            await _audit(conn, login, change, actor, shown)
        return _account(row)

    async def get(self, login: str) -> Account:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM accounts WHERE login = $1", login)  # noqa: S608
        if row is None:
            raise AccountNotFound(login)
        return _account(row)

    async def credentials(self, login: str) -> Credentials | None:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                f"SELECT {_COLUMNS}, password_hash FROM accounts WHERE login = $1",  # noqa: S608
                login,
            )
        return None if row is None else Credentials(_account(row), row["password_hash"])

    async def all(self) -> list[Account]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(f"SELECT {_COLUMNS} FROM accounts ORDER BY login")  # noqa: S608
        return [_account(row) for row in rows]

    async def revoke(self, token_id: str, expires_at: datetime, actor: Principal) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            # Entries outlive their tokens only until then: the set every process keeps
            # stays as small as the tokens still alive.
            await conn.execute(
                "DELETE FROM revoked_tokens WHERE expires_at < now() - interval '1 day'"
            )
            await conn.execute(
                "INSERT INTO revoked_tokens (token_id, expires_at, actor) VALUES ($1, $2, $3)"
                " ON CONFLICT (token_id) DO NOTHING",
                token_id,
                expires_at,
                actor.subject,
            )
            await _audit(conn, actor.subject, "token revoked", actor, {"token_id": token_id})


async def read_refusals(conn: asyncpg.Connection) -> Refusals:
    disabled = await conn.fetch("SELECT login FROM accounts WHERE disabled")
    revoked = await conn.fetch(
        "SELECT token_id FROM revoked_tokens WHERE expires_at >= now() - interval '1 hour'"
    )
    return Refusals(
        frozenset(r["login"] for r in disabled), frozenset(r["token_id"] for r in revoked)
    )
