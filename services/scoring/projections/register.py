"""The unit register (创建单位台账), the revocation log (摘牌记录), the follow-up visits (跟踪回访)
and the re-inspections due (复查), from the SCORING stream: their tables, their handlers and the
queries run on them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row
from scoring.contracts.restoration import (
    AppealDecidedV1,
    AppealLodgedV1,
    TitleRestoredV1,
    UnitIncidentCorrectedV1,
)
from scoring.contracts.unit import (
    ObjectionLodgedV1,
    ObjectionSettledV1,
    TitleRevokedV1,
    UnitAppliedV1,
    UnitAssessedV1,
    UnitFollowedUpV1,
    UnitNamedV1,
    UnitPublicisedV1,
    UnitRegisteredV1,
    UnitReinspectedV1,
    UnitUpgradedV1,
)
from scoring.domain.unit import UnitStatus

DDL = """
CREATE TABLE IF NOT EXISTS scoring_units (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    township text NOT NULL,
    village text,
    parent_id uuid,
    address text NOT NULL,
    status text NOT NULL,
    standard text,
    level int NOT NULL DEFAULT 0,
    title text,
    points int,
    verdict text,
    security_share double precision,
    satisfaction_share double precision,
    notice_ends date,
    open_objections int NOT NULL DEFAULT 0,
    named_on date,
    reinspection_due date,
    barred_until date,
    revocations int NOT NULL DEFAULT 0,
    restorable boolean NOT NULL DEFAULT false,
    open_appeal int,
    opinion_share double precision,
    meeting_held_on date,
    follow_ups int NOT NULL DEFAULT 0,
    last_follow_up date,
    upgrade_barred_until date,
    registered_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS scoring_units_place ON scoring_units (township, village);
CREATE INDEX IF NOT EXISTS scoring_units_reinspection ON scoring_units (reinspection_due)
    WHERE reinspection_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS scoring_follow_ups (
    unit_id uuid NOT NULL,
    position bigint NOT NULL,
    number int NOT NULL,
    visited_on date NOT NULL,
    form text NOT NULL,
    findings text NOT NULL,
    visitors text[] NOT NULL,
    security_share double precision,
    satisfaction_share double precision,
    opinion_share double precision,
    meeting_passed_by double precision,
    PRIMARY KEY (unit_id, position)
);
CREATE TABLE IF NOT EXISTS scoring_revocations (
    unit_id uuid NOT NULL,
    position bigint NOT NULL,
    title text NOT NULL,
    standard text NOT NULL,
    revoked_on date NOT NULL,
    revocation text NOT NULL,
    reason text NOT NULL,
    cause text,
    cause_event_type text,
    cause_event_id text,
    incident_id uuid,
    barred_until date NOT NULL,
    township text NOT NULL,
    unit_name text NOT NULL,
    restorable boolean NOT NULL DEFAULT false,
    correction text,
    corrected_on date,
    correction_reason text,
    correction_event_id text,
    appeal int,
    appeal_lodged_on date,
    appeal_reason text,
    appeal_upheld boolean,
    appeal_decision text,
    appeal_decided_on date,
    restored_on date,
    restoration_grounds text,
    restoration_reason text,
    PRIMARY KEY (unit_id, position)
);
CREATE INDEX IF NOT EXISTS scoring_revocations_when ON scoring_revocations (revoked_on);
CREATE TABLE IF NOT EXISTS scoring_titles (
    unit_id uuid NOT NULL,
    position bigint NOT NULL,
    standard text NOT NULL,
    title text NOT NULL,
    level int NOT NULL,
    named_on date NOT NULL,
    revoked_on date,
    revocation text,
    revocation_reason text,
    restored_on date,
    PRIMARY KEY (unit_id, position)
);
"""


class UnitRegister(Projection):
    name = "unit_register"
    sources = ("SCORING",)
    version = 3
    tables = ("scoring_units", "scoring_revocations", "scoring_titles", "scoring_follow_ups")

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(DDL)

    @handles(UnitRegisteredV1)
    async def registered(self, conn: ViewWriter, e: UnitRegisteredV1, env: Envelope) -> None:
        await conn.insert(
            "scoring_units",
            {
                "id": e.unit_id,
                "kind": e.kind,
                "name": e.name,
                "township": e.township,
                "village": e.village,
                "parent_id": e.parent_id,
                "address": e.address,
                "status": UnitStatus.REGISTERED.value,
                "level": 0,
                "open_objections": 0,
                "revocations": 0,
                "registered_at": e.occurred_at,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(UnitAppliedV1)
    async def applied(self, conn: ViewWriter, e: UnitAppliedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "scoring_units",
            e.unit_id,
            env,
            status=UnitStatus.APPLIED.value,
            standard=e.standard,
        )

    @handles(UnitAssessedV1)
    async def assessed(self, conn: ViewWriter, e: UnitAssessedV1, env: Envelope) -> None:
        if e.upgrade:
            # The unit keeps its title, level and points until an upgraded follows.
            await update_row(
                conn, "scoring_units", e.unit_id, env, upgrade_barred_until=e.barred_until
            )
            return
        passed = e.verdict == "pass"
        await update_row(
            conn,
            "scoring_units",
            e.unit_id,
            env,
            status=(UnitStatus.ASSESSED if passed else UnitStatus.FAILED).value,
            points=e.points,
            verdict=e.verdict,
            security_share=e.security_share,
            satisfaction_share=e.satisfaction_share,
            opinion_share=e.opinion_share,
            meeting_held_on=e.meeting_held_on,
            barred_until=e.barred_until,
        )

    @handles(UnitUpgradedV1)
    async def upgraded(self, conn: ViewWriter, e: UnitUpgradedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "scoring_units",
            e.unit_id,
            env,
            standard=e.standard,
            level=e.level,
            reinspection_due=e.reinspection_due,
            upgrade_barred_until=None,
        )
        await conn.execute(
            "UPDATE scoring_titles SET level = $2, standard = $3"
            " WHERE unit_id = $1 AND revoked_on IS NULL",
            e.unit_id,
            e.level,
            e.standard,
        )

    @handles(UnitFollowedUpV1)
    async def followed_up(self, conn: ViewWriter, e: UnitFollowedUpV1, env: Envelope) -> None:
        await update_row(
            conn,
            "scoring_units",
            e.unit_id,
            env,
            follow_ups=e.number,
            last_follow_up=e.visited_on,
        )
        await conn.insert(
            "scoring_follow_ups",
            {
                "unit_id": e.unit_id,
                "position": env.position,
                "number": e.number,
                "visited_on": e.visited_on,
                "form": e.form,
                "findings": e.findings,
                "visitors": e.visitors,
                "security_share": _share(e.feel_safe, e.households),
                "satisfaction_share": _share(e.satisfied, e.households),
                "opinion_share": _share(e.in_favour, e.respondents),
                "meeting_passed_by": _share(e.votes_for, e.attending),
            },
            key="position",
        )

    @handles(UnitPublicisedV1)
    async def publicised(self, conn: ViewWriter, e: UnitPublicisedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "scoring_units",
            e.unit_id,
            env,
            status=UnitStatus.IN_NOTICE.value,
            notice_ends=e.ends_on,
        )

    @handles(ObjectionLodgedV1)
    async def objection(self, conn: ViewWriter, e: ObjectionLodgedV1, env: Envelope) -> None:
        await update_row(conn, "scoring_units", e.unit_id, env, add={"open_objections": 1})

    @handles(ObjectionSettledV1)
    async def settled(self, conn: ViewWriter, e: ObjectionSettledV1, env: Envelope) -> None:
        changes: dict[str, Any] = {}
        if e.upheld:
            changes = {"status": UnitStatus.FAILED.value, "barred_until": e.barred_until}
        await update_row(
            conn, "scoring_units", e.unit_id, env, add={"open_objections": -1}, **changes
        )

    @handles(UnitNamedV1)
    async def named(self, conn: ViewWriter, e: UnitNamedV1, env: Envelope) -> None:
        await self._titled(
            conn, env, e.unit_id, e.standard, e.title, e.level, e.named_on, e.reinspection_due
        )

    async def _titled(
        self,
        conn: ViewWriter,
        env: Envelope,
        unit_id: UUID,
        standard: str,
        title: str,
        level: int,
        named_on: date | None,
        reinspection_due: date | None,
        restored_on: date | None = None,
        **columns: Any,
    ) -> None:
        """The unit holds a title (named, or given back): on its row and in its titles log."""
        await update_row(
            conn,
            "scoring_units",
            unit_id,
            env,
            status=UnitStatus.NAMED.value,
            standard=standard,
            title=title,
            level=level,
            named_on=named_on,
            reinspection_due=reinspection_due,
            barred_until=None,
            **columns,
        )
        await conn.insert(
            "scoring_titles",
            {
                "unit_id": unit_id,
                "position": env.position,
                "standard": standard,
                "title": title,
                "level": level,
                "named_on": named_on or restored_on,
                "restored_on": restored_on,
            },
            key="position",
        )

    @handles(UnitReinspectedV1)
    async def reinspected(self, conn: ViewWriter, e: UnitReinspectedV1, env: Envelope) -> None:
        await update_row(conn, "scoring_units", e.unit_id, env, reinspection_due=e.reinspection_due)

    @handles(TitleRevokedV1)
    async def revoked(self, conn: ViewWriter, e: TitleRevokedV1, env: Envelope) -> None:
        rows = await conn.fetch("SELECT township, name FROM scoring_units WHERE id = $1", e.unit_id)
        township, name = (rows[0]["township"], rows[0]["name"]) if rows else ("", "")
        await conn.execute(
            "UPDATE scoring_titles SET revoked_on = $2, revocation = $3, revocation_reason = $4"
            " WHERE unit_id = $1 AND revoked_on IS NULL",
            e.unit_id,
            e.revoked_on,
            e.revocation,
            e.reason,
        )
        await update_row(
            conn,
            "scoring_units",
            e.unit_id,
            env,
            add={"revocations": 1},
            restorable=False,
            open_appeal=None,
            status=UnitStatus.REVOKED.value,
            title=None,
            level=0,
            reinspection_due=None,
            barred_until=e.barred_until,
        )
        await conn.insert(
            "scoring_revocations",
            {
                "unit_id": e.unit_id,
                "position": env.position,
                "title": e.title,
                "standard": e.standard,
                "revoked_on": e.revoked_on,
                "revocation": e.revocation,
                "reason": e.reason,
                "cause": e.cause,
                "cause_event_type": e.cause_event_type,
                "cause_event_id": e.cause_event_id,
                "incident_id": e.incident_id,
                "barred_until": e.barred_until,
                "township": township,
                "unit_name": name,
            },
            key="position",
        )

    async def _latest_revocation(self, conn: ViewWriter, unit_id: UUID, **columns: Any) -> None:
        """Corrections, appeals and restorations concern the unit's current revocation."""
        sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=2))
        await conn.execute(
            f"UPDATE scoring_revocations SET {sets} WHERE unit_id = $1 AND position ="  # noqa: S608
            " (SELECT max(position) FROM scoring_revocations WHERE unit_id = $1)",
            unit_id,
            *columns.values(),
        )

    @handles(UnitIncidentCorrectedV1)
    async def corrected(self, conn: ViewWriter, e: UnitIncidentCorrectedV1, env: Envelope) -> None:
        if not e.restorable:
            return
        await update_row(conn, "scoring_units", e.unit_id, env, restorable=True)
        await self._latest_revocation(
            conn,
            e.unit_id,
            restorable=True,
            correction=e.correction,
            corrected_on=e.corrected_on,
            correction_reason=e.reason,
            correction_event_id=e.upstream_event_id,
        )

    @handles(AppealLodgedV1)
    async def appealed(self, conn: ViewWriter, e: AppealLodgedV1, env: Envelope) -> None:
        await update_row(conn, "scoring_units", e.unit_id, env, open_appeal=e.number)
        await self._latest_revocation(
            conn, e.unit_id, appeal=e.number, appeal_lodged_on=e.lodged_on, appeal_reason=e.reason
        )

    @handles(AppealDecidedV1)
    async def appeal_decided(self, conn: ViewWriter, e: AppealDecidedV1, env: Envelope) -> None:
        await update_row(conn, "scoring_units", e.unit_id, env, open_appeal=None)
        await self._latest_revocation(
            conn,
            e.unit_id,
            appeal_upheld=e.upheld,
            appeal_decision=e.reason,
            appeal_decided_on=e.decided_on,
        )

    @handles(TitleRestoredV1)
    async def restored(self, conn: ViewWriter, e: TitleRestoredV1, env: Envelope) -> None:
        await self._titled(
            conn,
            env,
            e.unit_id,
            e.standard,
            e.title,
            e.level,
            e.named_on,
            e.reinspection_due,
            restored_on=e.restored_on,
            restorable=False,
        )
        await self._latest_revocation(
            conn,
            e.unit_id,
            restorable=False,
            restored_on=e.restored_on,
            restoration_grounds=e.grounds,
            restoration_reason=e.reason,
        )


