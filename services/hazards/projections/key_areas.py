"""The key areas: one row per area with its plan, its latest review and its status; its
table, its handlers and the queries run on it.

Progress per area is a query joining this view with the hazard register: an area counts the
hazards of its villages (the register's township and village, from the hazards' own events),
whether or not their reporters linked them to the area, and any linked to it. Designation,
plan and delisting keep their business dates (`*_on`) beside their recording times (`*_at`).

**Cases (案件易发区).** The view has a second source, the CAMPAIGNS stream: the criminal and
public-order cases registered in each township's villages, counted by month of registration
(`key_area_case_months`), withdrawn cases (撤案) taken out and reclassified ones moved to their
new category. An area's progress shows them month by month from twelve months before its
designation to this month, so that a delisting (摘帽) can rest on the cases, not only on the
review's finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.consumed.campaigns import CaseReclassified, CaseRegistered, CaseWithdrawn
from hazards.contracts.key_area import (
    KeyAreaDelistedV1,
    KeyAreaDesignatedV1,
    KeyAreaRectificationPlannedV1,
    KeyAreaReviewedV1,
)
from hazards.domain.key_area import KeyAreaKind, KeyAreaStatus
from hazards.domain.status_rules import OPEN, WITH_DEADLINE
from hazards.domain.vocabulary import HazardStatus
from hazards.projections.business_dates import DatedView
from hazards.projections.register.queries import open_sql, overdue_sql, states
from pingan.api.times import OfficeDateTime
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import handles, update_row

KEY_AREAS_DDL = """
CREATE TABLE IF NOT EXISTS key_areas (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    villages text[] NOT NULL,
    description text NOT NULL DEFAULT '',
    designated_by text NOT NULL,
    status text NOT NULL,
    measures text,
    responsible_unit text,
    deadline date,
    combined_with text,
    plans int NOT NULL DEFAULT 0,
    reviews int NOT NULL DEFAULT 0,
    last_reviewer text,
    last_reviewed_on date,
    last_findings text,
    public_order_improved boolean,
    delisted_by text,
    delisting_reason text,
    delisting_override text,
    designated_on date NOT NULL,
    designated_at timestamptz NOT NULL,
    planned_on date,
    planned_at timestamptz,
    delisted_on date,
    delisted_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS key_areas_township ON key_areas (township, name);
CREATE TABLE IF NOT EXISTS key_area_cases (
    id uuid PRIMARY KEY,
    township text NOT NULL,
    village text NOT NULL,
    category text NOT NULL,
    month date NOT NULL,
    withdrawn boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS key_area_case_months (
    month date NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    category text NOT NULL,
    n int NOT NULL,
    PRIMARY KEY (township, village, month, category)
);
"""

_COUNT_CASE = """
INSERT INTO key_area_case_months AS m (month, township, village, category, n)
SELECT month, township, village, category, $2 FROM key_area_cases
WHERE id = $1 AND NOT withdrawn
ON CONFLICT (township, village, month, category) DO UPDATE SET n = m.n + EXCLUDED.n
"""


async def update(
    conn: ViewWriter,
    key_area_id: UUID,
    env: Envelope,
    *,
    add: Mapping[str, int] | None = None,
    **columns: Any,
) -> None:
    await update_row(conn, "key_areas", key_area_id, env, add=add, **columns)


class KeyAreas(DatedView):
    """Every key area with its current state."""

    name = "key_areas"
    sources = ("HAZARDS", "CAMPAIGNS")
    version = 4
    tables = ("key_areas", "key_area_cases", "key_area_case_months")

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(KEY_AREAS_DDL)

    @handles(KeyAreaDesignatedV1)
    async def designated(
        self, conn: asyncpg.Connection, e: KeyAreaDesignatedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "INSERT INTO key_areas (id, name, kind, township, village, villages, description,"
            " designated_by, status, designated_on, designated_at, updated_at, position)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'designated',$9,$10,$10,$11)",
            e.key_area_id,
            e.name,
            e.kind.value,
            e.township,
            e.village,
            e.villages or [e.village],
            e.description,
            e.designated_by,
            self.day(e),
            e.occurred_at,
            env.position,
        )

    @handles(KeyAreaRectificationPlannedV1)
    async def planned(
        self, conn: asyncpg.Connection, e: KeyAreaRectificationPlannedV1, env: Envelope
    ) -> None:
        await conn.execute("UPDATE key_areas SET plans = plans + 1 WHERE id = $1", e.key_area_id)
        await update(
            conn,
            e.key_area_id,
            env,
            status="under_rectification",
            measures=e.measures,
            responsible_unit=e.responsible_unit,
            deadline=e.deadline,
            combined_with=e.combined_with,
            planned_on=self.day(e),
            planned_at=e.occurred_at,
        )

    @handles(KeyAreaReviewedV1)
    async def reviewed(self, conn: asyncpg.Connection, e: KeyAreaReviewedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE key_areas SET reviews = reviews + 1 WHERE id = $1", e.key_area_id
        )
        await update(
            conn,
            e.key_area_id,
            env,
            status="reviewed",
            last_reviewer=e.reviewer,
            last_reviewed_on=e.reviewed_on,
            last_findings=e.findings,
            public_order_improved=e.public_order_improved,
        )

    @handles(KeyAreaDelistedV1)
    async def delisted(self, conn: asyncpg.Connection, e: KeyAreaDelistedV1, env: Envelope) -> None:
        await update(
            conn,
            e.key_area_id,
            env,
            status="delisted",
            delisted_by=e.delisted_by,
            delisting_reason=e.reason,
            delisting_override=e.override_reason,
            delisted_on=self.day(e),
            delisted_at=e.occurred_at,
        )

    @handles(CaseRegistered)
    async def case_registered(
        self, conn: asyncpg.Connection, e: CaseRegistered, env: Envelope
    ) -> None:
        await conn.execute(
            "INSERT INTO key_area_cases (id, township, village, category, month)"
            " VALUES ($1, $2, $3, $4, $5)",
            e.case_id,
            e.township,
            e.village,
            e.category,
            e.registered_on.replace(day=1),
        )
        await conn.execute(_COUNT_CASE, e.case_id, 1)

    @handles(CaseReclassified)
    async def case_reclassified(
        self, conn: asyncpg.Connection, e: CaseReclassified, env: Envelope
    ) -> None:
        await conn.execute(_COUNT_CASE, e.case_id, -1)
        await conn.execute(
            "UPDATE key_area_cases SET category = $2 WHERE id = $1", e.case_id, e.category
        )
        await conn.execute(_COUNT_CASE, e.case_id, 1)

    @handles(CaseWithdrawn)
    async def case_withdrawn(
        self, conn: asyncpg.Connection, e: CaseWithdrawn, env: Envelope
    ) -> None:
        await conn.execute(_COUNT_CASE, e.case_id, -1)
        await conn.execute("UPDATE key_area_cases SET withdrawn = true WHERE id = $1", e.case_id)


class KeyAreaView(BaseModel):
    id: UUID
    name: str
    kind: KeyAreaKind
    township: str
    village: str
    villages: list[str] = Field(description="Every village or community it covers")
    description: str
    designated_by: str
    status: KeyAreaStatus
    measures: str | None
    responsible_unit: str | None
    deadline: date | None
    combined_with: str | None
    plans: int
    reviews: int
    last_reviewer: str | None
    last_reviewed_on: date | None
    last_findings: str | None
    public_order_improved: bool | None = Field(description="As the latest review found it")
    delisted_by: str | None
    delisting_reason: str | None
    delisting_override: str | None = Field(
        description="Why it was delisted with hazards still open in it, if it was"
    )
    designated_on: date = Field(description="业务日期: the day the area was designated")
    designated_at: OfficeDateTime = Field(description="When the designation was recorded")
    planned_on: date | None = Field(description="业务日期: the day of the latest plan")
    planned_at: OfficeDateTime | None = Field(description="When the latest plan was recorded")
    delisted_on: date | None = Field(description="业务日期: the day the area was delisted (摘帽)")
    delisted_at: OfficeDateTime | None = Field(description="When the delisting was recorded")
    position: int


class CaseMonth(BaseModel):
    month: str = Field(description="YYYY-MM, the month of registration (立案/受理)")
    criminal: int = Field(description="刑事案件 registered")
    public_order: int = Field(description="治安案件 accepted")


class KeyAreaProgress(BaseModel):
    id: UUID
    name: str
    kind: KeyAreaKind
    township: str
    village: str
    villages: list[str]
    status: KeyAreaStatus
    deadline: date | None
    hazards_found: int = Field(
        description="Hazards reported in its villages or linked to it, rejected ones aside"
    )
    hazards_closed: int = Field(description="Of those, closed (销号)")
    open_hazards: int = Field(description="Neither closed, verified nor rejected")
    overdue_hazards: int = Field(description="Open past their deadline")
    designated_on: date = Field(description="业务日期: the day the area was designated")
    cases: list[CaseMonth] = Field(
        description="Cases registered in its villages per month, from twelve months before "
        "its designation to this month (撤案 left out)"
    )


@dataclass(frozen=True)
class KeyAreaFilter:
    township: str | None = None
    kind: KeyAreaKind | None = None
    status: KeyAreaStatus | None = None

    @property
    def args(self) -> list[Any]:
        return [self.township, self.kind, self.status]


#: $1 township, $2 kind, $3 status, each ignored when NULL.
WHERE = """
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR kind = $2)
  AND ($3::text IS NULL OR status = $3)
"""

PROGRESS = f"""
SELECT k.id, k.name, k.kind, k.township, k.village, k.villages, k.status, k.deadline,
    k.designated_on,
    count(h.id) FILTER (WHERE h.status <> $6) AS hazards_found,
    count(h.id) FILTER (WHERE h.status = $7) AS hazards_closed,
    count(h.id) FILTER (WHERE {open_sql("$8", "h")}) AS open_hazards,
    count(h.id) FILTER (WHERE {overdue_sql("$4", "$5", "h")}) AS overdue_hazards
FROM (SELECT * FROM key_areas {WHERE}) AS k
LEFT JOIN hazard_register h
    ON h.key_area_id = k.id OR (h.township = k.township AND h.village = ANY (k.villages))
GROUP BY k.id, k.name, k.kind, k.township, k.village, k.villages, k.status, k.deadline,
    k.designated_on
ORDER BY k.township, k.name, k.id
"""  # noqa: S608


async def get_key_area(conn: asyncpg.Connection, key_area_id: UUID) -> KeyAreaView | None:
    row = await conn.fetchrow("SELECT * FROM key_areas WHERE id = $1", key_area_id)
    return None if row is None else KeyAreaView.model_validate(dict(row))


async def list_key_areas(
    conn: asyncpg.Connection, flt: KeyAreaFilter, limit: int, offset: int
) -> tuple[list[KeyAreaView], int]:
    """By township, then name."""
    total = await conn.fetchval(f"SELECT count(*) FROM key_areas {WHERE}", *flt.args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM key_areas {WHERE} ORDER BY township, name, id LIMIT $4 OFFSET $5",  # noqa: S608
        *flt.args,
        limit,
        offset,
    )
    return [KeyAreaView.model_validate(dict(r)) for r in rows], int(total)


async def key_area_progress(
    conn: asyncpg.Connection, flt: KeyAreaFilter, today: date
) -> list[KeyAreaProgress]:
    """Per key area: its status and the hazards found, closed, open and overdue in it, from
    the hazard register."""
    rows = await conn.fetch(
        PROGRESS,
        *flt.args,
        today,
        states(WITH_DEADLINE),
        HazardStatus.REJECTED.value,
        HazardStatus.CLOSED.value,
        states(OPEN),
    )
    months = await _case_months(conn, [r["id"] for r in rows], today)
    return [
        KeyAreaProgress.model_validate(
            {**dict(r), "cases": case_series(r["designated_on"], today, months.get(r["id"], {}))}
        )
        for r in rows
    ]


#: The months before its designation an area's case series starts.
MONTHS_BEFORE = 12

CASE_MONTHS = """
SELECT k.id, c.month, c.category, sum(c.n)::int AS n
FROM key_areas k
JOIN key_area_case_months c ON c.township = k.township AND c.village = ANY (k.villages)
WHERE k.id = ANY ($1::uuid[]) AND c.month <= $2
  AND c.month >= date_trunc('month', k.designated_on) - make_interval(months => $3)
GROUP BY k.id, c.month, c.category
"""


async def _case_months(
    conn: asyncpg.Connection, ids: list[UUID], today: date
) -> dict[UUID, dict[tuple[date, str], int]]:
    found: dict[UUID, dict[tuple[date, str], int]] = {}
    for r in await conn.fetch(CASE_MONTHS, ids, today, MONTHS_BEFORE):
        found.setdefault(r["id"], {})[(r["month"], r["category"])] = r["n"]
    return found


def case_series(
    designated_on: date, today: date, counts: Mapping[tuple[date, str], int]
) -> list[CaseMonth]:
    """Every month from MONTHS_BEFORE before the designation to today's, zeros included."""
    index = designated_on.year * 12 + designated_on.month - 1 - MONTHS_BEFORE
    end = today.year * 12 + today.month - 1
    series = []
    while index <= end:
        month = date(index // 12, index % 12 + 1, 1)
        series.append(
            CaseMonth(
                month=month.strftime("%Y-%m"),
                criminal=counts.get((month, "criminal"), 0),
                public_order=counts.get((month, "public_order"), 0),
            )
        )
        index += 1
    return series
