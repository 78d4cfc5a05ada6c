"""The hazard register's tables and the handlers that keep them: one row per hazard with its
current state, from the HAZARDS stream. Each dated step keeps its business date (`*_on`, when
it happened as stated) beside its recording time (`*_at`).

Beside the current state, the register keeps two histories, one row per fact, never changed
once written: `hazard_deadline_history` (each deadline as planned and as extended, the
reminder before it and the overdue mark after it) and `hazard_listing_history` (listed, raised,
lifted). Each row holds the business date (`dated_on`) and the recording time (`recorded_at`), so
that a report can answer with what was recorded by a given time (see `reports`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import asyncpg

from hazards.contracts.hazard import (
    DeadlineApproachingV1,
    EvidenceFile,
    ExtensionApprovedV1,
    ExtensionRejectedV1,
    ExtensionRequestedV1,
    HazardBecameOverdueV1,
    HazardClosedV1,
    HazardClosedV2,
    HazardEscalatedV1,
    HazardEvent,
    HazardFiledV1,
    HazardListedForSupervisionV1,
    HazardListingLiftedV1,
    HazardListingRaisedV1,
    HazardRejectedV1,
    HazardReportedV1,
    InterimControlRecordedV1,
    MajorHazardReportedToRegulatorV1,
    RectificationPlannedV1,
    RectificationReportedV1,
    RectificationReportedV2,
    RectificationScheduledV1,
    RectificationStartedV1,
    RectificationVerifiedV1,
    RectificationVerifiedV2,
    ResponsibilityAssignedV1,
    ResumptionAssessedV1,
    SuspensionLiftedV1,
    SuspensionOrderedV1,
    VerificationFailedV1,
    VerificationFailedV2,
)
from hazards.domain.status_rules import SETTLED
from hazards.projections.business_dates import DatedView
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import handles, update_row

SETTLED_LIST = ", ".join(f"'{status.value}'" for status in SETTLED)
REGISTER_DDL = f"""
CREATE TABLE IF NOT EXISTS hazard_register (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    category text NOT NULL,
    source text NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    address text NOT NULL,
    reporter text NOT NULL,
    reporter_person_id uuid,
    reporter_phone text,
    reporter_id_number text,
    reporter_anonymous boolean NOT NULL DEFAULT false,
    description text NOT NULL DEFAULT '',
    key_area_id uuid,
    round_id uuid,
    unit_id text,
    status text NOT NULL,
    grade text,
    colour text,
    likelihood int,
    severity int,
    file_number text,
    grade_reason text,
    determination_basis text,
    regulator text,
    regulator_reported_on date,
    suspended boolean NOT NULL DEFAULT false,
    suspension_ordered_on date,
    resumption_assessed_on date,
    resumption_passed boolean,
    resumed_on date,
    rejection_reason text,
    measures text,
    deadline date,
    original_deadline date,
    missed_deadline date,
    deadline_reminded_for date,
    deadline_reminded_on date,
    responsible_unit text,
    responsible_person text,
    batch text,
    interim_controls int NOT NULL DEFAULT 0,
    returned_for_rectification int NOT NULL DEFAULT 0,
    pending_extension date,
    extensions_granted int NOT NULL DEFAULT 0,
    overdue_since date,
    escalation_level int NOT NULL DEFAULT 0,
    listing_level text,
    supervising_unit text,
    listed_on date,
    on_time boolean,
    found_on date NOT NULL,
    reported_at timestamptz NOT NULL,
    filed_on date,
    filed_at timestamptz,
    rectification_reported_on date,
    rectification_reported_at timestamptz,
    verified_on date,
    verified_at timestamptz,
    closed_on date,
    closed_at timestamptz,
    rejected_on date,
    rejected_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS hazard_register_status ON hazard_register (status);
CREATE INDEX IF NOT EXISTS hazard_register_township ON hazard_register (township, found_on);
CREATE INDEX IF NOT EXISTS hazard_register_key_area ON hazard_register (key_area_id);
CREATE INDEX IF NOT EXISTS hazard_register_deadline ON hazard_register (deadline)
    WHERE status NOT IN ({SETTLED_LIST});
CREATE TABLE IF NOT EXISTS hazard_deadline_history (
    position bigint PRIMARY KEY,
    hazard_id uuid NOT NULL,
    fact text NOT NULL,
    deadline date NOT NULL,
    dated_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    by text
);
CREATE INDEX IF NOT EXISTS hazard_deadline_history_hazard
    ON hazard_deadline_history (hazard_id, position);
CREATE TABLE IF NOT EXISTS hazard_listing_history (
    position bigint PRIMARY KEY,
    hazard_id uuid NOT NULL,
    act text NOT NULL,
    level text,
    supervising_unit text,
    reason text,
    by text,
    dated_on date NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS hazard_listing_history_hazard
    ON hazard_listing_history (hazard_id, position);
CREATE TABLE IF NOT EXISTS hazard_evidence (
    hazard_id uuid NOT NULL,
    position bigint NOT NULL,
    ordinal int NOT NULL,
    step text NOT NULL,
    sha256 text,
    size bigint,
    media_type text,
    name text NOT NULL,
    recorded_on date NOT NULL,
    PRIMARY KEY (hazard_id, position, ordinal)
);
"""

#: The facts of the deadline history.
PLANNED, EXTENDED, APPROACHING, OVERDUE = "planned", "extended", "approaching", "overdue"
#: The acts of the listing history.
LISTED, RAISED, LIFTED = "listed", "raised", "lifted"

EVIDENCE_INSERT = (
    "INSERT INTO hazard_evidence (hazard_id, position, ordinal, step, sha256, size, media_type,"
    " name, recorded_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
)


async def update(
    conn: ViewWriter,
    hazard_id: UUID,
    env: Envelope,
    *,
    add: Mapping[str, int] | None = None,
    **columns: Any,
) -> None:
    await update_row(conn, "hazard_register", hazard_id, env, add=add, **columns)


class HazardRegister(DatedView):
    """Every hazard with its current state."""

    name = "hazard_register"
    sources = ("HAZARDS",)
    version = 6
    tables = (
        "hazard_register",
        "hazard_deadline_history",
        "hazard_listing_history",
        "hazard_evidence",
    )

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(REGISTER_DDL)

    @handles(HazardReportedV1)
    async def reported(self, conn: ViewWriter, e: HazardReportedV1, env: Envelope) -> None:
        await conn.insert(
            "hazard_register",
            {
                "id": e.hazard_id,
                "title": e.title,
                "category": e.category.value,
                "source": e.source.value,
                "township": e.township,
                "village": e.village,
                "address": e.address,
                # Sealed as published: the register never holds a reporter's plaintext.
                "reporter": e.reporter,
                "reporter_person_id": e.reporter_person_id,
                "reporter_phone": e.reporter_phone,
                "reporter_id_number": e.reporter_id_number,
                "reporter_anonymous": e.reporter_anonymous,
                "description": e.description,
                "key_area_id": e.key_area_id,
                "round_id": e.round_id,
                "unit_id": e.unit_id,
                "status": "reported",
                "found_on": self.day(e),
                "reported_at": e.occurred_at,
                "updated_at": e.occurred_at,
                "position": env.position,
                "interim_controls": 0,
                "returned_for_rectification": 0,
                "extensions_granted": 0,
                "escalation_level": 0,
            },
        )

    @handles(HazardRejectedV1)
    async def rejected(self, conn: ViewWriter, e: HazardRejectedV1, env: Envelope) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            status="rejected",
            rejection_reason=e.reason.value,
            rejected_on=self.day(e),
            rejected_at=e.occurred_at,
        )

    @handles(HazardFiledV1)
    async def filed(self, conn: ViewWriter, e: HazardFiledV1, env: Envelope) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            status="filed",
            category=e.category.value,
            grade=e.grade.value,
            file_number=e.file_number,
            likelihood=e.likelihood,
            severity=e.severity,
            colour=e.colour.value,
            grade_reason=e.grade_reason,
            determination_basis=e.determination_basis,
            filed_on=self.day(e),
            filed_at=e.occurred_at,
        )

    async def deadline_fact(
        self,
        conn: ViewWriter,
        e: HazardEvent,
        env: Envelope,
        fact: str,
        deadline: date,
        on: date | None = None,
        by: str | None = None,
    ) -> None:
        await conn.insert(
            "hazard_deadline_history",
            {
                "position": env.position,
                "hazard_id": e.hazard_id,
                "fact": fact,
                "deadline": deadline,
                "dated_on": on or self.day(e),
                "recorded_at": e.occurred_at,
                "by": by,
            },
            key="position",
        )

    async def listing_act(
        self,
        conn: ViewWriter,
        e: HazardEvent,
        env: Envelope,
        act: str,
        by: str | None,
        level: str | None = None,
        supervising_unit: str | None = None,
        reason: str | None = None,
    ) -> None:
        await conn.insert(
            "hazard_listing_history",
            {
                "position": env.position,
                "hazard_id": e.hazard_id,
                "act": act,
                "level": level,
                "supervising_unit": supervising_unit,
                "reason": reason,
                "by": by,
                "dated_on": self.day(e),
                "recorded_at": e.occurred_at,
            },
            key="position",
        )

    @handles(RectificationPlannedV1)
    async def planned(self, conn: ViewWriter, e: RectificationPlannedV1, env: Envelope) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            status="planned",
            measures=e.measures,
            deadline=e.deadline,
            original_deadline=e.deadline,
            responsible_person=e.responsible_person,
        )
        await self.deadline_fact(conn, e, env, PLANNED, e.deadline)

    @handles(ResponsibilityAssignedV1)
    async def assigned(self, conn: ViewWriter, e: ResponsibilityAssignedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE hazard_register SET status = CASE WHEN status = 'planned' THEN 'assigned'"
            " ELSE status END WHERE id = $1",
            e.hazard_id,
        )
        await update(
            conn,
            e.hazard_id,
            env,
            responsible_unit=e.responsible_unit,
            responsible_person=e.responsible_person,
        )

    @handles(RectificationScheduledV1)
    async def scheduled(self, conn: ViewWriter, e: RectificationScheduledV1, env: Envelope) -> None:
        await update(conn, e.hazard_id, env, status="scheduled", batch=e.batch)

    @handles(RectificationStartedV1)
    async def started(self, conn: ViewWriter, e: RectificationStartedV1, env: Envelope) -> None:
        await update(conn, e.hazard_id, env, status="rectifying")

    @handles(InterimControlRecordedV1)
    async def interim(self, conn: ViewWriter, e: InterimControlRecordedV1, env: Envelope) -> None:
        await update(conn, e.hazard_id, env, add={"interim_controls": 1})

    async def evidence(
        self,
        conn: ViewWriter,
        e: RectificationReportedV2 | RectificationVerifiedV2 | VerificationFailedV2,
        env: Envelope,
        step: str,
    ) -> None:
        await conn.executemany(
            EVIDENCE_INSERT,
            [
                (e.hazard_id, env.position, n, step, *_file(f), self.day(e))
                for n, f in enumerate(e.evidence)
            ],
        )

    @handles(RectificationReportedV1)
    async def rectified_v1(
        self, conn: ViewWriter, e: RectificationReportedV1, env: Envelope
    ) -> None:
        files = [EvidenceFile(sha256=None, size=None, media_type=None, name=r) for r in e.evidence]
        upcast = RectificationReportedV2.model_validate({**dict(e), "evidence": files})
        await self.rectified(conn, upcast, env)

    @handles(RectificationReportedV2)
    async def rectified(self, conn: ViewWriter, e: RectificationReportedV2, env: Envelope) -> None:
        await self.evidence(conn, e, env, "rectification")
        await update(
            conn,
            e.hazard_id,
            env,
            status="rectification_reported",
            rectification_reported_on=self.day(e),
            rectification_reported_at=e.occurred_at,
        )

    @handles(RectificationVerifiedV1)
    async def verified_v1(
        self, conn: ViewWriter, e: RectificationVerifiedV1, env: Envelope
    ) -> None:
        # Judged then against the deadline at verification; the reports judge again by the
        # rule of v2 from the deadline history, so the register keeps the stated flag only.
        await self._verified(conn, e, env, e.verified_on, e.on_time)

    @handles(RectificationVerifiedV2)
    async def verified(self, conn: ViewWriter, e: RectificationVerifiedV2, env: Envelope) -> None:
        await self.evidence(conn, e, env, "verification")
        await self._verified(conn, e, env, e.verified_on, e.on_time)

    async def _verified(
        self, conn: ViewWriter, e: HazardEvent, env: Envelope, verified_on: date, on_time: bool
    ) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            status="verified",
            verified_on=verified_on,
            verified_at=e.occurred_at,
            on_time=on_time,
            pending_extension=None,
        )

    @handles(VerificationFailedV1)
    async def failed_v1(self, conn: ViewWriter, e: VerificationFailedV1, env: Envelope) -> None:
        await self.failed(conn, VerificationFailedV2.model_validate(dict(e)), env)

    @handles(VerificationFailedV2)
    async def failed(self, conn: ViewWriter, e: VerificationFailedV2, env: Envelope) -> None:
        await self.evidence(conn, e, env, "verification")
        await update(
            conn, e.hazard_id, env, status=e.back_to, add={"returned_for_rectification": 1}
        )

    @handles(HazardClosedV1)
    async def closed_v1(self, conn: ViewWriter, e: HazardClosedV1, env: Envelope) -> None:
        await self._closed(conn, e, env)

    @handles(HazardClosedV2)
    async def closed(self, conn: ViewWriter, e: HazardClosedV2, env: Envelope) -> None:
        await self._closed(conn, e, env)

    async def _closed(self, conn: ViewWriter, e: HazardEvent, env: Envelope) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            status="closed",
            closed_on=self.day(e),
            closed_at=e.occurred_at,
        )

    @handles(ExtensionRequestedV1)
    async def extension_requested(
        self, conn: ViewWriter, e: ExtensionRequestedV1, env: Envelope
    ) -> None:
        await update(conn, e.hazard_id, env, pending_extension=e.requested_deadline)

    @handles(ExtensionApprovedV1)
    async def extension_approved(
        self, conn: ViewWriter, e: ExtensionApprovedV1, env: Envelope
    ) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            add={"extensions_granted": 1},
            pending_extension=None,
            deadline=e.new_deadline,
            overdue_since=None,
            escalation_level=0,
        )
        await self.deadline_fact(conn, e, env, EXTENDED, e.new_deadline, by=e.approver)

    @handles(ExtensionRejectedV1)
    async def extension_rejected(
        self, conn: ViewWriter, e: ExtensionRejectedV1, env: Envelope
    ) -> None:
        await update(conn, e.hazard_id, env, pending_extension=None)

    @handles(DeadlineApproachingV1)
    async def approaching(self, conn: ViewWriter, e: DeadlineApproachingV1, env: Envelope) -> None:
        # The check's own day, as the event states it: the job records no business date.
        due_on = e.deadline - timedelta(days=e.days_left)
        await update(
            conn,
            e.hazard_id,
            env,
            deadline_reminded_for=e.deadline,
            deadline_reminded_on=due_on,
        )
        await self.deadline_fact(conn, e, env, APPROACHING, e.deadline, on=due_on)

    @handles(HazardBecameOverdueV1)
    async def overdue(self, conn: ViewWriter, e: HazardBecameOverdueV1, env: Envelope) -> None:
        await update(conn, e.hazard_id, env, overdue_since=e.overdue_since)
        # The first deadline missed stays, whatever extension follows.
        await conn.execute(
            "UPDATE hazard_register SET missed_deadline = COALESCE(missed_deadline, $2)"
            " WHERE id = $1",
            e.hazard_id,
            e.deadline,
        )
        await self.deadline_fact(conn, e, env, OVERDUE, e.deadline, on=e.overdue_since)

    @handles(HazardEscalatedV1)
    async def escalated(self, conn: ViewWriter, e: HazardEscalatedV1, env: Envelope) -> None:
        await update(conn, e.hazard_id, env, escalation_level=e.level)

    @handles(HazardListedForSupervisionV1)
    async def listed(
        self, conn: ViewWriter, e: HazardListedForSupervisionV1, env: Envelope
    ) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            listing_level=e.level.value,
            supervising_unit=e.supervising_unit,
            listed_on=self.day(e),
        )
        await self.listing_act(conn, e, env, LISTED, e.listed_by, e.level.value, e.supervising_unit)

    @handles(HazardListingRaisedV1)
    async def raised(self, conn: ViewWriter, e: HazardListingRaisedV1, env: Envelope) -> None:
        await update(
            conn, e.hazard_id, env, listing_level=e.level.value, supervising_unit=e.supervising_unit
        )
        await self.listing_act(
            conn, e, env, RAISED, e.raised_by, e.level.value, e.supervising_unit, e.reason
        )

    @handles(HazardListingLiftedV1)
    async def lifted(self, conn: ViewWriter, e: HazardListingLiftedV1, env: Envelope) -> None:
        await update(
            conn, e.hazard_id, env, listing_level=None, supervising_unit=None, listed_on=None
        )
        await self.listing_act(conn, e, env, LIFTED, e.lifted_by, reason=e.reason)

    @handles(MajorHazardReportedToRegulatorV1)
    async def reported_to_regulator(
        self, conn: ViewWriter, e: MajorHazardReportedToRegulatorV1, env: Envelope
    ) -> None:
        await update(
            conn, e.hazard_id, env, regulator=e.regulator, regulator_reported_on=self.day(e)
        )

    @handles(SuspensionOrderedV1)
    async def suspension_ordered(
        self, conn: ViewWriter, e: SuspensionOrderedV1, env: Envelope
    ) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            suspended=True,
            suspension_ordered_on=self.day(e),
            resumption_assessed_on=None,
            resumption_passed=None,
            resumed_on=None,
        )

    @handles(ResumptionAssessedV1)
    async def resumption_assessed(
        self, conn: ViewWriter, e: ResumptionAssessedV1, env: Envelope
    ) -> None:
        await update(
            conn,
            e.hazard_id,
            env,
            resumption_assessed_on=self.day(e),
            resumption_passed=e.passed,
        )

    @handles(SuspensionLiftedV1)
    async def suspension_lifted(
        self, conn: ViewWriter, e: SuspensionLiftedV1, env: Envelope
    ) -> None:
        await update(conn, e.hazard_id, env, suspended=False, resumed_on=self.day(e))


def _file(f: EvidenceFile) -> tuple[str | None, int | None, str | None, str]:
    return f.sha256, f.size, f.media_type, f.name
