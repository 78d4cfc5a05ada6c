"""Rate limits on commands (per user) and on sign-in attempts (per login and per address).

The counters live in one UNLOGGED table of the accounts database, so every worker process of
every API counts against the same numbers; a crash of PostgreSQL only forgets them, which for a
rate limit is harmless. The `limits` library has no PostgreSQL storage, so this is the generic
cell rate algorithm (a token bucket kept as one timestamp per key): each request pushes the
key's theoretical arrival time on by 60/per_minute seconds, and it is refused when that time
would run more than `burst` requests ahead of now. Deciding is one upsert (one round trip),
whose row lock makes concurrent requests on one key count one after the other.

Counting fails open: if the accounts database cannot answer in time the request goes on (and
meets its own store's answer), since refusing every command for a counter would be worse.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from pingan.api.problems import Problem, problem_response
from pingan.auth.principal import Principal, Role
from pingan.auth.tokens import InvalidToken

if TYPE_CHECKING:
    from pingan.auth.runtime import AuthRuntime

log = logging.getLogger(__name__)

COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: How long one count may take before the request goes on uncounted.
COUNT_TIMEOUT_S = 0.5

DDL = """
CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits (
    key text PRIMARY KEY,
    tat double precision NOT NULL,
    emission double precision NOT NULL,
    tolerance double precision NOT NULL,
    allowed boolean NOT NULL
);
"""

# tat: theoretical arrival time (epoch seconds); emission: seconds per request; tolerance:
# how far tat may run ahead of now. Every SET expression reads the row as it was.
_TAKE = """
WITH asked AS (
    SELECT k.key, k.emission, k.tolerance, extract(epoch FROM now())::float8 AS now
    FROM unnest($1::text[], $2::float8[], $3::float8[]) AS k(key, emission, tolerance)
)
INSERT INTO rate_limits AS r (key, tat, emission, tolerance, allowed)
SELECT key, now + emission, emission, tolerance, emission <= tolerance
FROM asked ORDER BY key
ON CONFLICT (key) DO UPDATE SET
    allowed = greatest(r.tat, EXCLUDED.tat - EXCLUDED.emission) + EXCLUDED.emission
        <= EXCLUDED.tat - EXCLUDED.emission + EXCLUDED.tolerance,
    tat = CASE
        WHEN greatest(r.tat, EXCLUDED.tat - EXCLUDED.emission) + EXCLUDED.emission
            <= EXCLUDED.tat - EXCLUDED.emission + EXCLUDED.tolerance
        THEN greatest(r.tat, EXCLUDED.tat - EXCLUDED.emission) + EXCLUDED.emission
        ELSE r.tat
    END,
    emission = EXCLUDED.emission,
    tolerance = EXCLUDED.tolerance
RETURNING allowed, tat + emission - tolerance - extract(epoch FROM now())::float8
"""

# A key whose arrival time has passed counts as a fresh key: its row can go at any time.
_PURGE = "DELETE FROM rate_limits WHERE tat < extract(epoch FROM now())::float8"


async def setup(conn: asyncpg.Connection) -> None:
    await conn.execute(DDL)
    await conn.execute(_PURGE)


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: int

    @property
    def emission_s(self) -> float:
        return 60.0 / self.per_minute

    @property
    def tolerance_s(self) -> float:
        return self.burst * self.emission_s


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: float


async def take(pool: asyncpg.Pool, asked: Sequence[tuple[str, Rate]]) -> Decision:
    """Count one request against every key; refused if any key is over its rate."""
    rows = await pool.fetch(
        _TAKE,
        [key for key, _ in asked],
        [rate.emission_s for _, rate in asked],
        [rate.tolerance_s for _, rate in asked],
        timeout=COUNT_TIMEOUT_S,
    )
    waits = [wait for allowed, wait in rows if not allowed]
    return Decision(not waits, max(waits, default=0.0))


async def purge(pool: asyncpg.Pool) -> None:
    await pool.execute(_PURGE, timeout=COUNT_TIMEOUT_S * 10)


def too_many_requests(decision: Decision, what: str) -> Problem:
    seconds = max(1, math.ceil(decision.retry_after_s))
    return Problem(
        429,
        f"too-many-{what}",
        f"too many {what}; retry in {seconds} s",
        headers={"Retry-After": str(seconds)},
        params={"seconds": seconds},
        retry_after_s=seconds,
    )


async def count(auth: AuthRuntime, asked: Sequence[tuple[str, Rate]]) -> Decision:
    """`take`, failing open when the counters cannot be reached in time."""
    try:
        return await take(auth.store.pool, asked)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        log.warning("rate limits not counted: %r", exc)
        return Decision(True, 0.0)


def command_rate(auth: AuthRuntime, principal: Principal) -> Rate:
    s = auth.settings
    if principal.role is Role.SERVICE:
        return Rate(s.rate_service_per_minute, s.rate_service_burst)
    return Rate(s.rate_commands_per_minute, s.rate_commands_burst)


async def limit_sign_in(auth: AuthRuntime, login: str, address: str | None) -> None:
    """Count a sign-in attempt for its login name and its client address."""
    s = auth.settings
    asked = [(f"sign-in:login:{login}", Rate(s.rate_sign_in_per_minute, s.rate_sign_in_burst))]
    if address:
        rate = Rate(s.rate_sign_in_address_per_minute, s.rate_sign_in_address_burst)
        asked.append((f"sign-in:address:{address}", rate))
    decision = await count(auth, asked)
    if not decision.allowed:
        raise too_many_requests(decision, "sign-in-attempts")


def _bearer(scope: Scope) -> str | None:
    scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class CommandRateMiddleware:
    """Counts every command of a signed-in caller against the caller's rate. A request with no
    valid token passes uncounted: the auth guard refuses it without doing any work."""

    #: Commands counted by one process between two purges of recovered keys.
    PURGE_EVERY = 10_000

    def __init__(self, app: ASGIApp, auth: AuthRuntime) -> None:
        self.app = app
        self.auth = auth
        self._counted = 0
        self._purging: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in COMMAND_METHODS:
            principal = self._principal(scope)
            if principal is not None:
                rate = command_rate(self.auth, principal)
                decision = await count(self.auth, [(f"commands:{principal.subject}", rate)])
                self._maybe_purge()
                if not decision.allowed:
                    problem = too_many_requests(decision, "commands")
                    await problem_response(Request(scope), problem)(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    def _principal(self, scope: Scope) -> Principal | None:
        token = _bearer(scope)
        if token is None:
            return None
        try:
            return self.auth.verify(token).principal
        except InvalidToken:
            return None

    def _maybe_purge(self) -> None:
        self._counted += 1
        if self._counted % self.PURGE_EVERY:
            return
        task = asyncio.create_task(self._purge())
        self._purging.add(task)
        task.add_done_callback(self._purging.discard)

    async def _purge(self) -> None:
        try:
            await purge(self.auth.store.pool)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("recovered rate limit keys not purged: %r", exc)