class UnitView(BaseModel):
    id: UUID
    kind: str
    name: str
    township: str
    village: str | None
    parent_id: UUID | None
    address: str
    status: UnitStatus
    standard: str | None = Field(description="The standard version applied or named under")
    level: int
    title: str | None
    points: int | None
    verdict: str | None
    security_share: float | None
    satisfaction_share: float | None
    notice_ends: date | None
    open_objections: int
    named_on: date | None
    reinspection_due: date | None
    reinspection_overdue: bool = Field(description="复查逾期: the re-inspection is past due")
    barred_until: date | None
    revocations: int
    restorable: bool = Field(description="可恢复命名: the cause of its revocation was corrected")
    open_appeal: int | None = Field(description="The number of its undecided appeal (申诉)")
    opinion_share: float | None = Field(description="民意测评: the share in favour, as judged")
    meeting_held_on: date | None = Field(description="代表会议: when it was held")
    follow_ups: int = Field(description="跟踪回访: how many visits were recorded")
    last_follow_up: date | None
    upgrade_barred_until: date | None = Field(
        description="A failed upgrade (升级达标) bars another until this day"
    )
    registered_at: datetime
    position: int


class RevocationView(BaseModel):
    unit_id: UUID
    unit_name: str
    township: str
    title: str
    standard: str
    revoked_on: date
    revocation: str
    reason: str
    cause: str | None
    cause_event_type: str | None
    cause_event_id: str | None
    incident_id: UUID | None
    barred_until: date
    restorable: bool = Field(description="The cause was corrected upstream: may be restored")
    correction: str | None = Field(description="withdrawn (撤案) or downgraded")
    corrected_on: date | None
    correction_reason: str | None
    correction_event_id: str | None = Field(description="The correcting message's ce-id")
    appeal: int | None = Field(description="The number of the appeal (申诉) against it")
    appeal_lodged_on: date | None
    appeal_reason: str | None
    appeal_upheld: bool | None = Field(description="Null while the appeal is undecided")
    appeal_decision: str | None
    appeal_decided_on: date | None
    restored_on: date | None = Field(description="恢复命名: when the title was given back")
    restoration_grounds: str | None = Field(description="correction or appeal")
    restoration_reason: str | None
    position: int


