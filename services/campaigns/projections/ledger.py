"""The case ledger (案件台账): one row per case with where it stands, from the CAMPAIGNS
stream; its table, its handlers and the queries run on it. Criminal and public-order cases
share the table and are told apart by `category`; a list filters by one or the other."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from campaigns.contracts.case import (
    CaseClosedV1,
    CaseFlaggedMajorV1,
    CaseReclassifiedV1,
    CaseRegisteredV1,
    CaseSolvedV1,
    CaseTransferredV1,
    CaseWithdrawnV1,
    GangsDismantledV1,
    SeizuresRecordedV1,
    SuspectsApprehendedV1,
)
from campaigns.domain.case import CaseStatus
from campaigns.domain.kinds import CaseCategory
from campaigns.domain.major import MajorBasis
from campaigns.projections.measures import seizure_measures
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS case_ledger (
    id uuid PRIMARY KEY,
    category text NOT NULL,
    kind text NOT NULL,
    kind_name text NOT NULL,
    homicide boolean NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    place text NOT NULL,
    place_tags text[] NOT NULL,
    happened_at timestamptz NOT NULL,
    registered_on date NOT NULL,
    case_number text,
    unit_id text,
    unit_name text,
    deaths int NOT NULL,
    serious_injuries int NOT NULL,
    loss_yuan numeric(16, 2) NOT NULL,
    major boolean NOT NULL,
    major_basis text,
    major_reason text,
    summary text NOT NULL,
    registered_by text NOT NULL,
    status text NOT NULL,
    reclassifications int NOT NULL DEFAULT 0,
    reclassification_reason text,
    withdrawn_on date,
    withdrawal_reason text,
    solved_on date,
    suspects_apprehended int NOT NULL DEFAULT 0,
    suspects jsonb NOT NULL DEFAULT '[]',
    gangs_dismantled int NOT NULL DEFAULT 0,
    seizures jsonb NOT NULL DEFAULT '{}',
    transferred_on date,
    suspects_transferred int,
    prosecutor text,
    closed_on date,
    registered_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS case_ledger_registered ON case_ledger (registered_on, id);
CREATE INDEX IF NOT EXISTS case_ledger_township ON case_ledger (township, registered_on);
CREATE INDEX IF NOT EXISTS case_ledger_kind ON case_ledger (kind, registered_on);
"""


