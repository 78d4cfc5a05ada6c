"""Read-your-writes across services: a major case registered in campaigns, then at once
`GET /api/scoring/units/{id}?after=<its token>`, against a raw poll of scoring's register view
for the unit's revocation, in the same run.

Each pair is one case naming one named school. While the token read waits, a poller on a
connection of its own runs the view's own query every couple of milliseconds until it shows
the title revoked: that is when the answer first became readable. The ratio says how much
later than that the reader got it (1.0: no cost beyond the pipeline's own lag: relay,
reaction, relay, projection). A read that answers anything but revoked is stale.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
import httpx

from campaigns.application import CampaignsApplication
from harness import percentile, run_main, servers, service_token, table, wait_until, write_result
from pingan.api.app import create_root_app
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime
from pingan.service import get_service
from pingan.write.metadata import EventMetadata
from scoring.application import ScoringApplication
from scoring.domain.kinds import UnitKind
from scoring.projections import register

POLL_S = 0.002
TODAY = date(2026, 6, 20)
META = EventMetadata.new("bench")
TOWN = "玉泉镇"
LIANTING = "莲亭居民委员会"
CASE: dict[str, Any] = {
    "kind": "theft",
    "township": TOWN,
    "village": "莲亭村",
    "place": "莲亭小学门口",
    "happened_at": "2026-06-18T21:00:00+08:00",
    "registered_on": "2026-06-19",
    "registered_by": "玉泉派出所",
    "deaths": 1,
}


def named_schools(app: ScoringApplication, count: int) -> list[UUID]:
    def reg(kind: UnitKind, name: str, **kw: Any) -> UUID:
        fields: dict[str, Any] = {"township": TOWN, "village": None, **kw}
        return app.register_unit(
            kind=kind,
            name=name,
            address="-",
            registered_by="综治办",
            metadata=META,
            today=TODAY,
            registered_on=date(2025, 1, 5),
            **fields,
        ).id

    reg(UnitKind.DISTRICT, "秦州区", township=None)
    reg(UnitKind.TOWNSHIP, TOWN)
    reg(UnitKind.COMMUNITY, "莲亭社区", village=LIANTING)
    full = {c.code: c.max_points for c in app.standards.current("school").criteria}
    schools = []
    for number in range(count):
        unit_id = reg(UnitKind.SCHOOL, f"莲亭第{number + 1}小学", village=LIANTING)
        app.apply_for_title(
            unit_id,
            standard="school",
            level=1,
            applied_on=date(2025, 5, 1),
            metadata=META,
            today=TODAY,
        )
        app.assess_unit(
            unit_id,
            assessed_on=date(2025, 5, 10),
            scores=full,
            deductions={},
            vetoes=[],
            survey=(100, 99, 99),
            assessors=["考评组"],
            metadata=META,
            today=TODAY,
        )
        app.publicise_result(unit_id, starts_on=date(2025, 5, 11), metadata=META, today=TODAY)
        app.confer_title(unit_id, named_on=date(2025, 6, 1), metadata=META, today=TODAY)
        schools.append(unit_id)
    return schools


async def revoked_seen(conn: asyncpg.Connection, unit_id: UUID) -> float:
    """The raw baseline: when the view's own query first shows the title revoked."""
    while True:
        shown = await register.get_unit(conn, unit_id, TODAY)
        if shown is not None and shown.status == "revoked":
            return time.perf_counter()
        await asyncio.sleep(POLL_S)


async def pair(
    to_campaigns: httpx.AsyncClient,
    to_scoring: httpx.AsyncClient,
    conn: asyncpg.Connection,
    unit_id: UUID,
) -> tuple[float, float, bool]:
    created = await to_campaigns.post(
        "/api/campaigns/cases", json={**CASE, "unit_id": str(unit_id)}
    )
    answered = time.perf_counter()
    created.raise_for_status()
    polling = asyncio.create_task(revoked_seen(conn, unit_id))
    read = await to_scoring.get(
        f"/api/scoring/units/{unit_id}", params={"after": created.json()["after"], "wait": 30}
    )
    read_s = time.perf_counter() - answered
    fresh = read.status_code == 200 and read.json()["status"] == "revoked"
    seen_s = await asyncio.wait_for(polling, 30) - answered
    return read_s, max(POLL_S, seen_s), fresh


