"""Where the registry keeps people, keys, mentions and its audit: the shared privacy
database (PostgreSQL), or memory for unit tests on eventsourcing's in-memory store."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from pingan.privacy.ciphers import FieldCipher
from pingan.privacy.people import (
    Disclosure,
    ForgetOutcome,
    People,
    PersonKey,
    Reader,
    ReadRecord,
    RetainedByLaw,
    UnknownPerson,
)
from pingan.privacy.retention import RecordKind

SECRET_BYTES = 32

DDL = """
CREATE TABLE IF NOT EXISTS privacy_secret (
    id int PRIMARY KEY CHECK (id = 1),
    secret bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    forgotten_at timestamptz
);
CREATE TABLE IF NOT EXISTS person_lookups (
    digest bytea PRIMARY KEY,
    person_id uuid NOT NULL REFERENCES people (id)
);
CREATE TABLE IF NOT EXISTS person_keys (
    person_id uuid NOT NULL REFERENCES people (id),
    version int NOT NULL,
    algorithm text NOT NULL,
    wrapped bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, version)
);
CREATE TABLE IF NOT EXISTS person_mentions (
    person_id uuid NOT NULL REFERENCES people (id),
    kind text NOT NULL,
    record_id text NOT NULL,
    erasable boolean NOT NULL,
    rule text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, kind, record_id)
);
CREATE TABLE IF NOT EXISTS personal_reads (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    subject text NOT NULL,
    role text NOT NULL,
    person_id uuid NOT NULL,
    field text NOT NULL,
    purpose text NOT NULL,
    record_id text NOT NULL
);
CREATE INDEX IF NOT EXISTS personal_reads_person ON personal_reads (person_id, at);
CREATE TABLE IF NOT EXISTS forget_requests (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    person_id uuid NOT NULL,
    requested_by text NOT NULL,
    reason text NOT NULL,
    forgotten boolean NOT NULL,
    rules text[] NOT NULL
);
CREATE OR REPLACE FUNCTION privacy_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE OR REPLACE TRIGGER personal_reads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
    ON personal_reads FOR EACH STATEMENT EXECUTE FUNCTION privacy_append_only();
CREATE OR REPLACE TRIGGER forget_requests_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
    ON forget_requests FOR EACH STATEMENT EXECUTE FUNCTION privacy_append_only();
