"""How far each consumer has got in each source stream, and whether it is halted there.

For a view this row is the truth: it commits in the same transaction as the view's change.
For a reaction the truth is its event store's tracking record; this row mirrors it after
each commit (never ahead of it), so that lag, readiness and cross-service waits read one table.
Every change of a position sends a notification on `PROGRESS_CHANNEL` in the same
transaction, delivered at its commit, for read-your-writes waits in any process.

A reaction's row also holds `wrote`: the last position of the service's own event store that
the reaction had written when it reached `position` of the source (NULL: not known, as for a
row from before the column). It changes in the same statement as the position, so that no
reader sees the one without the other; a query that waits for an upstream position then waits
for its own view to reach `wrote`, or it would read the view before the reaction's effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

DDL = """
CREATE TABLE IF NOT EXISTS consumer_tracking (
    consumer text NOT NULL,
    source text NOT NULL,
    stream_seq bigint NOT NULL DEFAULT 0,
    position bigint NOT NULL DEFAULT 0,
    halted_seq bigint,
    error text,
    resolution text CHECK (resolution IN ('retry', 'skip')),
    resolution_reason text,
    resolution_actor text,
    wrote bigint,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, source)
);
CREATE TABLE IF NOT EXISTS view_versions (
    view text PRIMARY KEY,
    version int NOT NULL
);
"""
DDL_LOCK = "SELECT pg_advisory_xact_lock(hashtext('pingan-consumer-ddl'))"
PROGRESS_CHANNEL = "pingan_progress"


@dataclass(frozen=True)
class Tracked:
    stream_seq: int
    position: int


@dataclass(frozen=True)
class Progress:
    consumer: str
    source: str
    stream_seq: int
    position: int
    halted_seq: int | None
    error: str | None


@dataclass(frozen=True)
class Resolution:
    action: str
    reason: str
    actor: str


async def setup_tracking(conn: asyncpg.Connection) -> None:
    await conn.execute(DDL)
    # A table made before `wrote` existed gains it; checked first, since ALTER TABLE takes
    # the table's strongest lock even when the column is there.
    has_wrote = await conn.fetchval(
        "SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'consumer_tracking'::regclass"
        " AND attname = 'wrote' AND NOT attisdropped)"
    )
    if not has_wrote:
        await conn.execute("ALTER TABLE consumer_tracking ADD COLUMN wrote bigint")


async def read_tracking(conn: asyncpg.Connection, consumer: str, source: str) -> Tracked:
    row = await conn.fetchrow(
        "SELECT stream_seq, position FROM consumer_tracking WHERE consumer=$1 AND source=$2",
        consumer,
        source,
    )
    return Tracked(row["stream_seq"], row["position"]) if row else Tracked(0, 0)


async def lock_tracking(conn: asyncpg.Connection, consumer: str, source: str) -> Tracked:
    """The tracked position, its row locked until the transaction ends (made if missing), so
    that two runners can never both apply the batch that follows it."""
    await conn.execute(
        "INSERT INTO consumer_tracking (consumer, source) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        consumer,
        source,
    )
    row = await conn.fetchrow(
        "SELECT stream_seq, position FROM consumer_tracking"
        " WHERE consumer=$1 AND source=$2 FOR UPDATE",
        consumer,
        source,
    )
    if row is None:
        raise LookupError(f"the tracking row of {consumer} in {source} vanished")
    return Tracked(row["stream_seq"], row["position"])


async def write_tracking(
    conn: asyncpg.Connection,
    consumer: str,
    source: str,
    tracked: Tracked,
    wrote: int | None = None,
) -> None:
    """Set the position; a reaction also gives the last position of its own store it has
    written (None: nothing new), which only grows."""
    await conn.execute(
        "WITH changed AS (INSERT INTO consumer_tracking AS t"
        " (consumer, source, stream_seq, position, wrote)"
        " VALUES ($1, $2, $3, $4, $6) ON CONFLICT (consumer, source) DO UPDATE"
        " SET stream_seq = $3, position = $4, wrote = GREATEST(t.wrote, $6), updated_at = now()"
        " RETURNING consumer, source, position, wrote)"
        " SELECT pg_notify($5, json_build_object("
        "'consumer', consumer, 'source', source, 'position', position, 'wrote', wrote)::text)"
        " FROM changed",
        consumer,
        source,
        tracked.stream_seq,
        tracked.position,
        PROGRESS_CHANNEL,
        wrote,
    )


async def forget(conn: asyncpg.Connection, consumer: str) -> None:
    await conn.execute(
        "WITH changed AS (DELETE FROM consumer_tracking WHERE consumer=$1"
        " RETURNING consumer, source)"
        " SELECT pg_notify($2, json_build_object("
        "'consumer', consumer, 'source', source, 'position', 0)::text) FROM changed",
        consumer,
        PROGRESS_CHANNEL,
    )


async def progress_of(conn: asyncpg.Connection, consumer: str) -> list[Progress]:
    rows = await conn.fetch(
        "SELECT consumer, source, stream_seq, position, halted_seq, error"
        " FROM consumer_tracking WHERE consumer=$1 ORDER BY source",
        consumer,
    )
    return [Progress(**dict(row)) for row in rows]


async def all_progress(conn: asyncpg.Connection) -> list[Progress]:
    rows = await conn.fetch(
        "SELECT consumer, source, stream_seq, position, halted_seq, error FROM consumer_tracking"
    )
    return [Progress(**dict(row)) for row in rows]


async def halt(conn: asyncpg.Connection, consumer: str, source: str, seq: int, error: str) -> None:
    await conn.execute(
        "INSERT INTO consumer_tracking AS t (consumer, source, halted_seq, error)"
        " VALUES ($1,$2,$3,$4) ON CONFLICT (consumer, source) DO UPDATE SET error=$4,"
        # An operator's answer to this same halt, asked for before a restart, still stands.
        " resolution = CASE WHEN t.halted_seq = $3 THEN t.resolution END,"
        " resolution_reason = CASE WHEN t.halted_seq = $3 THEN t.resolution_reason END,"
        " resolution_actor = CASE WHEN t.halted_seq = $3 THEN t.resolution_actor END,"
        " halted_seq=$3, updated_at=now()",
        consumer,
        source,
        seq,
        error[:2000],
    )


async def resolve(
    conn: asyncpg.Connection, consumer: str, source: str, action: str, reason: str, actor: str
) -> int | None:
    """Ask the runner to retry or skip the event it halted at; answers that event's sequence,
    or None when the consumer is not halted on that source."""
    seq: int | None = await conn.fetchval(
        "UPDATE consumer_tracking SET resolution=$3, resolution_reason=$4, resolution_actor=$5,"
        " updated_at=now() WHERE consumer=$1 AND source=$2 AND halted_seq IS NOT NULL"
        " RETURNING halted_seq",
        consumer,
        source,
        action,
        reason,
        actor,
    )
    return seq


async def pending_resolution(
    conn: asyncpg.Connection, consumer: str, source: str
) -> Resolution | None:
    row = await conn.fetchrow(
        "SELECT resolution, resolution_reason, resolution_actor FROM consumer_tracking"
        " WHERE consumer=$1 AND source=$2 AND resolution IS NOT NULL",
        consumer,
        source,
    )
    if row is None:
        return None
    return Resolution(row["resolution"], row["resolution_reason"] or "", row["resolution_actor"])


async def clear_halt(conn: asyncpg.Connection, consumer: str, source: str) -> None:
    await conn.execute(
        "UPDATE consumer_tracking SET halted_seq=NULL, error=NULL, resolution=NULL,"
        " resolution_reason=NULL, resolution_actor=NULL, updated_at=now()"
        " WHERE consumer=$1 AND source=$2",
        consumer,
        source,
    )


async def clear_halt_upto(
    conn: asyncpg.Connection, consumer: str, source: str, stream_seq: int
) -> None:
    await conn.execute(
        "UPDATE consumer_tracking SET halted_seq=NULL, error=NULL, resolution=NULL,"
        " resolution_reason=NULL, resolution_actor=NULL, updated_at=now()"
        " WHERE consumer=$1 AND source=$2 AND halted_seq <= $3",
        consumer,
        source,
        stream_seq,
    )


async def stored_version(conn: asyncpg.Connection, view: str) -> int | None:
    version: int | None = await conn.fetchval(
        "SELECT version FROM view_versions WHERE view=$1", view
    )
    return version


async def store_version(conn: asyncpg.Connection, view: str, version: int) -> None:
    await conn.execute(
        "INSERT INTO view_versions (view, version) VALUES ($1, $2)"
        " ON CONFLICT (view) DO UPDATE SET version = $2",
        view,
        version,
    )