class TitleView(BaseModel):
    standard: str = Field(description="The standard version it was conferred under")
    title: str
    level: int
    named_on: date
    revoked_on: date | None = Field(description="When it was lost; null while it is held")
    revocation: str | None = Field(description="incident, reinspection or decision")
    revocation_reason: str | None
    restored_on: date | None = Field(description="Set when this holding is a restored title")
    position: int


async def list_titles(conn: asyncpg.Connection, unit_id: UUID) -> list[TitleView]:
    """Every title the unit has held, the latest first."""
    rows = await conn.fetch(
        "SELECT * FROM scoring_titles WHERE unit_id = $1 ORDER BY position DESC", unit_id
    )
    out = []
    for row in rows:
        data = dict(row)
        data.pop("unit_id")
        out.append(TitleView.model_validate(data))
    return out


def _unit(row: asyncpg.Record, today: date) -> UnitView:
    data: dict[str, Any] = dict(row)
    data.pop("updated_at")
    due = data["reinspection_due"]
    data["reinspection_overdue"] = due is not None and due < today
    return UnitView.model_validate(data)


async def get_unit(conn: asyncpg.Connection, unit_id: UUID, today: date) -> UnitView | None:
    row = await conn.fetchrow("SELECT * FROM scoring_units WHERE id = $1", unit_id)
    return None if row is None else _unit(row, today)


