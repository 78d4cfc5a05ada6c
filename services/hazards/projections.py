"""The hazards read views, built from the HAZARDS stream."""

from __future__ import annotations

import asyncpg

from hazards.contracts import HazardFiledV1, HazardReportedV1
from pingan.envelope import Envelope
from pingan.projection import Projection, handles

REGISTER_DDL = """
CREATE TABLE IF NOT EXISTS hazard_register (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    category text NOT NULL,
    grade text,
    file_number text,
    status text NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    address text NOT NULL,
    reporter text NOT NULL,
    reported_at timestamptz NOT NULL,
    filed_at timestamptz,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS hazard_register_status ON hazard_register (status);
CREATE INDEX IF NOT EXISTS hazard_register_township ON hazard_register (township);
"""


class HazardRegister(Projection):
    """The hazard register: one row per hazard with its current state."""

    name = "hazard_register"
    source = "HAZARDS"

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(REGISTER_DDL)

    async def clear(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE hazard_register")

    @handles(HazardReportedV1)
    async def reported(self, conn: asyncpg.Connection, e: HazardReportedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO hazard_register (id, title, category, status, township, village, address,"
            " reporter, reported_at, position) VALUES ($1,$2,$3,'reported',$4,$5,$6,$7,$8,$9)",
            e.hazard_id,
            e.title,
            e.category.value,
            e.township,
            e.village,
            e.address,
            e.reporter,
            e.reported_at,
            env.position,
        )

    @handles(HazardFiledV1)
    async def filed(self, conn: asyncpg.Connection, e: HazardFiledV1, env: Envelope) -> None:
        updated = await conn.execute(
            "UPDATE hazard_register SET category=$2, grade=$3, file_number=$4, status='filed',"
            " filed_at=$5, position=$6 WHERE id=$1",
            e.hazard_id,
            e.category.value,
            e.grade.value,
            e.file_number,
            e.filed_at,
            env.position,
        )
        if updated != "UPDATE 1":
            raise LookupError(f"hazard {e.hazard_id} is not in the register")
