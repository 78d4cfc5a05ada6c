"""Reading the hazard register: the SQL behind the register, its filters and derived days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg

OPEN = (
    "reported",
    "filed",
    "planned",
    "assigned",
    "scheduled",
    "rectifying",
    "rectification_reported",
)
DEADLINE_OPEN = ("planned", "assigned", "scheduled", "rectifying", "rectification_reported")

#: Columns computed against the office's today ($1).
DERIVED = f"""
    (status IN {DEADLINE_OPEN!r} AND (overdue_since IS NOT NULL OR deadline < $1)) AS overdue,
    (failed_verifications > 0) AS on_books,
    (COALESCE((closed_at AT TIME ZONE 'Asia/Shanghai')::date, $1)
        - (reported_at AT TIME ZONE 'Asia/Shanghai')::date) AS days_open,
    CASE WHEN status IN {DEADLINE_OPEN!r} THEN deadline - $1 END AS days_to_deadline,
    CASE WHEN status IN {DEADLINE_OPEN!r} AND (overdue_since IS NOT NULL OR deadline < $1)
        THEN $1 - deadline END AS days_overdue
"""


@dataclass
class Filter:
    """A WHERE clause built one condition at a time; $1 is always today."""

    today: date
    conditions: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)

    def equal(self, column: str, value: Any) -> None:
        if value is not None:
            self.args.append(value)
            self.conditions.append(f"{column} = ${len(self.args) + 1}")

    def add(self, condition: str) -> None:
        self.conditions.append(condition)

    @property
    def where(self) -> str:
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""

    @property
    def params(self) -> list[Any]:
        return [self.today, *self.args]


async def select(
    conn: asyncpg.Connection, flt: Filter, order: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    inner = f"SELECT *, {DERIVED} FROM hazard_register"  # noqa: S608
    total = await conn.fetchval(
        f"SELECT count(*) FROM ({inner}) AS r {flt.where}",  # noqa: S608
        *flt.params,
    )
    n = len(flt.params)
    rows = await conn.fetch(
        f"SELECT * FROM ({inner}) AS r {flt.where} ORDER BY {order} "  # noqa: S608
        f"LIMIT ${n + 1} OFFSET ${n + 2}",
        *flt.params,
        limit,
        offset,
    )
    return [dict(r) for r in rows], int(total)
