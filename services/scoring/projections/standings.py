"""The standings view (排名/评比): per township, the facts a period's standing is computed
from, read from all three streams (SCORING for units, assessments, titles and revocations;
HAZARDS for deadlines and on-time closure; CAMPAIGNS for cases and early warnings), with its
queries: a period's figures per township, the league tables of units, and the lists the
monthly and quarterly reports show.

The view keeps facts with their business dates rather than monthly counters, so that a
period is any run of days, a backdated fact lands in its own month, and a withdrawn case or a
restored title leaves every period it touched.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row
from scoring.contracts.incident import IncidentNotedV1
from scoring.contracts.restoration import TitleRestoredV1
from scoring.contracts.unit import (
    TitleRevokedV1,
    UnitAssessedV1,
    UnitNamedV1,
    UnitRegisteredV1,
    UnitReinspectedV1,
)
from scoring.domain.period import Period
from scoring.domain.standing import Figures
from scoring.projections import upstream as up

DDL = """
CREATE TABLE IF NOT EXISTS scoring_standing_units (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    township text,
    village text,
    registered_on date NOT NULL,
    title text,
    level int NOT NULL DEFAULT 0,
    points int,
    assessed_on date,
    reinspection_due date,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS scoring_standing_assessments (
    position bigint PRIMARY KEY,
    unit_id uuid NOT NULL,
    township text,
    assessed_on date NOT NULL,
    points int NOT NULL,
    security_share double precision
);
CREATE TABLE IF NOT EXISTS scoring_standing_titles (
    position bigint PRIMARY KEY,
    unit_id uuid NOT NULL,
    township text,
    title text NOT NULL,
    level int NOT NULL,
    held_from date NOT NULL,
    restored boolean NOT NULL,
    revoked_on date
);
CREATE TABLE IF NOT EXISTS scoring_standing_revocations (
    position bigint PRIMARY KEY,
    unit_id uuid NOT NULL,
    township text,
    unit_name text NOT NULL,
    title text NOT NULL,
    revoked_on date NOT NULL,
    revocation text NOT NULL,
    reason text NOT NULL,
    cause text,
    incident_id uuid,
    restored_on date
);
CREATE TABLE IF NOT EXISTS scoring_standing_incidents (
    id uuid PRIMARY KEY,
    source text NOT NULL,
    upstream_id uuid NOT NULL
);
CREATE TABLE IF NOT EXISTS scoring_standing_hazards (
    id uuid PRIMARY KEY,
    township text NOT NULL,
    deadline date,
    missed_deadline date,
    closed_on date,
    on_time boolean
);
CREATE TABLE IF NOT EXISTS scoring_standing_cases (
    id uuid PRIMARY KEY,
    township text NOT NULL,
    category text NOT NULL,
    registered_on date NOT NULL,
    solved_on date,
    withdrawn boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS scoring_standing_warnings (
    id uuid PRIMARY KEY,
    area text NOT NULL,
    month text NOT NULL
);
"""

CRIMINAL = "criminal"
DISTRICT_KIND = "district"


class _Dated(Protocol):
    @property
    def occurred_at(self) -> Any: ...

    @property
    def business_date(self) -> date | None: ...


class Standings(Projection):
    name = "standings"
    sources = ("SCORING", "HAZARDS", "CAMPAIGNS")
    version = 2
    tables = (
        "scoring_standing_units",
        "scoring_standing_assessments",
        "scoring_standing_titles",
        "scoring_standing_revocations",
        "scoring_standing_incidents",
        "scoring_standing_hazards",
        "scoring_standing_cases",
        "scoring_standing_warnings",
    )

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(DDL)

    def day(self, event: _Dated) -> date:
        """The stated business date, else the office's date of the recording time."""
        if event.business_date is not None:
            return event.business_date
        stated: date = event.occurred_at.astimezone(self.zone).date()
        return stated

    async def _unit(self, conn: ViewWriter, unit_id: UUID) -> asyncpg.Record | None:
        return await conn.fetchrow(
            "SELECT township, name FROM scoring_standing_units WHERE id = $1", unit_id
        )

    # ---- SCORING ----------------------------------------------------------------------------

    @handles(UnitRegisteredV1)
    async def registered(self, conn: ViewWriter, e: UnitRegisteredV1, env: Envelope) -> None:
        await conn.insert(
            "scoring_standing_units",
            {
                "id": e.unit_id,
                "kind": e.kind,
                "name": e.name,
                # The district's own unit stands in no township's figures, only the district's.
                "township": None if e.kind == DISTRICT_KIND else e.township,
                "village": e.village,
                "registered_on": self.day(e),
                "level": 0,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(UnitAssessedV1)
    async def assessed(self, conn: ViewWriter, e: UnitAssessedV1, env: Envelope) -> None:
        unit = await self._unit(conn, e.unit_id)
        await conn.insert(
            "scoring_standing_assessments",
            {
                "position": env.position,
                "unit_id": e.unit_id,
                "township": unit["township"] if unit else None,
                "assessed_on": e.assessed_on,
                "points": e.points,
                "security_share": e.security_share,
            },
            key="position",
        )
        await update_row(
            conn,
            "scoring_standing_units",
            e.unit_id,
            env,
            points=e.points,
            assessed_on=e.assessed_on,
        )

    async def _held(
        self,
        conn: ViewWriter,
        env: Envelope,
        unit_id: UUID,
        title: str,
        level: int,
        held_from: date,
        reinspection_due: date | None,
        *,
        restored: bool,
    ) -> None:
        unit = await self._unit(conn, unit_id)
        await conn.insert(
            "scoring_standing_titles",
            {
                "position": env.position,
                "unit_id": unit_id,
                "township": unit["township"] if unit else None,
                "title": title,
                "level": level,
                "held_from": held_from,
                "restored": restored,
            },
            key="position",
        )
        await update_row(
            conn,
            "scoring_standing_units",
            unit_id,
            env,
            title=title,
            level=level,
            reinspection_due=reinspection_due,
        )

    @handles(UnitNamedV1)
    async def named(self, conn: ViewWriter, e: UnitNamedV1, env: Envelope) -> None:
        await self._held(
            conn, env, e.unit_id, e.title, e.level, e.named_on, e.reinspection_due, restored=False
        )

    @handles(TitleRestoredV1)
    async def restored(self, conn: ViewWriter, e: TitleRestoredV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE scoring_standing_revocations SET restored_on = $2 WHERE position ="
            " (SELECT max(position) FROM scoring_standing_revocations WHERE unit_id = $1)",
            e.unit_id,
            e.restored_on,
        )
        await self._held(
            conn,
            env,
            e.unit_id,
            e.title,
            e.level,
            e.restored_on,
            e.reinspection_due,
            restored=True,
        )

    @handles(UnitReinspectedV1)
    async def reinspected(self, conn: ViewWriter, e: UnitReinspectedV1, env: Envelope) -> None:
        await update_row(
            conn, "scoring_standing_units", e.unit_id, env, reinspection_due=e.reinspection_due
        )

    @handles(TitleRevokedV1)
    async def revoked(self, conn: ViewWriter, e: TitleRevokedV1, env: Envelope) -> None:
        unit = await self._unit(conn, e.unit_id)
        await conn.execute(
            "UPDATE scoring_standing_titles SET revoked_on = $2"
            " WHERE unit_id = $1 AND revoked_on IS NULL",
            e.unit_id,
            e.revoked_on,
        )
        await conn.insert(
            "scoring_standing_revocations",
            {
                "position": env.position,
                "unit_id": e.unit_id,
                "township": unit["township"] if unit else None,
                "unit_name": unit["name"] if unit else "",
                "title": e.title,
                "revoked_on": e.revoked_on,
                "revocation": e.revocation,
                "reason": e.reason,
                "cause": e.cause,
                "incident_id": e.incident_id,
            },
            key="position",
        )
        await update_row(
            conn,
            "scoring_standing_units",
            e.unit_id,
            env,
            title=None,
            level=0,
            reinspection_due=None,
        )

    @handles(IncidentNotedV1)
    async def incident_noted(self, conn: ViewWriter, e: IncidentNotedV1, env: Envelope) -> None:
        """So that a revocation names the case, incident or accident upstream that caused it."""
        await conn.insert(
            "scoring_standing_incidents",
            {"id": e.incident_id, "source": e.source, "upstream_id": e.upstream_id},
        )

    # ---- HAZARDS ----------------------------------------------------------------------------

    @handles(up.HazardReported)
    async def hazard_reported(self, conn: ViewWriter, e: up.HazardReported, env: Envelope) -> None:
        await conn.insert("scoring_standing_hazards", {"id": e.hazard_id, "township": e.township})

    @handles(up.HazardPlanned)
    async def hazard_planned(self, conn: ViewWriter, e: up.HazardPlanned, env: Envelope) -> None:
        await conn.update("scoring_standing_hazards", e.hazard_id, {"deadline": e.deadline})

    @handles(up.HazardExtensionApproved)
    async def hazard_extended(
        self, conn: ViewWriter, e: up.HazardExtensionApproved, env: Envelope
    ) -> None:
        await conn.update("scoring_standing_hazards", e.hazard_id, {"deadline": e.new_deadline})

    @handles(up.HazardBecameOverdue)
    async def hazard_overdue(
        self, conn: ViewWriter, e: up.HazardBecameOverdue, env: Envelope
    ) -> None:
        # On time is judged against the first deadline missed: a later extension keeps it.
        await conn.execute(
            "UPDATE scoring_standing_hazards SET missed_deadline = COALESCE(missed_deadline, $2)"
            " WHERE id = $1",
            e.hazard_id,
            e.deadline,
        )

    @handles(up.HazardClosed)
    async def hazard_closed(self, conn: ViewWriter, e: up.HazardClosed, env: Envelope) -> None:
        await conn.update(
            "scoring_standing_hazards",
            e.hazard_id,
            {"township": e.township, "closed_on": self.day(e), "on_time": e.on_time},
        )

    # ---- CAMPAIGNS --------------------------------------------------------------------------

    @handles(up.CaseRegistered)
    async def case_registered(self, conn: ViewWriter, e: up.CaseRegistered, env: Envelope) -> None:
        await conn.insert(
            "scoring_standing_cases",
            {
                "id": e.case_id,
                "township": e.township,
                "category": e.category,
                "registered_on": e.registered_on,
                "withdrawn": False,
            },
        )

    @handles(up.CaseReclassified)
    async def case_reclassified(
        self, conn: ViewWriter, e: up.CaseReclassified, env: Envelope
    ) -> None:
        await conn.update(
            "scoring_standing_cases", e.case_id, {"category": e.category, "township": e.township}
        )

    @handles(up.CaseSolved)
    async def case_solved(self, conn: ViewWriter, e: up.CaseSolved, env: Envelope) -> None:
        await conn.update("scoring_standing_cases", e.case_id, {"solved_on": e.solved_on})

    @handles(up.CaseWithdrawn)
    async def case_withdrawn(self, conn: ViewWriter, e: up.CaseWithdrawn, env: Envelope) -> None:
        await conn.update("scoring_standing_cases", e.case_id, {"withdrawn": True})

    @handles(up.WarningRaised)
    async def warning_raised(self, conn: ViewWriter, e: up.WarningRaised, env: Envelope) -> None:
        await conn.insert(
            "scoring_standing_warnings", {"id": e.warning_id, "area": e.area, "month": e.month}
        )


# ---- queries ----------------------------------------------------------------------------------

FIGURES = """
WITH units AS (
    SELECT township, count(*) AS units FROM scoring_standing_units
    WHERE registered_on <= $2 GROUP BY township
), named AS (
    SELECT township, count(DISTINCT unit_id) AS named FROM scoring_standing_titles
    WHERE held_from <= $2 AND (revoked_on IS NULL OR revoked_on > $2) GROUP BY township
), latest AS (
    SELECT DISTINCT ON (unit_id) township, points, security_share
    FROM scoring_standing_assessments WHERE assessed_on <= $2
    ORDER BY unit_id, assessed_on DESC, position DESC
), scores AS (
    SELECT township, count(*) AS assessed, sum(points) AS points,
           count(security_share) AS surveyed, coalesce(sum(security_share), 0) AS security
    FROM latest GROUP BY township
), revoked AS (
    SELECT township, count(*) AS revocations FROM scoring_standing_revocations
    WHERE revoked_on BETWEEN $1 AND $2 AND restored_on IS NULL GROUP BY township
), hazards AS (
    SELECT township, count(*) AS hazards_due, count(*) FILTER (WHERE on_time) AS hazards_on_time
    FROM scoring_standing_hazards
    WHERE coalesce(missed_deadline, deadline) BETWEEN $1 AND $2 GROUP BY township
), cases AS (
    SELECT township, count(*) AS cases_registered,
           count(*) FILTER (WHERE solved_on <= $2) AS cases_solved
    FROM scoring_standing_cases
    WHERE category = $4 AND NOT withdrawn AND registered_on BETWEEN $1 AND $2 GROUP BY township
), warned AS (
    SELECT area AS township, count(*) AS warnings FROM scoring_standing_warnings
    WHERE month = ANY($3::text[]) GROUP BY area
), places AS (
    SELECT township FROM units UNION SELECT township FROM named UNION SELECT township FROM scores
    UNION SELECT township FROM revoked UNION SELECT township FROM hazards
    UNION SELECT township FROM cases UNION SELECT township FROM warned
)
SELECT p.township,
       coalesce(u.units, 0) AS units, coalesce(n.named, 0) AS named,
       coalesce(s.assessed, 0) AS assessed, coalesce(s.points, 0) AS points,
       coalesce(s.surveyed, 0) AS surveyed, coalesce(s.security, 0) AS security,
       coalesce(r.revocations, 0) AS revocations,
       coalesce(h.hazards_due, 0) AS hazards_due, coalesce(h.hazards_on_time, 0) AS hazards_on_time,
       coalesce(c.cases_registered, 0) AS cases_registered,
       coalesce(c.cases_solved, 0) AS cases_solved, coalesce(w.warnings, 0) AS warnings
FROM places p
LEFT JOIN units u ON u.township IS NOT DISTINCT FROM p.township
LEFT JOIN named n ON n.township IS NOT DISTINCT FROM p.township
LEFT JOIN scores s ON s.township IS NOT DISTINCT FROM p.township
LEFT JOIN revoked r ON r.township IS NOT DISTINCT FROM p.township
LEFT JOIN hazards h ON h.township IS NOT DISTINCT FROM p.township
LEFT JOIN cases c ON c.township IS NOT DISTINCT FROM p.township
LEFT JOIN warned w ON w.township IS NOT DISTINCT FROM p.township
"""


async def figures(conn: asyncpg.Connection, period: Period) -> dict[str | None, Figures]:
    """The period's figures per township; the key None (units without a township) and 全区
    (the district's own warnings) hold what belongs to the district alone."""
    rows = await conn.fetch(FIGURES, period.first, period.last, period.months, CRIMINAL)
    out: dict[str | None, Figures] = {}
    for row in rows:
        data = dict(row)
        place = data.pop("township")
        data["points"] = int(data["points"])
        data["security"] = float(data["security"])
        out[place] = Figures(**data)
    return out


class LeagueEntry(BaseModel):
    rank: int = Field(description="Equal points share a rank")
    unit_id: UUID
    kind: str
    name: str
    township: str | None
    village: str | None
    points: int | None = Field(description="The latest assessment's points (out of 100)")
    assessed_on: date | None
    title: str | None = Field(description="The title held now, if any")
    level: int


async def league(
    conn: asyncpg.Connection, kind: str | None, township: str | None
) -> list[LeagueEntry]:
    """Units by their latest assessment's points, the highest first; titled units before
    untitled ones of equal points, then by name."""
    rows = await conn.fetch(
        "SELECT id AS unit_id, kind, name, township, village, points, assessed_on, title, level,"
        " rank() OVER (PARTITION BY kind ORDER BY points DESC NULLS LAST) AS rank"
        " FROM scoring_standing_units"
        " WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR township = $2)"
        " ORDER BY kind, points DESC NULLS LAST, level DESC, name",
        kind,
        township,
    )
    return [LeagueEntry.model_validate(dict(r)) for r in rows]


class NamedEntry(BaseModel):
    unit_id: UUID
    name: str
    kind: str
    township: str | None
    title: str
    level: int
    held_from: date = Field(description="命名 (or restoration) date")
    restored: bool = Field(description="A revoked title given back (correction or appeal)")


class RevokedEntry(BaseModel):
    unit_id: UUID
    name: str
    township: str | None
    title: str
    revoked_on: date
    revocation: str = Field(description="incident (摘牌制), reinspection or decision")
    cause: str | None = Field(description="major_case, mass_incident or safety_accident")
    reason: str
    incident_id: UUID | None = Field(description="The incident (摘牌制) that caused it, if any")
    source: str | None = Field(description="The incident's upstream stream: CAMPAIGNS or HAZARDS")
    upstream_id: UUID | None = Field(
        description="The case, mass incident or accident upstream that caused it"
    )
    restored_on: date | None = Field(description="Given back since: not counted as revoked")


class ReinspectionEntry(BaseModel):
    unit_id: UUID
    name: str
    kind: str
    township: str | None
    title: str
    reinspection_due: date
    overdue: bool = Field(description="Due before today and not yet re-inspected")


async def named_in(
    conn: asyncpg.Connection, period: Period, township: str | None
) -> list[NamedEntry]:
    rows = await conn.fetch(
        "SELECT t.unit_id, u.name, u.kind, t.township, t.title, t.level, t.held_from, t.restored"
        " FROM scoring_standing_titles t JOIN scoring_standing_units u ON u.id = t.unit_id"
        " WHERE t.held_from BETWEEN $1 AND $2 AND ($3::text IS NULL OR t.township = $3)"
        " ORDER BY t.held_from, t.position",
        period.first,
        period.last,
        township,
    )
    return [NamedEntry.model_validate(dict(r)) for r in rows]


async def revoked_in(
    conn: asyncpg.Connection, period: Period, township: str | None
) -> list[RevokedEntry]:
    rows = await conn.fetch(
        "SELECT r.unit_id, r.unit_name AS name, r.township, r.title, r.revoked_on,"
        " r.revocation, r.cause, r.reason, r.incident_id, i.source, i.upstream_id,"
        " r.restored_on FROM scoring_standing_revocations r"
        " LEFT JOIN scoring_standing_incidents i ON i.id = r.incident_id"
        " WHERE r.revoked_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR r.township = $3)"
        " ORDER BY r.revoked_on, r.position",
        period.first,
        period.last,
        township,
    )
    return [RevokedEntry.model_validate(dict(r)) for r in rows]


async def reinspections(
    conn: asyncpg.Connection, period: Period, today: date, township: str | None
) -> list[ReinspectionEntry]:
    """Titled units whose re-inspection falls due by the period's end and is not yet done."""
    rows = await conn.fetch(
        "SELECT id AS unit_id, name, kind, township, title, reinspection_due,"
        " reinspection_due < $2 AS overdue FROM scoring_standing_units"
        " WHERE title IS NOT NULL AND reinspection_due <= $1"
        " AND ($3::text IS NULL OR township = $3) ORDER BY reinspection_due, name",
        period.last,
        today,
        township,
    )
    return [ReinspectionEntry.model_validate(dict(r)) for r in rows]
