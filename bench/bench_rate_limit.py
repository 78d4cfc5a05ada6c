"""What counting a command against its rate costs: `ratelimit.take` (the one upsert each
command makes) vs a bare `SELECT 1` round trip on the same pool, same run."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg

from harness import run_main, servers, table, write_result
from pingan.api import ratelimit
from pingan.run.postgres import PgTarget, ensure_database

Call = Callable[[int], Awaitable[object]]


async def _timed(call: Call, clients: int, per_client: int) -> float:
    """Microseconds per call, `clients` loops at once."""

    async def loop(client: int) -> None:
        for i in range(per_client):
            await call(client * per_client + i)

    began = time.perf_counter()
    await asyncio.gather(*(loop(c) for c in range(clients)))
    return (time.perf_counter() - began) / (clients * per_client) * 1e6


async def bench(args: argparse.Namespace) -> str:
    async with servers() as settings:
        server = PgTarget.from_url(settings.database_url)
        await ensure_database(server, "bench_accounts")
        pool: asyncpg.Pool = await server.with_database("bench_accounts").create_pool(
            min_size=5, max_size=5
        )
        try:
            async with pool.acquire() as conn:
                await ratelimit.setup(conn)
            rate = ratelimit.Rate(per_minute=1e9, burst=1_000_000)
            users = args.users

            async def take(i: int) -> object:
                return await ratelimit.take(pool, [(f"commands:user{i % users}", rate)])

            async def select_one(_: int) -> object:
                return await pool.fetchval("SELECT 1")

            rows = []
            for clients in args.clients:
                per_client = max(1, args.calls // clients)
                await _timed(take, clients, max(1, per_client // 10))  # warm-up
                raw = await _timed(select_one, clients, per_client)
                counted = await _timed(take, clients, per_client)
                rows.append([clients, f"{raw:.0f}", f"{counted:.0f}", f"{counted - raw:+.0f}"])
        finally:
            await pool.close()
    result = {"users": args.users, "calls": args.calls, "rows": rows}
    path = write_result("rate_limit", result)
    headers = ["clients", "SELECT 1 us/call", "take us/call", "difference"]
    return table(headers, rows) + f"\n\nwritten to {path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=5000, help="calls per measurement")
    parser.add_argument("--users", type=int, default=50, help="distinct keys counted")
    parser.add_argument(
        "--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16]
    )
    run_main(bench, parser.parse_args())


if __name__ == "__main__":
    main()
