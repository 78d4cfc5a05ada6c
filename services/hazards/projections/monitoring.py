"""The risk monitoring views, from the HAZARDS stream: one row per monitoring task with its
sample counts, current assessment and warning; its samples; every warning issued, so that
the active warnings are those not yet lifted; and the follow-up (核查处置) of each failed sample,
overdue once the office's today is past its due day and it is still open. Their tables,
handlers and the queries run on them. Each dated step keeps its business date (`*_on`)
beside its recording time (`*_at`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.contracts.monitoring import (
    DisposalRecordedV1,
    FollowUpClosedV1,
    FollowUpOpenedV1,
    MonitoringClosedV1,
    MonitoringStartedV1,
    RiskAssessedV1,
    RiskWarningIssuedV1,
    RiskWarningLiftedV1,
    SampleRecordedV1,
    SampleReportedAsHazardV1,
)
from hazards.domain.monitoring import (
    WARNING_ORDER,
    FollowUpStatus,
    MonitoringStatus,
    ProductKind,
    RiskLevel,
    WarningLevel,
)
from hazards.projections.business_dates import DatedView
from pingan.api.times import OfficeDateTime
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import handles, update_row

MONITORING_DDL = """
CREATE TABLE IF NOT EXISTS risk_monitoring (
    id uuid PRIMARY KEY,
    product_kind text NOT NULL,
    product_category text NOT NULL,
    township text NOT NULL,
    place text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    organiser text NOT NULL,
    status text NOT NULL,
    samples int NOT NULL DEFAULT 0,
    failed int NOT NULL DEFAULT 0,
    risk_level text,
    assessor text,
    assessment_basis text,
    assessed_on date,
    assessed_at timestamptz,
    warning_level text,
    warning_no int,
    warnings_issued int NOT NULL DEFAULT 0,
    follow_ups_open int NOT NULL DEFAULT 0,
    closed_by text,
    summary text,
    started_on date NOT NULL,
    started_at timestamptz NOT NULL,
    closed_on date,
    closed_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS risk_monitoring_township ON risk_monitoring (township, started_on);
CREATE INDEX IF NOT EXISTS risk_monitoring_status ON risk_monitoring (status);
CREATE TABLE IF NOT EXISTS monitoring_samples (
    monitoring_id uuid NOT NULL REFERENCES risk_monitoring (id) ON DELETE CASCADE,
    sample_number text NOT NULL,
    product text NOT NULL,
    taken_on date NOT NULL,
    passed boolean NOT NULL,
    indicator text,
    measured_value text,
    limit_value text,
    lab text NOT NULL,
    recorded_at timestamptz NOT NULL,
    hazard_id uuid,
    PRIMARY KEY (monitoring_id, sample_number)
);
CREATE TABLE IF NOT EXISTS monitoring_follow_ups (
    monitoring_id uuid NOT NULL REFERENCES risk_monitoring (id) ON DELETE CASCADE,
    sample_number text NOT NULL,
    product text NOT NULL,
    indicator text NOT NULL,
    township text NOT NULL,
    result_on date NOT NULL,
    due_on date NOT NULL,
    status text NOT NULL,
    disposals int NOT NULL DEFAULT 0,
    last_measures text,
    last_disposed_on date,
    outcome text,
    closed_by text,
    closed_on date,
    on_time boolean,
    opened_at timestamptz NOT NULL,
    PRIMARY KEY (monitoring_id, sample_number)
);
CREATE INDEX IF NOT EXISTS monitoring_follow_ups_open ON monitoring_follow_ups (due_on)
    WHERE status = 'open';
CREATE TABLE IF NOT EXISTS risk_warnings (
    monitoring_id uuid NOT NULL REFERENCES risk_monitoring (id) ON DELETE CASCADE,
    warning_no int NOT NULL,
    level text NOT NULL,
    message text NOT NULL,
    scope text NOT NULL,
    issued_by text NOT NULL,
    risk_level text NOT NULL,
    issued_on date NOT NULL,
    issued_at timestamptz NOT NULL,
    lifted_by text,
    lift_reason text,
    lifted_on date,
    lifted_at timestamptz,
    PRIMARY KEY (monitoring_id, warning_no)
);
CREATE INDEX IF NOT EXISTS risk_warnings_active ON risk_warnings (issued_on)
    WHERE lifted_at IS NULL;
"""


async def update(
    conn: ViewWriter,
    monitoring_id: UUID,
    env: Envelope,
    *,
    add: Mapping[str, int] | None = None,
    **columns: Any,
) -> None:
    await update_row(conn, "risk_monitoring", monitoring_id, env, add=add, **columns)


class RiskMonitoringView(DatedView):
    """Every monitoring task, its samples and its warnings."""

    name = "risk_monitoring"
    sources = ("HAZARDS",)
    version = 3
    tables = ("monitoring_follow_ups", "risk_warnings", "monitoring_samples", "risk_monitoring")

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(MONITORING_DDL)

    @handles(MonitoringStartedV1)
    async def started(
        self, conn: asyncpg.Connection, e: MonitoringStartedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "INSERT INTO risk_monitoring (id, product_kind, product_category, township, place,"
            " starts_on, ends_on, organiser, status, started_on, started_at, updated_at, position)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'monitoring',$9,$10,$10,$11)",
            e.monitoring_id,
            e.product_kind.value,
            e.product_category,
            e.township,
            e.place,
            e.starts_on,
            e.ends_on,
            e.organiser,
            self.day(e),
            e.occurred_at,
            env.position,
        )

    @handles(SampleRecordedV1)
    async def sampled(self, conn: asyncpg.Connection, e: SampleRecordedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO monitoring_samples (monitoring_id, sample_number, product, taken_on,"
            " passed, indicator, measured_value, limit_value, lab, recorded_at)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            e.monitoring_id,
            e.sample_number,
            e.product,
            e.taken_on,
            e.passed,
            e.indicator,
            e.measured_value,
            e.limit,
            e.lab,
            e.occurred_at,
        )
        await conn.execute(
            "UPDATE risk_monitoring SET samples = samples + 1,"
            " failed = failed + CASE WHEN $2 THEN 0 ELSE 1 END WHERE id = $1",
            e.monitoring_id,
            e.passed,
        )
        await update(conn, e.monitoring_id, env)

    @handles(FollowUpOpenedV1)
    async def follow_up_opened(
        self, conn: asyncpg.Connection, e: FollowUpOpenedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "INSERT INTO monitoring_follow_ups (monitoring_id, sample_number, product, indicator,"
            " township, result_on, due_on, status, opened_at)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8)",
            e.monitoring_id,
            e.sample_number,
            e.product,
            e.indicator,
            e.township,
            e.result_on,
            e.due_on,
            e.occurred_at,
        )
        await update(conn, e.monitoring_id, env, add={"follow_ups_open": 1})

    @handles(SampleReportedAsHazardV1)
    async def reported_as_hazard(
        self, conn: asyncpg.Connection, e: SampleReportedAsHazardV1, env: Envelope
    ) -> None:
        await conn.execute(
            "UPDATE monitoring_samples SET hazard_id = $3"
            " WHERE monitoring_id = $1 AND sample_number = $2",
            e.monitoring_id,
            e.sample_number,
            e.hazard_id,
        )
        await update(conn, e.monitoring_id, env)

    @handles(DisposalRecordedV1)
    async def disposal_recorded(
        self, conn: asyncpg.Connection, e: DisposalRecordedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "UPDATE monitoring_follow_ups SET disposals = disposals + 1, last_measures = $3,"
            " last_disposed_on = $4 WHERE monitoring_id = $1 AND sample_number = $2",
            e.monitoring_id,
            e.sample_number,
            e.measures,
            e.disposed_on,
        )
        await update(conn, e.monitoring_id, env)

    @handles(FollowUpClosedV1)
    async def follow_up_closed(
        self, conn: asyncpg.Connection, e: FollowUpClosedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "UPDATE monitoring_follow_ups SET status = 'closed', outcome = $3, closed_by = $4,"
            " closed_on = $5, on_time = $6 WHERE monitoring_id = $1 AND sample_number = $2",
            e.monitoring_id,
            e.sample_number,
            e.outcome,
            e.closed_by,
            e.closed_on,
            e.on_time,
        )
        await update(conn, e.monitoring_id, env, add={"follow_ups_open": -1})

    @handles(RiskAssessedV1)
    async def assessed(self, conn: asyncpg.Connection, e: RiskAssessedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE risk_monitoring SET status = 'assessed'"
            " WHERE id = $1 AND status = 'monitoring'",
            e.monitoring_id,
        )
        await update(
            conn,
            e.monitoring_id,
            env,
            risk_level=e.level.value,
            assessor=e.assessor,
            assessment_basis=e.basis,
            assessed_on=self.day(e),
            assessed_at=e.occurred_at,
        )

    @handles(RiskWarningIssuedV1)
    async def warned(self, conn: asyncpg.Connection, e: RiskWarningIssuedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO risk_warnings (monitoring_id, warning_no, level, message, scope,"
            " issued_by, risk_level, issued_on, issued_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            e.monitoring_id,
            e.warning_no,
            e.level.value,
            e.message,
            e.scope,
            e.issued_by,
            e.risk_level.value,
            self.day(e),
            e.occurred_at,
        )
        await update(
            conn,
            e.monitoring_id,
            env,
            status="warning",
            warning_level=e.level.value,
            warning_no=e.warning_no,
            warnings_issued=e.warning_no,
        )

    @handles(RiskWarningLiftedV1)
    async def lifted(self, conn: asyncpg.Connection, e: RiskWarningLiftedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE risk_warnings SET lifted_by = $3, lift_reason = $4, lifted_on = $5,"
            " lifted_at = $6 WHERE monitoring_id = $1 AND warning_no = $2",
            e.monitoring_id,
            e.warning_no,
            e.lifted_by,
            e.reason,
            self.day(e),
            e.occurred_at,
        )
        await update(
            conn, e.monitoring_id, env, status="assessed", warning_level=None, warning_no=None
        )

    @handles(MonitoringClosedV1)
    async def closed(self, conn: asyncpg.Connection, e: MonitoringClosedV1, env: Envelope) -> None:
        await update(
            conn,
            e.monitoring_id,
            env,
            status="closed",
            closed_by=e.closed_by,
            summary=e.summary,
            closed_on=self.day(e),
            closed_at=e.occurred_at,
        )


class MonitoringView(BaseModel):
    id: UUID
    product_kind: ProductKind
    product_category: str
    township: str
    place: str
    starts_on: date
    ends_on: date
    organiser: str
    status: MonitoringStatus
    samples: int = Field(description="Sampling results recorded")
    failed: int = Field(description="Of which failed (不合格)")
    risk_level: RiskLevel | None
    assessor: str | None
    assessment_basis: str | None
    assessed_on: date | None = Field(description="业务日期: the day of the latest assessment")
    assessed_at: OfficeDateTime | None = Field(description="When that assessment was recorded")
    warning_active: bool
    warning_level: WarningLevel | None
    warning_no: int | None
    warnings_issued: int
    follow_ups_open: int = Field(description="Failed samples whose 核查处置 is not yet closed")
    closed_by: str | None
    summary: str | None
    started_on: date = Field(description="业务日期: the day the task was opened")
    started_at: OfficeDateTime = Field(description="When the opening was recorded")
    closed_on: date | None = Field(description="业务日期: the day the task was closed")
    closed_at: OfficeDateTime | None = Field(description="When the closing was recorded")
    position: int


class SampleView(BaseModel):
    sample_number: str
    product: str
    taken_on: date = Field(description="业务日期: the day the sample was taken")
    passed: bool
    indicator: str | None
    measured_value: str | None
    limit: str | None
    lab: str
    recorded_at: OfficeDateTime = Field(description="When the result was recorded")
    hazard_id: UUID | None = Field(description="The hazard a failed sample reported, if so")


class WarningView(BaseModel):
    warning_no: int
    level: WarningLevel
    message: str
    scope: str
    issued_by: str
    risk_level: RiskLevel
    issued_on: date = Field(description="业务日期: the day the warning was issued")
    issued_at: OfficeDateTime = Field(description="When the warning was recorded")
    lifted_by: str | None
    lift_reason: str | None
    lifted_on: date | None = Field(description="业务日期: the day the warning was lifted")
    lifted_at: OfficeDateTime | None = Field(description="When the lifting was recorded")


class FollowUpView(BaseModel):
    """The 核查处置 of one failed sample."""

    monitoring_id: UUID
    sample_number: str
    product: str
    indicator: str
    township: str
    result_on: date = Field(description="When the failed result was received")
    due_on: date = Field(description="The day it is to be finished by")
    status: FollowUpStatus
    overdue: bool = Field(description="Still open after its due day (office's today)")
    days_to_due: int | None = Field(description="Days left (negative: overdue); none if closed")
    disposals: int
    last_measures: str | None
    last_disposed_on: date | None
    outcome: str | None
    closed_by: str | None
    closed_on: date | None
    on_time: bool | None = Field(description="Closed by its due day")


class MonitoringDetail(MonitoringView):
    results: list[SampleView] = Field(description="The sampling results, in sample-number order")
    warnings: list[WarningView] = Field(description="Every warning issued, the latest first")
    follow_ups: list[FollowUpView] = Field(description="The failed samples' follow-ups")


class ActiveWarning(WarningView):
    monitoring_id: UUID
    product_kind: ProductKind
    product_category: str
    township: str
    place: str


@dataclass(frozen=True)
class MonitoringFilter:
    township: str | None = None
    product_kind: ProductKind | None = None
    status: MonitoringStatus | None = None
    risk_level: RiskLevel | None = None
    warning_active: bool | None = None


SEVERITY_ORDER = [level.value for level in WARNING_ORDER]
ACTIVE_WARNINGS = """
SELECT w.*, m.id AS monitoring_id, m.product_kind, m.product_category, m.township, m.place
FROM risk_warnings w JOIN risk_monitoring m ON m.id = w.monitoring_id
WHERE w.lifted_at IS NULL
  AND ($1::text IS NULL OR m.township = $1)
  AND ($2::text IS NULL OR m.product_kind = $2)
ORDER BY array_position($3::text[], w.level) DESC, w.issued_on DESC, w.issued_at DESC, m.id
"""

SELECTED = "SELECT *, (warning_level IS NOT NULL) AS warning_active FROM risk_monitoring"
FILTERS = """
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR product_kind = $2)
  AND ($3::text IS NULL OR status = $3)
  AND ($4::text IS NULL OR risk_level = $4)
  AND ($5::boolean IS NULL OR (warning_level IS NOT NULL) = $5)