async def bench(args: argparse.Namespace) -> str:
    async with servers() as base:
        settings = base.model_copy(update={"consistency_timeout_s": 30})
        campaigns: ServiceRuntime[CampaignsApplication] = ServiceRuntime(
            get_service("campaigns"), settings
        )
        scoring: ServiceRuntime[ScoringApplication] = ServiceRuntime(
            get_service("scoring"), settings
        )
        auth = AuthRuntime(settings)
        for started in (campaigns, scoring, auth):
            await started.start()
        stop = asyncio.Event()
        try:
            schools = await asyncio.to_thread(named_schools, scoring.application, args.pairs)
            workers = [campaigns.relay().run(stop), scoring.relay().run(stop)]
            workers += [r.run(stop) for r in scoring.runners() + scoring.reactors()]
            tasks = [asyncio.create_task(w) for w in workers]
            conn = await scoring.db.connect()
            headers = {"Authorization": f"Bearer {service_token(settings)}"}

            def client(runtime: ServiceRuntime[Any]) -> httpx.AsyncClient:
                app = create_root_app([runtime], auth, start_runtimes=False)
                transport = httpx.ASGITransport(app=app)
                return httpx.AsyncClient(
                    transport=transport, base_url="http://bench", headers=headers, timeout=60
                )

            async def all_named() -> bool:
                shown = await register.get_unit(conn, schools[-1], TODAY)
                return shown is not None and shown.status == "named"

            try:
                await wait_until(all_named, 300, "the schools named in the register")
                async with client(campaigns) as to_campaigns, client(scoring) as to_scoring:
                    began = time.perf_counter()
                    samples = [
                        await pair(to_campaigns, to_scoring, conn, unit_id) for unit_id in schools
                    ]
                    elapsed = time.perf_counter() - began
            finally:
                stop.set()
                await asyncio.gather(*tasks)
                await conn.close()
        finally:
            for started in (auth, scoring, campaigns):
                await started.stop()
    reads = [s[0] for s in samples]
    seen = [s[1] for s in samples]
    stale = sum(1 for s in samples if not s[2])
    figures = {
        "pairs": len(samples),
        "pairs_per_s": round(len(samples) / elapsed, 1),
        "stale_reads": stale,
        "read_p50_ms": round(percentile(reads, 50) * 1000, 1),
        "read_p99_ms": round(percentile(reads, 99) * 1000, 1),
        "raw_poll_p50_ms": round(percentile(seen, 50) * 1000, 1),
        "raw_poll_p99_ms": round(percentile(seen, 99) * 1000, 1),
        "ratio_p50": round(percentile(reads, 50) / percentile(seen, 50), 2),
        "ratio_p99": round(percentile(reads, 99) / percentile(seen, 99), 2),
    }
    path = write_result("cross_service_reads", {"poll_s": POLL_S, **figures})
    rows = [
        ("after= read", figures["read_p50_ms"], figures["read_p99_ms"]),
        ("raw poll of the view", figures["raw_poll_p50_ms"], figures["raw_poll_p99_ms"]),
        ("ratio", figures["ratio_p50"], figures["ratio_p99"]),
    ]
    return (
        table(("from the case's answer", "p50 ms", "p99 ms"), rows)
        + f"\n{figures['pairs']} pairs at {figures['pairs_per_s']}/s, "
        f"stale reads {stale}  ({path})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=1000, help="cases, each then read")
    args = parser.parse_args()
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    run_main(bench, args)


if __name__ == "__main__":
    main()
