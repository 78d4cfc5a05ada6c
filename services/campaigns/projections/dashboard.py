"""The campaign dashboard (专项行动战果): per campaign, the cases that match it and what they
yielded, against its targets; from the CAMPAIGNS stream.

**Matching.** A case counts towards every campaign whose kind covers the case's kind (and
whose place tag, if any, the case carries), whose jurisdiction takes in the case's township
(a district-wide campaign takes in all), and whose period holds the fact's business date: the
registration counts on the day of registration or acceptance (so in that month), a solving on
the day it was solved, arrests, gangs and seizures on the day they were recorded. A case linked
to a campaign by hand counts as if its kind and township matched; its dates still decide. A
withdrawn case (撤案) counts nowhere; a reclassified one moves to its new kind.

**Clearance.** `clearance_rate` follows the UCR convention: cases solved in the period, whenever
registered, over cases registered in the period; it can exceed 100%. `current_clearance_rate`
counts only the cases both registered and solved in the period (the rate Chinese practice
reports as 破案率). Homicides (命案) are shown on their own: the current-period rate (现行命案
破案率) and the old cases (积案, registered before the period) solved in it. Criminal and
public-order cases are counted apart; the case targets (cases solved, clearance rate) are
criminal-case targets.

**Pre-aggregated.** The view keeps daily counts per township, case kind, category, place tag
and homicide, and the results per measure; a dashboard sums a few of those rows and never reads
a case row (only the cases linked by hand that do not match anyway). Each case's own key and
results are kept too, so that a reclassification or withdrawal can move what it contributed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from campaigns.contracts.campaign import (
    CampaignAdjustedV1,
    CampaignConcludedV1,
    CampaignLaunchedV1,
    CampaignPlannedV1,
    CaseLinkedV1,
)
from campaigns.contracts.case import (
    CaseReclassifiedV1,
    CaseRegisteredV1,
    CaseSolvedV1,
    CaseTransferredV1,
    CaseWithdrawnV1,
    GangsDismantledV1,
    SeizuresRecordedV1,
    SuspectsApprehendedV1,
)
from campaigns.contracts.common import Targets
from campaigns.domain.campaign import CampaignStatus
from campaigns.domain.kinds import CaseCategory
from campaigns.domain.measures import SeizureType
from campaigns.projections.measures import ARRESTS, GANGS, TRANSFERRED, seizure_measures
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row

#: The tag every case carries in the aggregates, beside its own: "no tag required".
ANY_PLACE = ""

DASHBOARD_DDL = """
CREATE TABLE IF NOT EXISTS dashboard_campaigns (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    kind_name text NOT NULL,
    case_kinds text[] NOT NULL,
    place_tag text NOT NULL,
    townships text[] NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    lead_unit text NOT NULL,
    targets jsonb NOT NULL,
    status text NOT NULL,
    launched_on date,
    concluded_on date,
    summary text,
    adjustments int NOT NULL DEFAULT 0,
    adjustment_reason text,
    planned_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboard_links (
    campaign_id uuid NOT NULL,
    case_id uuid NOT NULL,
    reason text NOT NULL,
    PRIMARY KEY (campaign_id, case_id)
);
CREATE TABLE IF NOT EXISTS dashboard_cases (
    id uuid PRIMARY KEY,
    township text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    homicide boolean NOT NULL,
    tags text[] NOT NULL,
    registered_on date NOT NULL,
    solved_on date,
    withdrawn boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS dashboard_case_results (
    case_id uuid NOT NULL,
    day date NOT NULL,
    measure text NOT NULL,
    amount numeric NOT NULL
);
CREATE INDEX IF NOT EXISTS dashboard_case_results_case ON dashboard_case_results (case_id);
CREATE TABLE IF NOT EXISTS dashboard_registered (
    day date NOT NULL,
    township text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    tag text NOT NULL,
    homicide boolean NOT NULL,
    n int NOT NULL,
    PRIMARY KEY (day, township, kind, category, tag, homicide)
);
CREATE TABLE IF NOT EXISTS dashboard_solved (
    solved_on date NOT NULL,
    registered_on date NOT NULL,
    township text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    tag text NOT NULL,
    homicide boolean NOT NULL,
    n int NOT NULL,
    PRIMARY KEY (solved_on, registered_on, township, kind, category, tag, homicide)
);
CREATE TABLE IF NOT EXISTS dashboard_results (
    day date NOT NULL,
    township text NOT NULL,
    kind text NOT NULL,
    tag text NOT NULL,
    measure text NOT NULL,
    amount numeric NOT NULL,
    PRIMARY KEY (day, township, kind, tag, measure)
);
"""

_REGISTER = """
INSERT INTO dashboard_registered AS r (day, township, kind, category, tag, homicide, n)
SELECT c.registered_on, c.township, c.kind, c.category, t, c.homicide, $2
FROM dashboard_cases c, unnest(c.tags) AS t WHERE c.id = $1 AND NOT c.withdrawn
ON CONFLICT (day, township, kind, category, tag, homicide) DO UPDATE SET n = r.n + EXCLUDED.n
"""
_SOLVE = """
INSERT INTO dashboard_solved AS s
    (solved_on, registered_on, township, kind, category, tag, homicide, n)
SELECT c.solved_on, c.registered_on, c.township, c.kind, c.category, t, c.homicide, $2
FROM dashboard_cases c, unnest(c.tags) AS t
WHERE c.id = $1 AND NOT c.withdrawn AND c.solved_on IS NOT NULL
ON CONFLICT (solved_on, registered_on, township, kind, category, tag, homicide)
DO UPDATE SET n = s.n + EXCLUDED.n
"""
#: $3: only the results of one day and measure (the one just recorded), or all when null.
_RESULTS = """
INSERT INTO dashboard_results AS r (day, township, kind, tag, measure, amount)
SELECT x.day, c.township, c.kind, t, x.measure, $2 * sum(x.amount)
FROM dashboard_cases c
JOIN dashboard_case_results x ON x.case_id = c.id, unnest(c.tags) AS t
WHERE c.id = $1 AND NOT c.withdrawn
  AND ($3::date IS NULL OR (x.day = $3 AND x.measure = $4))
GROUP BY x.day, c.township, c.kind, t, x.measure
ON CONFLICT (day, township, kind, tag, measure) DO UPDATE SET amount = r.amount + EXCLUDED.amount
"""


async def _contribute(conn: ViewWriter, case_id: UUID, sign: int) -> None:
    """Add (1) or take back (-1) all the case counts towards, under its current key."""
    await conn.execute(_REGISTER, case_id, sign)
    await conn.execute(_SOLVE, case_id, sign)
    await conn.execute(_RESULTS, case_id, sign, None, None)


async def _result(conn: ViewWriter, case_id: UUID, day: date, measure: str, amount: Any) -> None:
    await conn.execute(
        "INSERT INTO dashboard_case_results (case_id, day, measure, amount) VALUES ($1,$2,$3,$4)",
        case_id,
        day,
        measure,
        Decimal(amount),
    )
    # Only this one's own row: a case with an earlier result of the same day and measure
    # has it in the aggregate already.
    await conn.execute(
        """
        INSERT INTO dashboard_results AS r (day, township, kind, tag, measure, amount)
        SELECT $2, c.township, c.kind, t, $3, $4
        FROM dashboard_cases c, unnest(c.tags) AS t WHERE c.id = $1 AND NOT c.withdrawn
        ON CONFLICT (day, township, kind, tag, measure)
        DO UPDATE SET amount = r.amount + EXCLUDED.amount
        """,
        case_id,
        day,
        measure,
        Decimal(amount),
    )


def _targets(targets: Targets) -> str:
    return targets.model_dump_json()


class CampaignDashboard(Projection):
    """Each campaign, and the daily aggregates of the cases its dashboard sums."""

    name = "campaign_dashboard"
    sources = ("CAMPAIGNS",)
    version = 1
    tables = (
        "dashboard_campaigns",
        "dashboard_links",
        "dashboard_cases",
        "dashboard_case_results",
        "dashboard_registered",
        "dashboard_solved",
        "dashboard_results",
    )

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(DASHBOARD_DDL)

    @handles(CampaignPlannedV1)
    async def planned(self, conn: ViewWriter, e: CampaignPlannedV1, env: Envelope) -> None:
        await conn.insert(
            "dashboard_campaigns",
            {
                "id": e.campaign_id,
                "name": e.name,
                "kind": e.kind,
                "kind_name": e.kind_name,
                "case_kinds": e.case_kinds,
                "place_tag": e.place_tag or ANY_PLACE,
                "townships": e.townships,
                "starts_on": e.starts_on,
                "ends_on": e.ends_on,
                "lead_unit": e.lead_unit,
                "targets": _targets(e.targets),
                "status": CampaignStatus.PLANNED.value,
                "planned_at": e.occurred_at,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(CampaignLaunchedV1)
    async def launched(self, conn: ViewWriter, e: CampaignLaunchedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "dashboard_campaigns",
            e.campaign_id,
            env,
            status=CampaignStatus.LAUNCHED.value,
            launched_on=e.launched_on,
        )

    @handles(CampaignAdjustedV1)
    async def adjusted(self, conn: ViewWriter, e: CampaignAdjustedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "dashboard_campaigns",
            e.campaign_id,
            env,
            add={"adjustments": 1},
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            targets=_targets(e.targets),
            adjustment_reason=e.reason,
        )

    @handles(CaseLinkedV1)
    async def linked(self, conn: ViewWriter, e: CaseLinkedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO dashboard_links (campaign_id, case_id, reason) VALUES ($1, $2, $3)"
            " ON CONFLICT DO NOTHING",
            e.campaign_id,
            e.case_id,
            e.reason,
        )
        await update_row(conn, "dashboard_campaigns", e.campaign_id, env)

    @handles(CampaignConcludedV1)
    async def concluded(self, conn: ViewWriter, e: CampaignConcludedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "dashboard_campaigns",
            e.campaign_id,
            env,
            status=CampaignStatus.CONCLUDED.value,
            concluded_on=e.concluded_on,
            summary=e.summary,
        )

    @handles(CaseRegisteredV1)
    async def registered(self, conn: ViewWriter, e: CaseRegisteredV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO dashboard_cases (id, township, kind, category, homicide, tags,"
            " registered_on) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            e.case_id,
            e.township,
            e.kind,
            e.category.value,
            e.homicide,
            [ANY_PLACE, *e.place_tags],
            e.registered_on,
        )
        await conn.execute(_REGISTER, e.case_id, 1)

    @handles(CaseReclassifiedV1)
    async def reclassified(self, conn: ViewWriter, e: CaseReclassifiedV1, env: Envelope) -> None:
        await _contribute(conn, e.case_id, -1)
        await conn.execute(
            "UPDATE dashboard_cases SET kind = $2, category = $3, homicide = $4 WHERE id = $1",
            e.case_id,
            e.kind,
            e.category.value,
            e.homicide,
        )
        await _contribute(conn, e.case_id, 1)

    @handles(CaseWithdrawnV1)
    async def withdrawn(self, conn: ViewWriter, e: CaseWithdrawnV1, env: Envelope) -> None:
        await _contribute(conn, e.case_id, -1)
        await conn.execute("UPDATE dashboard_cases SET withdrawn = true WHERE id = $1", e.case_id)

    @handles(CaseSolvedV1)
    async def solved(self, conn: ViewWriter, e: CaseSolvedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE dashboard_cases SET solved_on = $2 WHERE id = $1", e.case_id, e.solved_on
        )
        await conn.execute(_SOLVE, e.case_id, 1)

    @handles(SuspectsApprehendedV1)
    async def apprehended(self, conn: ViewWriter, e: SuspectsApprehendedV1, env: Envelope) -> None:
        await _result(conn, e.case_id, e.apprehended_on, ARRESTS, e.count)

    @handles(GangsDismantledV1)
    async def gangs(self, conn: ViewWriter, e: GangsDismantledV1, env: Envelope) -> None:
        await _result(conn, e.case_id, e.dismantled_on, GANGS, e.count)

    @handles(SeizuresRecordedV1)
    async def seizures(self, conn: ViewWriter, e: SeizuresRecordedV1, env: Envelope) -> None:
        for measure, quantity in seizure_measures(e.seizures):
            await _result(conn, e.case_id, e.seized_on, measure, quantity)

    @handles(CaseTransferredV1)
    async def transferred(self, conn: ViewWriter, e: CaseTransferredV1, env: Envelope) -> None:
        await _result(conn, e.case_id, e.transferred_on, TRANSFERRED, 1)


# ---- queries -------------------------------------------------------------------------------


class CaseCounts(BaseModel):
    registered: int = Field(description="Registered (立案/受理) in the period")
    solved: int = Field(description="Solved in the period, whenever registered (UCR)")
    solved_registered_in_period: int = Field(description="Registered and solved in the period")
    old_cases_solved: int = Field(description="Solved in the period, registered before it (积案)")
    clearance_rate: Decimal | None = Field(
        description="solved / registered, in per cent (UCR: may exceed 100); null if none"
    )
    current_clearance_rate: Decimal | None = Field(
        description="solved_registered_in_period / registered, in per cent (现行破案率)"
    )


class MonthFigures(BaseModel):
    month: str = Field(description="YYYY-MM")
    registered: int = Field(description="Criminal cases registered that month")
    solved: int = Field(description="Criminal cases solved that month")


class TargetProgress(BaseModel):
    measure: str = Field(description="cases_solved, clearance_rate, arrests, gangs, seizure type")
    target: Decimal
    actual: Decimal
    attained: Decimal = Field(description="actual / target, in per cent")


class CampaignSummary(BaseModel):
    id: UUID
    name: str
    kind: str
    kind_name: str
    case_kinds: list[str]
    place_tag: str | None
    townships: list[str] = Field(description="The jurisdiction; empty for the whole district")
    starts_on: date
    ends_on: date
    lead_unit: str
    targets: Targets
    status: CampaignStatus
    launched_on: date | None
    concluded_on: date | None
    summary: str | None
    adjustments: int
    adjustment_reason: str | None
    planned_at: datetime
    position: int


class Dashboard(BaseModel):
    campaign: CampaignSummary
    criminal: CaseCounts = Field(description="刑事案件")
    public_order: CaseCounts = Field(description="治安案件")
    homicide: CaseCounts = Field(description="命案: current-period rate and old cases apart")
    arrests: int = Field(description="抓获犯罪嫌疑人")
    gangs: int = Field(description="打掉团伙")
    transferred: int = Field(description="Cases transferred for prosecution (移送起诉)")
    seizures: dict[SeizureType, Decimal] = Field(description="缴获, each in its type's unit")
    drugs_by_drug: dict[str, Decimal] = Field(description="Drugs seized, grams per drug")
    linked_cases: int = Field(description="Cases linked by hand")
    months: list[MonthFigures] = Field(description="By month of registration / of solving")
    targets: list[TargetProgress]


def _summary(row: Mapping[str, Any]) -> CampaignSummary:
    data = dict(row)
    data["targets"] = Targets.model_validate_json(data["targets"])
    data["place_tag"] = data["place_tag"] or None
    data.pop("updated_at", None)
    return CampaignSummary.model_validate(data)


async def get_campaign(conn: asyncpg.Connection, campaign_id: UUID) -> CampaignSummary | None:
    row = await conn.fetchrow("SELECT * FROM dashboard_campaigns WHERE id = $1", campaign_id)
    return None if row is None else _summary(row)


async def list_campaigns(
    conn: asyncpg.Connection,
    *,
    status: CampaignStatus | None,
    kind: str | None,
    active_on: date | None,
    limit: int,
    offset: int,
) -> tuple[list[CampaignSummary], int]:
    """The latest start first."""
    where = """
    WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
      AND ($3::date IS NULL OR $3 BETWEEN starts_on AND ends_on)
    """
    args = (status, kind, active_on)
    total = await conn.fetchval(f"SELECT count(*) FROM dashboard_campaigns {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM dashboard_campaigns {where}"  # noqa: S608
        " ORDER BY starts_on DESC, id LIMIT $4 OFFSET $5",
        *args,
        limit,
        offset,
    )
    return [_summary(r) for r in rows], int(total)


#: The aggregate rows (`a`) a campaign (`c`) takes in: its kinds, its tag, its townships.
_MATCH = """
a.kind = ANY(c.case_kinds) AND a.tag = c.place_tag
AND (cardinality(c.townships) = 0 OR a.township = ANY(c.townships))
"""
#: The cases linked by hand that the aggregates do not take in already.
_LINKED = """
SELECT k.* FROM dashboard_links l
JOIN dashboard_cases k ON k.id = l.case_id
JOIN dashboard_campaigns c ON c.id = l.campaign_id
WHERE l.campaign_id = $1 AND NOT k.withdrawn
  AND NOT (k.kind = ANY(c.case_kinds) AND c.place_tag = ANY(k.tags)
           AND (cardinality(c.townships) = 0 OR k.township = ANY(c.townships)))
"""

_REGISTERED = f"""
WITH c AS (SELECT * FROM dashboard_campaigns WHERE id = $1),
rows AS (
    SELECT a.day, a.category, a.homicide, a.n FROM dashboard_registered a, c
    WHERE {_MATCH} AND a.day BETWEEN c.starts_on AND c.ends_on
    UNION ALL
    SELECT k.registered_on, k.category, k.homicide, 1 FROM ({_LINKED}) k, c
    WHERE k.registered_on BETWEEN c.starts_on AND c.ends_on
)
SELECT to_char(day, 'YYYY-MM') AS month, category, homicide, sum(n)::int AS n
FROM rows GROUP BY 1, 2, 3
"""  # noqa: S608
_SOLVED = f"""
WITH c AS (SELECT * FROM dashboard_campaigns WHERE id = $1),
rows AS (
    SELECT a.solved_on, a.registered_on, a.category, a.homicide, a.n FROM dashboard_solved a, c
    WHERE {_MATCH} AND a.solved_on BETWEEN c.starts_on AND c.ends_on
    UNION ALL
    SELECT k.solved_on, k.registered_on, k.category, k.homicide, 1 FROM ({_LINKED}) k, c
    WHERE k.solved_on BETWEEN c.starts_on AND c.ends_on
)
SELECT to_char(rows.solved_on, 'YYYY-MM') AS month, category, homicide,
       sum(n)::int AS n,
       (sum(n) FILTER (WHERE rows.registered_on >= c.starts_on))::int AS current,
       (sum(n) FILTER (WHERE rows.registered_on < c.starts_on))::int AS old
FROM rows, c GROUP BY 1, 2, 3
"""  # noqa: S608
_RESULTS_OF = f"""
WITH c AS (SELECT * FROM dashboard_campaigns WHERE id = $1),
rows AS (
    SELECT a.measure, a.amount FROM dashboard_results a, c
    WHERE {_MATCH} AND a.day BETWEEN c.starts_on AND c.ends_on
    UNION ALL
    SELECT x.measure, x.amount FROM ({_LINKED}) k
    JOIN dashboard_case_results x ON x.case_id = k.id, c
    WHERE x.day BETWEEN c.starts_on AND c.ends_on
)
SELECT measure, sum(amount) AS amount FROM rows GROUP BY measure
"""  # noqa: S608


#: Rates in per cent to one decimal, rounded half up (四舍五入) as the office reports them.
TENTH = Decimal("0.1")


def _rate(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH, ROUND_HALF_UP)


def _counts(registered: int, solved: int, current: int, old: int) -> CaseCounts:
    return CaseCounts(
        registered=registered,
        solved=solved,
        solved_registered_in_period=current,
        old_cases_solved=old,
        clearance_rate=_rate(solved, registered),
        current_clearance_rate=_rate(current, registered),
    )


def _progress(
    measure: str, target: Decimal | int | None, actual: Decimal | int
) -> list[TargetProgress]:
    if target is None:
        return []
    goal = Decimal(target)
    attained = (
        Decimal(0) if goal == 0 else (Decimal(actual) * 100 / goal).quantize(TENTH, ROUND_HALF_UP)
    )
    return [TargetProgress(measure=measure, target=goal, actual=Decimal(actual), attained=attained)]


async def dashboard(conn: asyncpg.Connection, campaign_id: UUID) -> Dashboard | None:
    campaign = await get_campaign(conn, campaign_id)
    if campaign is None:
        return None
    registered = await conn.fetch(_REGISTERED, campaign_id)
    solved = await conn.fetch(_SOLVED, campaign_id)
    results = {
        r["measure"]: Decimal(r["amount"]) for r in await conn.fetch(_RESULTS_OF, campaign_id)
    }
    linked = await conn.fetchval(
        "SELECT count(*) FROM dashboard_links WHERE campaign_id = $1", campaign_id
    )

    def total(rows: list[asyncpg.Record], column: str, **where: Any) -> int:
        return sum(r[column] or 0 for r in rows if all(r[k] == v for k, v in where.items()))

    def counts(**where: Any) -> CaseCounts:
        return _counts(
            total(registered, "n", **where),
            total(solved, "n", **where),
            total(solved, "current", **where),
            total(solved, "old", **where),
        )

    criminal = counts(category=CaseCategory.CRIMINAL.value)
    months = sorted({r["month"] for r in (*registered, *solved)})
    seizures = {t: results[t.value] for t in SeizureType if t.value in results}
    drugs = {
        m.split(":", 1)[1]: q for m, q in results.items() if m.startswith(SeizureType.DRUGS + ":")
    }
    arrests, gangs = results.get(ARRESTS, Decimal(0)), results.get(GANGS, Decimal(0))
    t = campaign.targets
    progress = [
        *_progress("cases_solved", t.cases_solved, criminal.solved),
        *_progress("clearance_rate", t.clearance_rate, criminal.clearance_rate or 0),
        *_progress("arrests", t.arrests, arrests),
        *_progress("gangs", t.gangs, gangs),
        *(
            p
            for kind, goal in t.seizures.items()
            for p in _progress(kind.value, goal, seizures.get(kind, Decimal(0)))
        ),
    ]
    return Dashboard(
        campaign=campaign,
        criminal=criminal,
        public_order=counts(category=CaseCategory.PUBLIC_ORDER.value),
        homicide=counts(homicide=True),
        arrests=int(arrests),
        gangs=int(gangs),
        transferred=int(results.get(TRANSFERRED, 0)),
        seizures=seizures,
        drugs_by_drug=drugs,
        linked_cases=int(linked),
        months=[
            MonthFigures(
                month=m,
                registered=total(registered, "n", month=m, category=CaseCategory.CRIMINAL.value),
                solved=total(solved, "n", month=m, category=CaseCategory.CRIMINAL.value),
            )
            for m in months
        ],
        targets=progress,
    )
