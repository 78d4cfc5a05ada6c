"""What the API and the jobs ask of the hazard register: one hazard, a filtered page, the
hazards whose deadline check is due. Days are business days: a hazard's age runs from the
date it was found, as stated, to the date it was closed or today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.domain.policy import DeadlineRules
from hazards.domain.status_rules import ON_LEDGER, OPEN, WITH_DEADLINE
from hazards.domain.vocabulary import (
    Category,
    Colour,
    Escalation,
    Grade,
    HazardStatus,
    ListingLevel,
    RejectionReason,
    Source,
)
from hazards.projections.sql import Args
from pingan.api.times import OfficeDateTime

#: Where the hazards API serves a stored file back.
EVIDENCE_PATH = "/api/hazards/hazards/evidence/{sha256}"


class EvidenceShown(BaseModel):
    step: Literal["rectification", "verification"] = Field(
        description="The report of the rectification, or its verification (验收)"
    )
    sha256: str | None = Field(description="null for a reference recorded before files")
    size: int | None
    media_type: str | None
    name: str
    recorded_on: date = Field(description="业务日期: the day of the report or verification")
    href: str | None = Field(description="Where the file is served, with its type")


class HazardView(BaseModel):
    id: UUID
    title: str
    category: Category
    source: Source
    township: str
    village: str
    address: str
    reporter: str = Field(
        description="举报人: to the district office, and to the township officer of the "
        "hazard's township unless anonymous; [已隐藏] to others, [已删除] once forgotten"
    )
    reporter_person_id: UUID | None = None
    reporter_phone: str | None = None
    reporter_id_number: str | None = None
    reporter_anonymous: bool = Field(
        default=False, description="The reporter asked to be known to the district office only"
    )
    description: str
    key_area_id: UUID | None
    round_id: UUID | None
    unit_id: str | None
    status: HazardStatus
    grade: Grade | None
    colour: Colour | None
    likelihood: int | None
    severity: int | None
    file_number: str | None
    grade_reason: str | None = Field(
        default=None, description="定级理由 of a general hazard the matrix rates red"
    )
    determination_basis: str | None = Field(
        default=None, description="判定依据: the standard a major hazard was judged by"
    )
    regulator: str | None = Field(
        default=None, description="The regulator a major hazard was reported to"
    )
    regulator_reported_on: date | None = Field(
        default=None, description="业务日期: the day it was reported to the regulator"
    )
    suspended: bool = Field(
        default=False, description="停产停业: an order to stop production or business is in force"
    )
    suspension_ordered_on: date | None = Field(
        default=None, description="业务日期: the day the current or last suspension was ordered"
    )
    resumption_assessed_on: date | None = Field(
        default=None, description="业务日期: the day of the last expert assessment (专家评估)"
    )
    resumption_passed: bool | None = Field(
        default=None, description="Whether that assessment found it may resume"
    )
    resumed_on: date | None = Field(
        default=None, description="业务日期: the day production or business resumed (复产复业)"
    )
    rejection_reason: RejectionReason | None
    measures: str | None
    deadline: date | None = Field(description="The deadline in force, extended or not")
    original_deadline: date | None = Field(
        default=None, description="The deadline of the plan, before any extension"
    )
    missed_deadline: date | None = Field(
        default=None,
        description="The first deadline the hazard went overdue on; an extension approved later "
        "does not erase it, and on_time is judged against it",
    )
    deadline_reminded_on: date | None = Field(
        default=None, description="临期提醒: the day the reminder of the current deadline was due"
    )
    responsible_unit: str | None
    responsible_person: str | None
    batch: str | None
    interim_controls: int
    returned_for_rectification: int = Field(
        description="退回整改: how many times acceptance failed and sent it back to rectifying"
    )
    on_ledger: bool = Field(
        description="挂账: on the open-items ledger under supervision, from filing until it "
        "is struck off (销号) at closure"
    )
    pending_extension: date | None
    extensions_granted: int
    overdue: bool
    overdue_since: date | None
    escalation_level: int
    listing_level: ListingLevel | None
    supervising_unit: str | None
    listed_on: date | None = Field(description="业务日期: the day the current listing began")
    on_time: bool | None
    found_on: date = Field(description="业务日期: the day the hazard was found, as reported")
    reported_at: OfficeDateTime = Field(description="When the report was recorded")
    filed_on: date | None = Field(description="业务日期: the day it was filed (建档)")
    filed_at: OfficeDateTime | None = Field(description="When the filing was recorded")
    rectification_reported_on: date | None = Field(
        description="业务日期: the day the rectification was reported done"
    )
    rectification_reported_at: OfficeDateTime | None = Field(
        description="When that report was recorded"
    )
    verified_on: date | None
    rejected_on: date | None = Field(description="业务日期: the day the report was rejected")
    rejected_at: OfficeDateTime | None = Field(description="When the rejection was recorded")
    closed_on: date | None = Field(description="业务日期: the day it was struck off (销号)")
    closed_at: OfficeDateTime | None = Field(description="When the closing was recorded")
    days_open: int = Field(description="Days from found_on to closed_on, or to today")
    days_to_deadline: int | None
    days_overdue: int | None
    position: int
    evidence: list[EvidenceShown] = Field(
        default_factory=list,
        description="Files of the rectification reports and verifications, oldest first",
    )


def overdue_sql(today: str, with_deadline: str, table: str = "") -> str:
    """`status_rules.is_overdue` in SQL: never NULL, false without a deadline."""
    t = f"{table}." if table else ""
    return (
        f"({t}status = ANY({with_deadline}::text[]) AND ({t}overdue_since IS NOT NULL"
        f" OR ({t}deadline IS NOT NULL AND {t}deadline < {today}::date)))"
    )


def on_time_sql(verified_on: str, deadline: str, missed_deadline: str) -> str:
    """`status_rules.is_on_time` in SQL, NULL while not verified."""
    judged = f"COALESCE({missed_deadline}, {deadline})"
    return (
        f"(CASE WHEN {verified_on} IS NULL THEN NULL"
        f" ELSE ({judged} IS NULL OR {verified_on} <= {judged}) END)"
    )


def open_sql(open_states: str, table: str = "") -> str:
    t = f"{table}." if table else ""
    return f"({t}status = ANY({open_states}::text[]))"


def states(statuses: tuple[HazardStatus, ...]) -> list[str]:
    return [status.value for status in statuses]


@dataclass
class RegisterQuery:
    """The register's rows with their derived columns, narrowed one condition at a time."""

    today: date
    args: Args = field(default_factory=Args)
    conditions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._today = self.args(self.today)
        self._with_deadline = self.args(states(WITH_DEADLINE))
        self._on_ledger = self.args(states(ON_LEDGER))

    def equal(self, column: str, value: Any) -> None:
        if value is not None:
            self.conditions.append(f"{column} = {self.args(value)}")

    def listed(self, value: bool | None) -> None:
        if value is not None:
            self.conditions.append(f"listing_level IS {'NOT ' if value else ''}NULL")

    def open_only(self) -> None:
        self.conditions.append(open_sql(self.args(states(OPEN))))

    def add(self, condition: str) -> None:
        self.conditions.append(condition)

    @property
    def rows(self) -> str:
        today = self._today
        overdue = overdue_sql(today, self._with_deadline)
        running = f"status = ANY({self._with_deadline}::text[])"
        derived = f"""
            {overdue} AS overdue,
            (status = ANY({self._on_ledger}::text[])) AS on_ledger,
            (COALESCE(closed_on, {today}::date) - found_on) AS days_open,
            CASE WHEN {running} THEN deadline - {today}::date END AS days_to_deadline,
            CASE WHEN {overdue} THEN {today}::date - deadline END AS days_overdue
        """
        where = f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""
        return f"SELECT * FROM (SELECT *, {derived} FROM hazard_register) AS r {where}"  # noqa: S608

    async def fetch(
        self, conn: asyncpg.Connection, order: str, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        total = await conn.fetchval(f"SELECT count(*) FROM ({self.rows}) AS c", *self.args.values)  # noqa: S608
        rows = await conn.fetch(
            f"{self.rows} ORDER BY {order} LIMIT {self.args(limit)} OFFSET {self.args(offset)}",
            *self.args.values,
        )
        return [dict(r) for r in rows], int(total)


@dataclass(frozen=True)
class RegisterFilter:
    status: HazardStatus | None = None
    category: Category | None = None
    grade: Grade | None = None
    colour: Colour | None = None
    township: str | None = None
    village: str | None = None
    key_area_id: UUID | None = None
    round_id: UUID | None = None
    overdue: bool | None = None
    listed: bool | None = None
    open_only: bool = False


#: Overdue first, then the oldest deadline, then the latest found (the latest recorded of a day).
REGISTER_ORDER = "overdue DESC, deadline ASC NULLS LAST, found_on DESC, reported_at DESC, id"


async def get_hazard(conn: asyncpg.Connection, hazard_id: UUID, today: date) -> HazardView | None:
    query = RegisterQuery(today)
    query.equal("id", hazard_id)
    rows, _ = await query.fetch(conn, "id", 1, 0)
    if not rows:
        return None
    (view,) = await _with_evidence(conn, rows)
    return view


async def list_hazards(
    conn: asyncpg.Connection,
    flt: RegisterFilter,
    today: date,
    limit: int,
    offset: int,
) -> tuple[list[HazardView], int]:
    query = RegisterQuery(today)
    for column in (
        "status",
        "category",
        "grade",
        "colour",
        "township",
        "village",
        "key_area_id",
        "round_id",
        "overdue",
    ):
        query.equal(column, getattr(flt, column))
    query.listed(flt.listed)
    if flt.open_only:
        query.open_only()
    rows, total = await query.fetch(conn, REGISTER_ORDER, limit, offset)
    return await _with_evidence(conn, rows), total


async def _with_evidence(conn: asyncpg.Connection, rows: list[dict[str, Any]]) -> list[HazardView]:
    found = await conn.fetch(
        "SELECT hazard_id, step, sha256, size, media_type, name, recorded_on"
        " FROM hazard_evidence WHERE hazard_id = ANY($1::uuid[]) ORDER BY position, ordinal",
        [r["id"] for r in rows],
    )
    files: dict[UUID, list[EvidenceShown]] = {}
    for f in found:
        sha256 = f["sha256"]
        href = EVIDENCE_PATH.format(sha256=sha256) if sha256 else None
        shown = EvidenceShown.model_validate({**dict(f), "href": href})
        files.setdefault(f["hazard_id"], []).append(shown)
    return [HazardView.model_validate({**r, "evidence": files.get(r["id"], [])}) for r in rows]


async def deadline_check_candidates(
    conn: asyncpg.Connection, today: date, rules: DeadlineRules | None = None
) -> list[UUID]:
    """Hazards with a running deadline that has passed and an escalation still to climb (or,
    when the rules list overdue major hazards, a major one not yet listed), and those whose
    deadline is near enough for the reminder not yet given for it."""
    rules = rules or DeadlineRules()
    rows = await conn.fetch(
        "SELECT id FROM hazard_register"
        " WHERE status = ANY($1::text[]) AND ("
        "   (deadline < $2 AND (escalation_level < $3"
        "      OR ($5 AND grade = $6 AND listing_level IS NULL)))"
        "   OR ($4 > 0 AND deadline BETWEEN $2 AND $2 + $4"
        "      AND deadline_reminded_for IS DISTINCT FROM deadline))"
        " ORDER BY deadline, id",
        states(WITH_DEADLINE),
        today,
        max(Escalation).value,
        rules.approaching_days,
        rules.list_overdue_major,
        Grade.MAJOR.value,
    )
    return [row["id"] for row in rows]


class DeadlineEntry(BaseModel):
    fact: str = Field(
        description="planned (the plan's deadline), extended (an approved extension), "
        "approaching (临期提醒), overdue (the deadline was missed)"
    )
    deadline: date
    dated_on: date = Field(
        description="业务日期: the day of the fact (for overdue, the first day overdue)"
    )
    recorded_at: OfficeDateTime
    by: str | None
    position: int


class ListingEntry(BaseModel):
    act: str = Field(description="listed, raised (to the city or province) or lifted")
    level: ListingLevel | None
    supervising_unit: str | None
    reason: str | None
    by: str | None
    dated_on: date = Field(description="业务日期: the day of the act")
    recorded_at: OfficeDateTime
    position: int


class DeadlineHistory(BaseModel):
    """A hazard's deadlines, from the plan through each extension, and its listings."""

    deadlines: list[DeadlineEntry]
    listings: list[ListingEntry]


async def deadline_history(conn: asyncpg.Connection, hazard_id: UUID) -> DeadlineHistory:
    deadlines = await conn.fetch(
        "SELECT fact, deadline, dated_on, recorded_at, by, position"
        " FROM hazard_deadline_history WHERE hazard_id = $1 ORDER BY position",
        hazard_id,
    )
    listings = await conn.fetch(
        "SELECT act, level, supervising_unit, reason, by, dated_on, recorded_at, position"
        " FROM hazard_listing_history WHERE hazard_id = $1 ORDER BY position",
        hazard_id,
    )
    return DeadlineHistory(
        deadlines=[DeadlineEntry.model_validate(dict(r)) for r in deadlines],
        listings=[ListingEntry.model_validate(dict(r)) for r in listings],
    )