async def list_units(
    conn: asyncpg.Connection,
    *,
    today: date,
    township: str | None,
    kind: str | None,
    status: UnitStatus | None,
    overdue: bool,
    limit: int,
    offset: int,
) -> tuple[list[UnitView], int]:
    """Overdue re-inspections first, then by place and name."""
    where = """
    WHERE ($1::text IS NULL OR township = $1) AND ($2::text IS NULL OR kind = $2)
      AND ($3::text IS NULL OR status = $3)
      AND (NOT $4::bool OR (reinspection_due IS NOT NULL AND reinspection_due < $5::date))
    """
    args = (township, kind, status, overdue, today)
    total = await conn.fetchval(f"SELECT count(*) FROM scoring_units {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM scoring_units {where}"  # noqa: S608
        " ORDER BY (reinspection_due IS NOT NULL AND reinspection_due < $5::date) DESC,"
        " township, village NULLS FIRST, name, id LIMIT $6 OFFSET $7",
        *args,
        limit,
        offset,
    )
    return [_unit(r, today) for r in rows], int(total)


async def list_revocations(
    conn: asyncpg.Connection,
    *,
    unit_id: UUID | None,
    township: str | None,
    limit: int,
    offset: int,
) -> tuple[list[RevocationView], int]:
    """The latest revocation first."""
    where = "WHERE ($1::uuid IS NULL OR unit_id = $1) AND ($2::text IS NULL OR township = $2)"
    args = (unit_id, township)
    total = await conn.fetchval(f"SELECT count(*) FROM scoring_revocations {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM scoring_revocations {where}"  # noqa: S608
        " ORDER BY revoked_on DESC, position DESC LIMIT $3 OFFSET $4",
        *args,
        limit,
        offset,
    )
    return [RevocationView.model_validate(dict(r)) for r in rows], int(total)