"""
SCHEMA_LOCK = 7_300_121


def secret_from(path: Path | None) -> bytes | None:
    """The secret in `path` (created on first use), or None when no file is configured."""
    if path is None:
        return None
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(os.urandom(SECRET_BYTES).hex())
    return bytes.fromhex(path.read_text().strip())


class PostgresPeople(People):
    def __init__(
        self,
        conninfo: str,
        cipher: FieldCipher,
        secret: bytes | None,
        pool_arguments: dict[str, Any] | None = None,
        open_wait_s: float = 30.0,
    ) -> None:
        self.conninfo = conninfo
        arguments = dict(pool_arguments or {})
        kwargs = {**arguments.pop("kwargs", {}), "row_factory": dict_row}
        self.pool: ConnectionPool[Connection[dict[str, Any]]] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=4,
            open=False,
            **{"timeout": 5.0, **arguments},
            kwargs=kwargs,
            connection_class=Connection[dict[str, Any]],
        )
        # The first connection takes a whole connect (two if one times out), longer than a
        # command waits for one.
        self.pool.open(wait=True, timeout=open_wait_s)
        with self.pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            conn.execute(DDL)
            if secret is None:
                # No secret file configured: one kept in this database, shared by every
                # process; weaker, since a copy of the database then holds both.
                conn.execute(
                    "INSERT INTO privacy_secret VALUES (1, %s) ON CONFLICT DO NOTHING",
                    (os.urandom(SECRET_BYTES),),
                )
                row = conn.execute("SELECT secret FROM privacy_secret").fetchone()
                assert row is not None  # noqa: S101 - inserted just above
                secret = bytes(row["secret"])
        super().__init__(secret, cipher)

    def close(self) -> None:
        self.pool.close()

    def _find_or_issue(self, lookups: list[bytes], fresh: PersonKey) -> PersonKey:
        with self.pool.connection() as conn:
            for digest in sorted(lookups):
                conn.execute(
                    "SELECT pg_advisory_xact_lock(%s)",
                    (int.from_bytes(digest[:8], "big", signed=True),),
                )
            row = conn.execute(
                "SELECT k.person_id, k.version, k.algorithm, k.wrapped FROM person_lookups l "
                "JOIN person_keys k ON k.person_id = l.person_id WHERE l.digest = ANY(%s) "
                "ORDER BY k.version DESC LIMIT 1",
                (lookups,),
            ).fetchone()
            if row is not None:
                key = PersonKey(row["person_id"], row["version"], row["algorithm"], row["wrapped"])
                for digest in lookups:
                    conn.execute(
                        "INSERT INTO person_lookups VALUES (%s, %s) ON CONFLICT DO NOTHING",
                        (digest, key.person_id),
                    )
                return key
            conn.execute("INSERT INTO people (id) VALUES (%s)", (fresh.person_id,))
            conn.execute(
                "INSERT INTO person_keys (person_id, version, algorithm, wrapped) "
                "VALUES (%s, %s, %s, %s)",
                (fresh.person_id, fresh.version, fresh.algorithm, fresh.wrapped),
            )
            for digest in lookups:
                conn.execute(
                    "INSERT INTO person_lookups VALUES (%s, %s)", (digest, fresh.person_id)
                )
            return fresh

    def _note_mention(self, person_id: UUID, kind: RecordKind, record_id: str) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO person_mentions (person_id, kind, record_id, erasable, rule) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (person_id, kind.name, record_id, kind.retention.erasable, kind.retention.rule),
            )

    def _keys(self, wanted: list[tuple[UUID, int]]) -> dict[tuple[UUID, int], PersonKey]:
        if not wanted:
            return {}
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT person_id, version, algorithm, wrapped FROM person_keys "
                "WHERE person_id = ANY(%s)",
                ([p for p, _ in wanted],),
            ).fetchall()
        keys = (PersonKey(r["person_id"], r["version"], r["algorithm"], r["wrapped"]) for r in rows)
        return {(k.person_id, k.version): k for k in keys}

    def _audit(self, opened: list[tuple[UUID, Disclosure]], reader: Reader) -> None:
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO personal_reads (subject, role, person_id, field, purpose, record_id) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (reader.subject, reader.role, p, d.field.value, reader.purpose, d.record_id)
                    for p, d in opened
                ],
            )

    def _forget(self, person_id: UUID, by: str, reason: str) -> ForgetOutcome:
        with self.pool.connection() as conn:
            known = conn.execute(
                "SELECT 1 FROM people WHERE id = %s FOR UPDATE", (person_id,)
            ).fetchone()
            if known is None:
                raise UnknownPerson(person_id)
            mentions = conn.execute(
                "SELECT kind, erasable, rule FROM person_mentions WHERE person_id = %s",
                (person_id,),
            ).fetchall()
            kinds = tuple(sorted({m["kind"] for m in mentions}))
            kept = sorted({f"{m['kind']}: {m['rule']}" for m in mentions if not m["erasable"]})
            if not kept:
                conn.execute("DELETE FROM person_keys WHERE person_id = %s", (person_id,))
                conn.execute("DELETE FROM person_lookups WHERE person_id = %s", (person_id,))
                conn.execute("UPDATE people SET forgotten_at = now() WHERE id = %s", (person_id,))
            conn.execute(
                "INSERT INTO forget_requests (person_id, requested_by, reason, forgotten, rules) "
                "VALUES (%s, %s, %s, %s, %s)",
                (person_id, by, reason, not kept, kept),
            )
        if kept:
            raise RetainedByLaw(person_id, kept)
        # A deleted row stays in the table's pages until vacuumed: the wrapped key with it.
        with Connection.connect(self.conninfo, autocommit=True) as conn:
            conn.execute("VACUUM person_keys, person_lookups")
        return ForgetOutcome(person_id, True, kinds)

    def reads(self, person_id: UUID | None = None, limit: int = 100) -> list[ReadRecord]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT at, subject, role, person_id, field, purpose, record_id "
                "FROM personal_reads WHERE %(p)s::uuid IS NULL OR person_id = %(p)s "
                "ORDER BY id DESC LIMIT %(n)s",
                {"p": person_id, "n": limit},
            ).fetchall()
        return [ReadRecord(**r) for r in rows]


class MemoryPeople(People):
    """The same registry in memory: keys live as long as the in-memory events they open."""

    def __init__(self, cipher: FieldCipher) -> None:
        super().__init__(os.urandom(SECRET_BYTES), cipher)
        self.lookup_table: dict[bytes, UUID] = {}
        self.keys: dict[tuple[UUID, int], PersonKey] = {}
        self.mentions: dict[UUID, list[RecordKind]] = {}
        self.read_log: list[ReadRecord] = []

    def _find_or_issue(self, lookups: list[bytes], fresh: PersonKey) -> PersonKey:
        for digest in lookups:
            person = self.lookup_table.get(digest)
            if person is not None and (person, 1) in self.keys:
                for d in lookups:
                    self.lookup_table.setdefault(d, person)
                return self.keys[(person, 1)]
        self.keys[(fresh.person_id, fresh.version)] = fresh
        for digest in lookups:
            self.lookup_table[digest] = fresh.person_id
        return fresh

    def _note_mention(self, person_id: UUID, kind: RecordKind, record_id: str) -> None:
        self.mentions.setdefault(person_id, []).append(kind)

    def _keys(self, wanted: list[tuple[UUID, int]]) -> dict[tuple[UUID, int], PersonKey]:
        return {w: self.keys[w] for w in wanted if w in self.keys}

    def _audit(self, opened: list[tuple[UUID, Disclosure]], reader: Reader) -> None:
        now = datetime.now(UTC)
        self.read_log += [
            ReadRecord(
                now, reader.subject, reader.role, p, d.field.value, reader.purpose, d.record_id
            )
            for p, d in opened
        ]

    def _forget(self, person_id: UUID, by: str, reason: str) -> ForgetOutcome:
        if person_id not in self.mentions:
            raise UnknownPerson(person_id)
        kinds = self.mentions[person_id]
        kept = sorted({f"{k.name}: {k.retention.rule}" for k in kinds if not k.retention.erasable})
        if kept:
            raise RetainedByLaw(person_id, kept)
        self.keys = {w: k for w, k in self.keys.items() if w[0] != person_id}
        self.lookup_table = {d: p for d, p in self.lookup_table.items() if p != person_id}
        return ForgetOutcome(person_id, True, tuple(sorted({k.name for k in kinds})))

    def reads(self, person_id: UUID | None = None, limit: int = 100) -> list[ReadRecord]:
        found = [r for r in self.read_log if person_id is None or r.person_id == person_id]
        return found[::-1][:limit]