"""


async def active_warnings(
    conn: asyncpg.Connection, township: str | None, product_kind: ProductKind | None
) -> list[ActiveWarning]:
    """The warnings in force, the most severe first."""
    rows = await conn.fetch(ACTIVE_WARNINGS, township, product_kind, SEVERITY_ORDER)
    return [ActiveWarning.model_validate(dict(r)) for r in rows]


FOLLOW_UPS = """
SELECT *, (status = 'open' AND due_on < $1::date) AS overdue,
       CASE WHEN status = 'open' THEN due_on - $1::date END AS days_to_due
FROM monitoring_follow_ups
"""
FOLLOW_UP_FILTERS = """
WHERE ($2::uuid IS NULL OR monitoring_id = $2)
  AND ($3::text IS NULL OR township = $3)
  AND ($4::text IS NULL OR status = $4)
  AND ($5::boolean IS NULL OR overdue = $5)
"""


@dataclass(frozen=True)
class FollowUpFilter:
    monitoring_id: UUID | None = None
    township: str | None = None
    status: FollowUpStatus | None = None
    overdue: bool | None = None


async def list_follow_ups(
    conn: asyncpg.Connection, flt: FollowUpFilter, today: date, limit: int, offset: int
) -> tuple[list[FollowUpView], int]:
    """Overdue first, then open by due day, then closed (latest closed first)."""
    args: list[Any] = [today, flt.monitoring_id, flt.township, flt.status, flt.overdue]
    total = await conn.fetchval(
        f"SELECT count(*) FROM ({FOLLOW_UPS}) AS f {FOLLOW_UP_FILTERS}",  # noqa: S608
        *args,
    )
    rows = await conn.fetch(
        f"SELECT * FROM ({FOLLOW_UPS}) AS f {FOLLOW_UP_FILTERS}"  # noqa: S608
        " ORDER BY overdue DESC, status = 'open' DESC, due_on, closed_on DESC, monitoring_id,"
        " sample_number LIMIT $6 OFFSET $7",
        *args,
        limit,
        offset,
    )
    return [FollowUpView.model_validate(dict(r)) for r in rows], int(total)


async def get_monitoring(
    conn: asyncpg.Connection, monitoring_id: UUID, today: date | None = None
) -> MonitoringDetail | None:
    """One task with its sampling results, every warning it issued and its follow-ups,
    overdue as of `today` (the database's today if not given)."""
    row = await conn.fetchrow(f"{SELECTED} WHERE id = $1", monitoring_id)
    if row is None:
        return None
    samples = await conn.fetch(
        'SELECT *, limit_value AS "limit" FROM monitoring_samples WHERE monitoring_id = $1'
        " ORDER BY sample_number",
        monitoring_id,
    )
    warnings = await conn.fetch(
        "SELECT * FROM risk_warnings WHERE monitoring_id = $1 ORDER BY warning_no DESC",
        monitoring_id,
    )
    on = today or await conn.fetchval("SELECT current_date")
    follow_ups, _ = await list_follow_ups(
        conn, FollowUpFilter(monitoring_id=monitoring_id), on, 10_000, 0
    )
    return MonitoringDetail.model_validate(
        {
            **dict(row),
            "results": [dict(s) for s in samples],
            "warnings": [dict(w) for w in warnings],
            "follow_ups": follow_ups,
        }
    )


async def list_monitoring(
    conn: asyncpg.Connection, flt: MonitoringFilter, limit: int, offset: int
) -> tuple[list[MonitoringView], int]:
    """Those under warning first, then the latest opened."""
    args: list[Any] = [flt.township, flt.product_kind, flt.status, flt.risk_level]
    args.append(flt.warning_active)
    total = await conn.fetchval(f"SELECT count(*) FROM ({SELECTED}) AS m {FILTERS}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM ({SELECTED}) AS m {FILTERS}"  # noqa: S608
        " ORDER BY warning_active DESC, started_on DESC, started_at DESC, id LIMIT $6 OFFSET $7",
        *args,
        limit,
        offset,
    )
    return [MonitoringView.model_validate(dict(r)) for r in rows], int(total)