def _share(part: int | None, whole: int | None) -> float | None:
    return None if part is None or not whole else part / whole


class FollowUpView(BaseModel):
    number: int
    visited_on: date
    form: str = Field(description="household_survey, opinion_poll, representative_meeting, visit")
    findings: str
    visitors: list[str]
    security_share: float | None = Field(
        description="入户调查: the share feeling safe, as measured"
    )
    satisfaction_share: float | None
    opinion_share: float | None = Field(description="民意测评: the share in favour, as measured")
    meeting_passed_by: float | None = Field(description="代表会议: votes for over those attending")
    position: int


async def list_follow_ups(conn: asyncpg.Connection, unit_id: UUID) -> list[FollowUpView]:
    """The unit's follow-up visits, the latest first."""
    rows = await conn.fetch(
        "SELECT * FROM scoring_follow_ups WHERE unit_id = $1 ORDER BY visited_on DESC,"
        " position DESC",
        unit_id,
    )
    return [
        FollowUpView.model_validate({k: v for k, v in r.items() if k != "unit_id"}) for r in rows
    ]


class ReinspectionState(StrEnum):
    DUE = "due"  # 待复查: falls due within the window, not yet past
    OVERDUE = "overdue"  # 复查逾期


class ReinspectionView(BaseModel):
    unit_id: UUID
    name: str
    kind: str
    township: str
    village: str | None
    title: str
    level: int
    standard: str
    reinspection_due: date
    days: int = Field(description="Days until it falls due (due), or past it (overdue)")
    last_follow_up: date | None


async def list_reinspections(
    conn: asyncpg.Connection,
    *,
    today: date,
    state: ReinspectionState,
    within_days: int,
    township: str | None,
    limit: int,
    offset: int,
) -> tuple[list[ReinspectionView], int]:
    """Named units whose re-inspection is overdue (the longest overdue first) or falls due
    within `within_days` (the soonest first)."""
    if state is ReinspectionState.OVERDUE:
        # $3 is typed here too: PostgreSQL refuses a parameter it cannot type.
        window = "reinspection_due < $2::date AND $3::date IS NOT NULL"
    else:
        window = "reinspection_due >= $2::date AND reinspection_due <= $3::date"
    where = (
        "WHERE status = 'named' AND reinspection_due IS NOT NULL"
        f" AND ($1::text IS NULL OR township = $1) AND {window}"
    )
    args = (township, today, today + timedelta(days=within_days))
    total = await conn.fetchval(
        f"SELECT count(*) FROM scoring_units {where}",  # noqa: S608
        *args,
    )
    rows = await conn.fetch(
        f"SELECT * FROM scoring_units {where}"  # noqa: S608
        " ORDER BY reinspection_due, township, name, id LIMIT $4 OFFSET $5",
        *args,
        limit,
        offset,
    )
    items = [
        ReinspectionView(
            unit_id=r["id"],
            name=r["name"],
            kind=r["kind"],
            township=r["township"],
            village=r["village"],
            title=r["title"],
            level=r["level"],
            standard=r["standard"],
            reinspection_due=r["reinspection_due"],
            days=abs((r["reinspection_due"] - today).days),
            last_follow_up=r["last_follow_up"],
        )
        for r in rows
    ]
    return items, int(total)