class CaseLedger(Projection):
    """Every case with its kind, place, status and results."""

    name = "case_ledger"
    sources = ("CAMPAIGNS",)
    version = 1
    tables = ("case_ledger",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(LEDGER_DDL)

    @handles(CaseRegisteredV1)
    async def registered(self, conn: ViewWriter, e: CaseRegisteredV1, env: Envelope) -> None:
        await conn.insert(
            "case_ledger",
            {
                "id": e.case_id,
                "category": e.category.value,
                "kind": e.kind,
                "kind_name": e.kind_name,
                "homicide": e.homicide,
                "township": e.township,
                "village": e.village,
                "place": e.place,
                "place_tags": e.place_tags,
                "happened_at": e.happened_at,
                "registered_on": e.registered_on,
                "case_number": e.case_number,
                "unit_id": e.unit_id,
                "unit_name": e.unit_name,
                "deaths": e.deaths,
                "serious_injuries": e.serious_injuries,
                "loss_yuan": e.loss_yuan,
                "major": e.major,
                "major_basis": None if e.major_basis is None else e.major_basis.value,
                "summary": e.summary,
                "registered_by": e.registered_by,
                "status": CaseStatus.REGISTERED.value,
                "registered_at": e.occurred_at,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(CaseReclassifiedV1)
    async def reclassified(self, conn: ViewWriter, e: CaseReclassifiedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "case_ledger",
            e.case_id,
            env,
            add={"reclassifications": 1},
            category=e.category.value,
            kind=e.kind,
            kind_name=e.kind_name,
            homicide=e.homicide,
            deaths=e.deaths,
            serious_injuries=e.serious_injuries,
            loss_yuan=e.loss_yuan,
            major=e.major,
            major_basis=None if e.major_basis is None else e.major_basis.value,
            reclassification_reason=e.reason,
        )

    @handles(CaseFlaggedMajorV1)
    async def flagged(self, conn: ViewWriter, e: CaseFlaggedMajorV1, env: Envelope) -> None:
        await update_row(
            conn,
            "case_ledger",
            e.case_id,
            env,
            major=True,
            major_basis=MajorBasis.OFFICER.value,
            major_reason=e.reason,
        )

    @handles(CaseWithdrawnV1)
    async def withdrawn(self, conn: ViewWriter, e: CaseWithdrawnV1, env: Envelope) -> None:
        await update_row(
            conn,
            "case_ledger",
            e.case_id,
            env,
            status=CaseStatus.WITHDRAWN.value,
            withdrawn_on=e.withdrawn_on,
            withdrawal_reason=e.reason,
        )

    @handles(CaseSolvedV1)
    async def solved(self, conn: ViewWriter, e: CaseSolvedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "case_ledger",
            e.case_id,
            env,
            status=CaseStatus.SOLVED.value,
            solved_on=e.solved_on,
        )

    @handles(SuspectsApprehendedV1)
    async def apprehended(self, conn: ViewWriter, e: SuspectsApprehendedV1, env: Envelope) -> None:
        named = json.dumps([s.model_dump(mode="json") for s in e.suspects])
        await conn.execute(
            "UPDATE case_ledger SET suspects_apprehended = suspects_apprehended + $2,"
            " suspects = suspects || $3::jsonb, updated_at = $4, position = $5 WHERE id = $1",
            e.case_id,
            e.count,
            named,
            env.time,
            env.position,
        )

    @handles(GangsDismantledV1)
    async def gangs(self, conn: ViewWriter, e: GangsDismantledV1, env: Envelope) -> None:
        await update_row(conn, "case_ledger", e.case_id, env, add={"gangs_dismantled": e.count})

    @handles(SeizuresRecordedV1)
    async def seizures(self, conn: ViewWriter, e: SeizuresRecordedV1, env: Envelope) -> None:
        row = await conn.fetchrow("SELECT seizures FROM case_ledger WHERE id = $1", e.case_id)
        totals: dict[str, str] = json.loads(row["seizures"]) if row else {}
        for measure, quantity in seizure_measures(e.seizures):
            totals[measure] = str(Decimal(totals.get(measure, "0")) + quantity)
        await update_row(
            conn, "case_ledger", e.case_id, env, seizures=json.dumps(totals, ensure_ascii=False)
        )

    @handles(CaseTransferredV1)
    async def transferred(self, conn: ViewWriter, e: CaseTransferredV1, env: Envelope) -> None:
        await update_row(
            conn,
            "case_ledger",
            e.case_id,
            env,
            status=CaseStatus.TRANSFERRED.value,
            transferred_on=e.transferred_on,
            suspects_transferred=e.suspects,
            prosecutor=e.prosecutor,
        )

    @handles(CaseClosedV1)
    async def closed(self, conn: ViewWriter, e: CaseClosedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "case_ledger",
            e.case_id,
            env,
            status=CaseStatus.CLOSED.value,
            closed_on=e.closed_on,
        )


class SuspectView(BaseModel):
    person_id: UUID | None
    name: str = Field(description="As the caller may see it: opened, or [已隐藏]")
    id_number: str | None


class CaseView(BaseModel):
    id: UUID
    category: CaseCategory = Field(description="criminal 刑事 (立案) or public_order 治安 (受理)")
    kind: str
    kind_name: str
    homicide: bool = Field(description="命案")
    township: str
    village: str
    place: str
    place_tags: list[str]
    happened_at: datetime
    registered_on: date = Field(description="立案/受理日期: the month the case counts in")
    case_number: str | None
    unit_id: str | None
    unit_name: str | None
    deaths: int
    serious_injuries: int
    loss_yuan: Decimal
    major: bool = Field(description="重大治安案件")
    major_basis: MajorBasis | None
    major_reason: str | None
    summary: str
    registered_by: str
    status: CaseStatus
    reclassifications: int
    reclassification_reason: str | None
    withdrawn_on: date | None
    withdrawal_reason: str | None
    solved_on: date | None
    suspects_apprehended: int
    suspects: list[SuspectView] = Field(
        default_factory=list, description="Named suspects, shown only in a single case's read"
    )
    gangs_dismantled: int
    seizures: dict[str, Decimal] = Field(
        description="Totals per seizure type (drugs also per drug, as drugs:<drug>)"
    )
    transferred_on: date | None
    suspects_transferred: int | None
    prosecutor: str | None
    closed_on: date | None
    registered_at: datetime
    position: int


def _view(row: asyncpg.Record, *, sealed: bool) -> tuple[CaseView, list[dict[str, Any]]]:
    data = dict(row)
    suspects = json.loads(data.pop("suspects"))
    data["seizures"] = json.loads(data["seizures"])
    data.pop("updated_at")
    return CaseView.model_validate(data), suspects if sealed else []


@dataclass(frozen=True)
class CaseFilter:
    """`registered_from` and `registered_to` are business dates, both inclusive."""

    category: CaseCategory | None = None
    kind: str | None = None
    township: str | None = None
    village: str | None = None
    status: CaseStatus | None = None
    major: bool | None = None
    homicide: bool | None = None
    unit_id: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None


FILTERS = """
WHERE ($1::text IS NULL OR category = $1)
  AND ($2::text IS NULL OR kind = $2)
  AND ($3::text IS NULL OR township = $3)
  AND ($4::text IS NULL OR village = $4)
  AND ($5::text IS NULL OR status = $5)
  AND ($6::boolean IS NULL OR major = $6)
  AND ($7::boolean IS NULL OR homicide = $7)
  AND ($8::text IS NULL OR unit_id = $8)
  AND ($9::date IS NULL OR registered_on >= $9)
  AND ($10::date IS NULL OR registered_on <= $10)
"""


async def get_case(
    conn: asyncpg.Connection, case_id: UUID
) -> tuple[CaseView, list[dict[str, Any]]] | None:
    """The case, and its named suspects as sealed."""
    row = await conn.fetchrow("SELECT * FROM case_ledger WHERE id = $1", case_id)
    return None if row is None else _view(row, sealed=True)


async def list_cases(
    conn: asyncpg.Connection, flt: CaseFilter, limit: int, offset: int
) -> tuple[list[CaseView], int]:
    """The latest registration first."""
    args: list[Any] = [
        flt.category,
        flt.kind,
        flt.township,
        flt.village,
        flt.status,
        flt.major,
        flt.homicide,
        flt.unit_id,
        flt.registered_from,
        flt.registered_to,
    ]
    total = await conn.fetchval(f"SELECT count(*) FROM case_ledger {FILTERS}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM case_ledger {FILTERS}"  # noqa: S608
        " ORDER BY registered_on DESC, happened_at DESC, id LIMIT $11 OFFSET $12",
        *args,
        limit,
        offset,
    )
    return [_view(r, sealed=False)[0] for r in rows], int(total)
