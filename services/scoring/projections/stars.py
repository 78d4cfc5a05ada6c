"""The families' stars (平安家庭星级): every family unit with the stars of its latest rating
cycle, and the log of awards and withdrawals; their tables, handlers and queries.

A cycle is a calendar year (年度评星): read in a later year, a family's stars have lapsed
until they are awarded again, and its tier counts none of them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row
from scoring.contracts.stars import StarAwardedV1, StarCycleOpenedV1, StarWithdrawnV1
from scoring.contracts.unit import UnitRegisteredV1
from scoring.domain.kinds import UnitKind
from scoring.domain.stars import STAR_LABELS, Star, tier

DDL = """
CREATE TABLE IF NOT EXISTS family_stars (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    township text NOT NULL,
    village text,
    cycle int,
    stars text[] NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS family_stars_place ON family_stars (township, village);
CREATE TABLE IF NOT EXISTS family_star_log (
    family_id uuid NOT NULL,
    position bigint NOT NULL,
    cycle int NOT NULL,
    star text NOT NULL,
    change text NOT NULL,
    reason text NOT NULL,
    changed_on date NOT NULL,
    PRIMARY KEY (family_id, position)
);
"""


class FamilyStars(Projection):
    name = "family_stars"
    sources = ("SCORING",)
    version = 1
    tables = ("family_stars", "family_star_log")

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(DDL)

    @handles(UnitRegisteredV1)
    async def registered(self, conn: ViewWriter, e: UnitRegisteredV1, env: Envelope) -> None:
        if e.kind != UnitKind.FAMILY.value:
            return
        await conn.insert(
            "family_stars",
            {
                "id": e.unit_id,
                "name": e.name,
                "township": e.township,
                "village": e.village,
                "cycle": None,
                "stars": [],
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(StarCycleOpenedV1)
    async def cycle_opened(self, conn: ViewWriter, e: StarCycleOpenedV1, env: Envelope) -> None:
        await update_row(conn, "family_stars", e.family_id, env, cycle=e.year, stars=[])

    @handles(StarAwardedV1)
    async def awarded(self, conn: ViewWriter, e: StarAwardedV1, env: Envelope) -> None:
        await update_row(conn, "family_stars", e.family_id, env, cycle=e.cycle, stars=e.stars)
        await self._log(conn, e.family_id, env, e.cycle, e.star, "awarded", e.reason, e.awarded_on)

    @handles(StarWithdrawnV1)
    async def withdrawn(self, conn: ViewWriter, e: StarWithdrawnV1, env: Envelope) -> None:
        await update_row(conn, "family_stars", e.family_id, env, cycle=e.cycle, stars=e.stars)
        await self._log(
            conn, e.family_id, env, e.cycle, e.star, "withdrawn", e.reason, e.withdrawn_on
        )

    @staticmethod
    async def _log(
        conn: ViewWriter,
        family_id: UUID,
        env: Envelope,
        cycle: int,
        star: str,
        change: str,
        reason: str,
        on: date,
    ) -> None:
        await conn.insert(
            "family_star_log",
            {
                "family_id": family_id,
                "position": env.position,
                "cycle": cycle,
                "star": star,
                "change": change,
                "reason": reason,
                "changed_on": on,
            },
            key="position",
        )


class StarChange(BaseModel):
    star: str
    label: str = Field(description="法纪星, 团结星, …")
    change: str = Field(description="awarded or withdrawn")
    reason: str
    changed_on: date
    cycle: int


class FamilyView(BaseModel):
    id: UUID
    name: str
    township: str
    village: str | None
    year: int = Field(description="The rating year shown (年度评星)")
    cycle: int | None = Field(description="The family's latest rating cycle")
    stars: list[str] = Field(description="The stars held in `year`")
    lapsed: list[str] = Field(description="Stars of an earlier cycle, to be awarded again")
    tier: int = Field(description="The number of stars held, 0 to 10")
    tier_label: str = Field(description="十星级平安家庭 … 一星级平安家庭, 未评星")
    position: int


class FamilyStarsView(FamilyView):
    changes: list[StarChange] = Field(description="The awards and withdrawals, latest first")


def _family(row: asyncpg.Record, year: int) -> FamilyView:
    data: dict[str, Any] = dict(row)
    data.pop("updated_at")
    current = data["cycle"] == year
    stars = list(data.pop("stars"))
    held = stars if current else []
    return FamilyView(
        **data,
        year=year,
        stars=held,
        lapsed=[] if current else stars,
        tier=len(held),
        tier_label=tier(len(held)).zh,
    )


async def get_family(conn: asyncpg.Connection, family_id: UUID, year: int) -> FamilyView | None:
    row = await conn.fetchrow("SELECT * FROM family_stars WHERE id = $1", family_id)
    return None if row is None else _family(row, year)


async def get_family_stars(
    conn: asyncpg.Connection, family_id: UUID, year: int
) -> FamilyStarsView | None:
    found = await get_family(conn, family_id, year)
    if found is None:
        return None
    rows = await conn.fetch(
        "SELECT * FROM family_star_log WHERE family_id = $1 ORDER BY position DESC", family_id
    )
    changes = [
        StarChange(
            star=r["star"],
            label=STAR_LABELS[Star(r["star"])].zh,
            change=r["change"],
            reason=r["reason"],
            changed_on=r["changed_on"],
            cycle=r["cycle"],
        )
        for r in rows
    ]
    return FamilyStarsView(**found.model_dump(), changes=changes)


async def list_families(
    conn: asyncpg.Connection,
    *,
    year: int,
    township: str | None,
    tier: int | None,
    limit: int,
    offset: int,
) -> tuple[list[FamilyView], int]:
    """The most stars first, then by place and name."""
    held = "(CASE WHEN cycle = $1 THEN cardinality(stars) ELSE 0 END)"
    where = f"WHERE ($2::text IS NULL OR township = $2) AND ($3::int IS NULL OR {held} = $3)"
    args = (year, township, tier)
    total = await conn.fetchval(f"SELECT count(*) FROM family_stars {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM family_stars {where}"  # noqa: S608
        f" ORDER BY {held} DESC, township, village NULLS FIRST, name, id LIMIT $4 OFFSET $5",
        *args,
        limit,
        offset,
    )
    return [_family(r, year) for r in rows], int(total)
