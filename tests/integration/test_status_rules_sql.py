"""The register's SQL for overdue and on time says what the domain's rules say, in every case."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hazards.application import HazardsApplication
from hazards.domain.status_rules import WITH_DEADLINE, is_on_time, is_overdue
from hazards.domain.vocabulary import HazardStatus
from hazards.projections.register.queries import on_time_sql, overdue_sql, states
from pingan.run.runtime import ServiceRuntime

TODAY = date(2026, 6, 15)
DEADLINES = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))
MARKS = (None, TODAY - timedelta(days=3))


async def test_overdue_sql_agrees_with_the_domain_rule(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    query = (
        f"SELECT {overdue_sql('$1', '$2')} FROM"  # noqa: S608
        " (SELECT $3::text AS status, $4::date AS deadline, $5::date AS overdue_since) AS h"
    )
    cases = list(itertools.product(HazardStatus, DEADLINES, MARKS))
    async with hazards.pool.acquire() as conn:
        answers = [
            await conn.fetchval(query, TODAY, states(WITH_DEADLINE), s.value, d, m)
            for s, d, m in cases
        ]

    expected = [is_overdue(s, d, m, TODAY) for s, d, m in cases]
    assert answers == expected


async def test_on_time_sql_agrees_with_the_domain_rule(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    query = f"SELECT {on_time_sql('$1::date', '$2::date', '$3::date')}"
    missed = (None, TODAY - timedelta(days=5), TODAY)
    cases = list(itertools.product(DEADLINES, missed))
    async with hazards.pool.acquire() as conn:
        answers = [await conn.fetchval(query, TODAY, d, m) for d, m in cases]
        unverified = await conn.fetchval(query, None, TODAY, None)

    assert answers == [is_on_time(TODAY, d, m) for d, m in cases]
    assert unverified is None
