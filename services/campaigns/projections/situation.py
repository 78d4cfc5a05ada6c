"""The situation view (治安形势): monthly case counts by township × case kind, registered and
solved, counted in the month of registration (the business date of 立案/受理); from the
CAMPAIGNS stream.

**Pre-aggregated.** `situation_registered` holds, per month of registration, township, kind
and whether the case is a 命案, how many cases were registered; `situation_solved` how many of
them were solved, by the month of solving as well. A month's analysis and a quarter's report
sum those rows and never read a case row. Each case's own key is kept (`situation_cases`), read
only by the handlers, so that a withdrawal (撤案) takes the case out of its month and a
reclassification moves it to its new kind (and category: 治转刑) in the same month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from campaigns.contracts.case import (
    CaseReclassifiedV1,
    CaseRegisteredV1,
    CaseSolvedV1,
    CaseWithdrawnV1,
)
from campaigns.domain.kinds import CaseCategory
from campaigns.domain.warning_rule import DISTRICT
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles

SITUATION_DDL = """
CREATE TABLE IF NOT EXISTS situation_cases (
    id uuid PRIMARY KEY,
    township text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    homicide boolean NOT NULL,
    registered_month date NOT NULL,
    solved_month date,
    withdrawn boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS situation_kinds (
    kind text PRIMARY KEY,
    kind_name text NOT NULL,
    category text NOT NULL
);
CREATE TABLE IF NOT EXISTS situation_registered (
    month date NOT NULL,
    township text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    homicide boolean NOT NULL,
    n int NOT NULL,
    PRIMARY KEY (month, township, kind, category, homicide)
);
CREATE TABLE IF NOT EXISTS situation_solved (
    solved_month date NOT NULL,
    registered_month date NOT NULL,
    township text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    homicide boolean NOT NULL,
    n int NOT NULL,
    PRIMARY KEY (solved_month, registered_month, township, kind, category, homicide)
);
"""

_REGISTER = """
INSERT INTO situation_registered AS r (month, township, kind, category, homicide, n)
SELECT registered_month, township, kind, category, homicide, $2
FROM situation_cases WHERE id = $1 AND NOT withdrawn
ON CONFLICT (month, township, kind, category, homicide) DO UPDATE SET n = r.n + EXCLUDED.n
"""
_SOLVE = """
INSERT INTO situation_solved AS s
    (solved_month, registered_month, township, kind, category, homicide, n)
SELECT solved_month, registered_month, township, kind, category, homicide, $2
FROM situation_cases WHERE id = $1 AND NOT withdrawn AND solved_month IS NOT NULL
ON CONFLICT (solved_month, registered_month, township, kind, category, homicide)
DO UPDATE SET n = s.n + EXCLUDED.n
"""


def month_of(day: date) -> date:
    return day.replace(day=1)


async def _contribute(conn: ViewWriter, case_id: UUID, sign: int) -> None:
    """Add (1) or take back (-1) what the case counts for, under its current key."""
    await conn.execute(_REGISTER, case_id, sign)
    await conn.execute(_SOLVE, case_id, sign)


async def _kind(conn: ViewWriter, kind: str, name: str, category: CaseCategory) -> None:
    await conn.execute(
        "INSERT INTO situation_kinds (kind, kind_name, category) VALUES ($1, $2, $3)"
        " ON CONFLICT (kind) DO UPDATE SET kind_name = EXCLUDED.kind_name,"
        " category = EXCLUDED.category",
        kind,
        name,
        category.value,
    )


class SituationView(Projection):
    """Monthly counts by township, case kind and 命案, for the analysis and the reports."""

    name = "situation"
    sources = ("CAMPAIGNS",)
    version = 1
    tables = ("situation_cases", "situation_kinds", "situation_registered", "situation_solved")

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(SITUATION_DDL)

    @handles(CaseRegisteredV1)
    async def registered(self, conn: ViewWriter, e: CaseRegisteredV1, env: Envelope) -> None:
        await _kind(conn, e.kind, e.kind_name, e.category)
        await conn.execute(
            "INSERT INTO situation_cases (id, township, kind, category, homicide,"
            " registered_month) VALUES ($1, $2, $3, $4, $5, $6)",
            e.case_id,
            e.township,
            e.kind,
            e.category.value,
            e.homicide,
            month_of(e.registered_on),
        )
        await conn.execute(_REGISTER, e.case_id, 1)

    @handles(CaseReclassifiedV1)
    async def reclassified(self, conn: ViewWriter, e: CaseReclassifiedV1, env: Envelope) -> None:
        await _kind(conn, e.kind, e.kind_name, e.category)
        await _contribute(conn, e.case_id, -1)
        await conn.execute(
            "UPDATE situation_cases SET kind = $2, category = $3, homicide = $4 WHERE id = $1",
            e.case_id,
            e.kind,
            e.category.value,
            e.homicide,
        )
        await _contribute(conn, e.case_id, 1)

    @handles(CaseWithdrawnV1)
    async def withdrawn(self, conn: ViewWriter, e: CaseWithdrawnV1, env: Envelope) -> None:
        await _contribute(conn, e.case_id, -1)
        await conn.execute("UPDATE situation_cases SET withdrawn = true WHERE id = $1", e.case_id)

    @handles(CaseSolvedV1)
    async def solved(self, conn: ViewWriter, e: CaseSolvedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE situation_cases SET solved_month = $2 WHERE id = $1",
            e.case_id,
            month_of(e.solved_on),
        )
        await conn.execute(_SOLVE, e.case_id, 1)


# ---- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """One aggregate row: registered in `month` (solved: of those registered in it, or solved
    in it, as the query says)."""

    month: date
    township: str
    kind: str
    category: CaseCategory
    homicide: bool
    n: int


class KindName(BaseModel):
    kind: str
    kind_name: str
    category: CaseCategory = Field(description="criminal (刑事) or public_order (治安)")


async def kind_names(conn: asyncpg.Connection) -> dict[str, KindName]:
    rows = await conn.fetch("SELECT kind, kind_name, category FROM situation_kinds")
    return {r["kind"]: KindName.model_validate(dict(r)) for r in rows}


def _counts(rows: Iterable[asyncpg.Record]) -> list[Count]:
    return [
        Count(
            month=r["month"],
            township=r["township"],
            kind=r["kind"],
            category=CaseCategory(r["category"]),
            homicide=r["homicide"],
            n=int(r["n"]),
        )
        for r in rows
        if r["n"]
    ]


#: $1 the months, $2 township, $3 kind, each filter ignored when NULL.
_FILTER = "($2::text IS NULL OR township = $2) AND ($3::text IS NULL OR kind = $3)"


async def registered_in(
    conn: asyncpg.Connection, months: Sequence[date], township: str | None, kind: str | None
) -> list[Count]:
    """Cases registered in each of `months` (their first days)."""
    rows = await conn.fetch(
        "SELECT month, township, kind, category, homicide, n FROM situation_registered"  # noqa: S608
        f" WHERE month = ANY($1::date[]) AND {_FILTER}",
        list(months),
        township,
        kind,
    )
    return _counts(rows)


async def solved_of_registered_in(
    conn: asyncpg.Connection, months: Sequence[date], township: str | None, kind: str | None
) -> list[Count]:
    """Of the cases registered in each of `months`, those solved by now (keyed on the month
    of registration)."""
    rows = await conn.fetch(
        "SELECT registered_month AS month, township, kind, category, homicide, sum(n) AS n"  # noqa: S608
        f" FROM situation_solved WHERE registered_month = ANY($1::date[]) AND {_FILTER}"
        " GROUP BY 1, 2, 3, 4, 5",
        list(months),
        township,
        kind,
    )
    return _counts(rows)


@dataclass(frozen=True)
class Solved:
    township: str
    kind: str
    category: CaseCategory
    homicide: bool
    registered_in_period: bool
    n: int


async def solved_between(
    conn: asyncpg.Connection, first: date, last: date, township: str | None
) -> list[Solved]:
    """Cases solved in the months from `first` to `last` (first days), whenever registered;
    `registered_in_period` tells the current-period ones from the old cases (积案)."""
    rows = await conn.fetch(
        "SELECT township, kind, category, homicide, registered_month >= $1 AS current,"
        " sum(n) AS n FROM situation_solved"
        " WHERE solved_month BETWEEN $1 AND $2 AND ($3::text IS NULL OR township = $3)"
        " GROUP BY 1, 2, 3, 4, 5",
        first,
        last,
        township,
    )
    return [
        Solved(
            township=r["township"],
            kind=r["kind"],
            category=CaseCategory(r["category"]),
            homicide=r["homicide"],
            registered_in_period=r["current"],
            n=int(r["n"]),
        )
        for r in rows
        if r["n"]
    ]


async def registered_between(
    conn: asyncpg.Connection, first: date, last: date, township: str | None
) -> list[Count]:
    rows = await conn.fetch(
        "SELECT month, township, kind, category, homicide, n FROM situation_registered"
        " WHERE month BETWEEN $1 AND $2 AND ($3::text IS NULL OR township = $3)",
        first,
        last,
        township,
    )
    return _counts(rows)


class MonthWarning(BaseModel):
    """A warning raised for the month, as the warnings view shows it."""

    township: str | None
    kind: str | None
    status: str
    summary: str


async def warnings_of_month(
    conn: asyncpg.Connection, month: date, township: str | None
) -> list[MonthWarning]:
    """The early warnings raised for `month`, from the warnings view: the township's own and
    the district's (全区) when a township is asked for, else all; the highest score first."""
    rows = await conn.fetch(
        "SELECT area, kind_name, status, count, baseline, score FROM warning_register"
        " WHERE month = $1 AND ($2::text IS NULL OR area = $2 OR area = $3)"
        " ORDER BY score DESC, id",
        f"{month:%Y-%m}",
        township,
        DISTRICT,
    )
    return [
        MonthWarning(
            township=None if r["area"] == DISTRICT else r["area"],
            kind=r["kind_name"],
            status=r["status"],
            summary=f"本月 {r['count']} 起,基线 {r['baseline']:.1f},2(√x − √b) = {r['score']:.2f}",
        )
        for r in rows
    ]
