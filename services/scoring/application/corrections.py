"""Corrections reaching scoring from upstream: a case withdrawn (撤案) or reclassified below
major, an accident regraded below the strip grade. The incident strips no title any more; each
unit that kept it (the unit it matched) or lost its title to it (that unit and the units
containing it) is told, once, and a revocation it caused becomes restorable by the district
office. Nothing is restored by itself: giving a title back is the office's decision."""

from __future__ import annotations

from datetime import date

from scoring.application.plaques import Context
from scoring.domain.corrections import Correction
from scoring.domain.incident import Incident
from scoring.domain.unit import Unit


def correct_incident(
    ctx: Context,
    incident: Incident,
    correction: Correction,
    *,
    upstream_type: str,
    upstream_event_id: str,
    known_on: date,
    reason: str,
) -> None:
    if not incident.correct(correction, upstream_type, upstream_event_id, reason):
        return
    ctx.changed(incident)
    unit_id = incident.matched_unit_id
    while unit_id is not None:
        unit = ctx.find(unit_id, Unit)
        if unit is None:
            break
        if unit.correct_incident(
            incident.id,
            correction,
            corrected_on=known_on,
            reason=reason,
            upstream_type=upstream_type,
            upstream_event_id=upstream_event_id,
        ):
            ctx.changed(unit)
        unit_id = unit.parent_id
