"""The plaque-removal reaction (摘牌制): major public-order cases and mass incidents from
`campaigns`, safety accidents at or above the configured grade from `hazards`, each noted once
and stripping the titles `scoring.application.plaques` says, in the same transaction as the
upstream position; and the corrections (a case withdrawn or reclassified below major, an
accident regraded below the grade) that make those revocations restorable
(`scoring.application.corrections`)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pingan.api.times import office_zone
from pingan.bus.envelope import Envelope
from pingan.consume.reactions import Reacting, Reaction, reacts_to
from scoring.application import ScoringApplication
from scoring.application.corrections import correct_incident
from scoring.application.plaques import escalate, note_incident
from scoring.domain.corrections import Correction
from scoring.domain.incident import Incident, incident_id
from scoring.domain.standards import Cause
from scoring.reactions.consumed import (
    AccidentFiguresRevised,
    AccidentReported,
    CaseFlaggedMajor,
    CaseReclassified,
    CaseRegistered,
    CaseWithdrawn,
    Dated,
    MassIncidentReported,
)

CAMPAIGNS = "CAMPAIGNS"
HAZARDS = "HAZARDS"
Ctx = Reacting[ScoringApplication]


def _office_date(moment: datetime) -> date:
    return moment.astimezone(office_zone()).date()


def _known_on(env: Envelope, e: Dated) -> date:
    """The day the upstream office knew of it: the business date it stated, else the day it
    recorded it, in the office's time zone. A ledger brought in late keeps its past."""
    return e.business_date or _office_date(env.time)


class PlaqueRemoval(Reaction[ScoringApplication]):
    name = "plaque_removal"
    sources = (CAMPAIGNS, HAZARDS)

    @reacts_to(CaseRegistered)
    def case_registered(self, ctx: Ctx, e: CaseRegistered, env: Envelope) -> None:
        note_incident(
            ctx,
            ctx.app.standards,
            source=CAMPAIGNS,
            upstream_id=e.case_id,
            cause=Cause.MAJOR_CASE,
            strips=e.major,
            happened_on=_office_date(e.happened_at),
            township=e.township,
            village=e.village,
            unit_id=e.unit_id,
            upstream_type=env.type,
            upstream_event_id=env.id,
            known_on=_known_on(env, e),
            summary=e.kind_name,
        )

    @reacts_to(CaseReclassified)
    def case_reclassified(self, ctx: Ctx, e: CaseReclassified, env: Envelope) -> None:
        if e.major:
            self._later(
                ctx,
                CAMPAIGNS,
                e.case_id,
                Cause.MAJOR_CASE,
                e.township,
                e.unit_id,
                e.reason,
                env,
                _known_on(env, e),
            )
        else:
            self._corrected(
                ctx, CAMPAIGNS, e.case_id, Correction.DOWNGRADED, e.reason, env, _known_on(env, e)
            )

    @reacts_to(CaseWithdrawn)
    def case_withdrawn(self, ctx: Ctx, e: CaseWithdrawn, env: Envelope) -> None:
        self._corrected(
            ctx, CAMPAIGNS, e.case_id, Correction.WITHDRAWN, e.reason, env, _known_on(env, e)
        )

    @reacts_to(CaseFlaggedMajor)
    def case_flagged_major(self, ctx: Ctx, e: CaseFlaggedMajor, env: Envelope) -> None:
        self._later(
            ctx,
            CAMPAIGNS,
            e.case_id,
            Cause.MAJOR_CASE,
            e.township,
            e.unit_id,
            e.reason,
            env,
            _known_on(env, e),
        )

    @reacts_to(MassIncidentReported)
    def mass_incident(self, ctx: Ctx, e: MassIncidentReported, env: Envelope) -> None:
        note_incident(
            ctx,
            ctx.app.standards,
            source=CAMPAIGNS,
            upstream_id=e.incident_id,
            cause=Cause.MASS_INCIDENT,
            strips=True,
            happened_on=_office_date(e.happened_at),
            township=e.township,
            village=e.village,
            unit_id=e.unit_id,
            upstream_type=env.type,
            upstream_event_id=env.id,
            known_on=_known_on(env, e),
            summary=f"{e.place} ({e.participants})",
        )

    @reacts_to(AccidentReported)
    def accident_reported(self, ctx: Ctx, e: AccidentReported, env: Envelope) -> None:
        note_incident(
            ctx,
            ctx.app.standards,
            source=HAZARDS,
            upstream_id=e.accident_id,
            cause=Cause.SAFETY_ACCIDENT,
            strips=ctx.app.accident_strips(e.severity),
            happened_on=_office_date(e.happened_at),
            township=e.township,
            village=e.village,
            unit_id=e.unit_id,
            upstream_type=env.type,
            upstream_event_id=env.id,
            known_on=_known_on(env, e),
            summary=f"{e.place} ({e.severity})",
        )

    @reacts_to(AccidentFiguresRevised)
    def accident_revised(self, ctx: Ctx, e: AccidentFiguresRevised, env: Envelope) -> None:
        if ctx.app.accident_strips(e.severity):
            self._later(
                ctx,
                HAZARDS,
                e.accident_id,
                Cause.SAFETY_ACCIDENT,
                e.township,
                e.unit_id,
                e.reason,
                env,
                _known_on(env, e),
            )
        else:
            self._corrected(
                ctx, HAZARDS, e.accident_id, Correction.DOWNGRADED, e.reason, env, _known_on(env, e)
            )

    def _corrected(
        self,
        ctx: Ctx,
        source: str,
        upstream_id: UUID,
        correction: Correction,
        reason: str,
        env: Envelope,
        known_on: date,
    ) -> None:
        """Only an incident noted as stripping has anything to correct."""
        noted = ctx.find(incident_id(source, upstream_id), Incident)
        if noted is not None:
            correct_incident(
                ctx,
                noted,
                correction,
                upstream_type=env.type,
                upstream_event_id=env.id,
                known_on=known_on,
                reason=reason,
            )

    def _later(
        self,
        ctx: Ctx,
        source: str,
        upstream_id: UUID,
        cause: Cause,
        township: str,
        unit_id: str | None,
        reason: str,
        env: Envelope,
        known_on: date,
    ) -> None:
        """A later event makes a case or accident strip titles: the incident noted from its
        registration carries the place; one never noted (its registration predates what
        the stream keeps) is noted now, matched by unit id alone."""
        noted = ctx.find(incident_id(source, upstream_id), Incident)
        if noted is not None:
            escalate(
                ctx,
                ctx.app.standards,
                noted,
                upstream_type=env.type,
                upstream_event_id=env.id,
                known_on=known_on,
                reason=reason,
            )
            return
        note_incident(
            ctx,
            ctx.app.standards,
            source=source,
            upstream_id=upstream_id,
            cause=cause,
            strips=True,
            happened_on=known_on,
            township=township,
            village=None,
            unit_id=unit_id,
            upstream_type=env.type,
            upstream_event_id=env.id,
            known_on=known_on,
            summary=reason,
        )
