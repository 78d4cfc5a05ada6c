"""The plaque-removal rule (摘牌制) as the reaction applies it to upstream incidents.

"对发生重大治安案件、安全生产事故和群体性事件的, 严格实行摘牌制": an incident strips the
title of the unit it is matched to, whatever that unit's standard; in addition, each unit
that contains it (its village or community, its township or street, up to the district)
loses its title when its own standard's veto names that cause with scope `area` (平安村 and
平安社区 answer for what happens within them). Each title is stripped once per incident,
recording the incident, the upstream event's type and its `ce-id`.

Matching is by the unit id the upstream event names, or by its township and village or
community (the unit standing for that area), and by nothing else. An unknown unit id is not
replaced by the area: the upstream office named a unit scoring does not know, and the office
should see that rather than have the village answer for it.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from pingan.reference import UnknownArea, current_district
from scoring.application.standards import Standards
from scoring.domain.incident import Incident, Match, incident_id
from scoring.domain.standards import Cause, VetoScope
from scoring.domain.unit import Unit, UnitStatus, area_unit_id

K = TypeVar("K")

CAUSE_NAMES = {
    Cause.MAJOR_CASE: "重大治安案件",
    Cause.MASS_INCIDENT: "群体性事件",
    Cause.SAFETY_ACCIDENT: "安全生产事故",
}


class Context(Protocol):
    def find(self, aggregate_id: UUID, kind: type[K]) -> K | None: ...

    def changed(self, *aggregates: Aggregate) -> None: ...


def match_unit(
    ctx: Context, township: str, village: str | None, unit_id: str | None
) -> tuple[Unit | None, Match, str | None]:
    """The unit an upstream event names, by its unit id or its township and village."""
    if unit_id:
        try:
            named = UUID(unit_id)
        except ValueError:
            return None, Match.NONE, f"unit id {unit_id} is not a scoring unit id"
        unit = ctx.find(named, Unit)
        if unit is None:
            return None, Match.NONE, f"no unit {unit_id} is registered"
        return unit, Match.UNIT_ID, None
    if not village:
        return None, Match.NONE, "the event names neither a unit nor a village or community"
    district = current_district()
    try:
        town = district.township(township).name
        place = district.village(town, village).name
    except UnknownArea as exc:
        return None, Match.NONE, f"{exc.kind} {exc.name} is not in the reference areas"
    unit = ctx.find(area_unit_id(town, place), Unit)
    if unit is None:
        return None, Match.NONE, f"no unit stands for {town} {place}"
    return unit, Match.AREA, None


def note_incident(
    ctx: Context,
    standards: Standards,
    *,
    source: str,
    upstream_id: UUID,
    cause: Cause,
    strips: bool,
    happened_on: date,
    township: str,
    village: str | None,
    unit_id: str | None,
    upstream_type: str,
    upstream_event_id: str,
    known_on: date,
    summary: str,
) -> None:
    """Record an upstream case, mass incident or accident, matched or not, and strip the
    titles it strips."""
    existing = ctx.find(incident_id(source, upstream_id), Incident)
    if existing is not None:
        if strips:
            escalate(
                ctx,
                standards,
                existing,
                upstream_type=upstream_type,
                upstream_event_id=upstream_event_id,
                known_on=known_on,
                reason=summary,
            )
        return
    unit, match, unmatched = match_unit(ctx, township, village, unit_id)
    incident = Incident(
        source=source,
        upstream_id=upstream_id,
        cause=cause.value,
        strips=strips,
        happened_on=happened_on,
        township=township,
        village=village,
        unit_id=unit_id,
        matched_unit_id=None if unit is None else unit.id,
        match=match.value,
        unmatched_reason=unmatched,
        upstream_type=upstream_type,
        upstream_event_id=upstream_event_id,
        summary=summary,
    )
    ctx.changed(incident)
    if strips and unit is not None:
        strip_titles(ctx, standards, unit, incident, known_on)


def escalate(
    ctx: Context,
    standards: Standards,
    incident: Incident,
    *,
    upstream_type: str,
    upstream_event_id: str,
    known_on: date,
    reason: str,
) -> None:
    """A later upstream event makes a noted incident strip titles (a case found major, an
    accident regraded up): once, however many such events follow."""
    if not incident.escalate(upstream_type, upstream_event_id, reason):
        return
    ctx.changed(incident)
    if incident.matched_unit_id is not None:
        unit = ctx.find(incident.matched_unit_id, Unit)
        if unit is not None:
            strip_titles(ctx, standards, unit, incident, known_on)


def strip_titles(
    ctx: Context, standards: Standards, unit: Unit, incident: Incident, known_on: date
) -> None:
    """Keep the incident on the unit it matched (titled or not, it weighs on the next
    assessment) and strip the titles it strips."""
    if unit.record_incident(
        incident.id,
        incident.cause,
        incident.happened_on,
        incident.upstream_type,
        incident.upstream_event_id,
    ):
        ctx.changed(unit)
    reason = f"{CAUSE_NAMES[incident.cause]}: {incident.upstream_type}"
    _strip(ctx, standards, unit, incident, known_on, reason)
    parent_id = unit.parent_id
    while parent_id is not None:
        parent = ctx.find(parent_id, Unit)
        if parent is None:
            break
        if parent.status is UnitStatus.NAMED and parent.standard is not None:
            standard = standards.get(parent.standard)
            if standard.strips_on(incident.cause, VetoScope.AREA):
                _strip(ctx, standards, parent, incident, known_on, f"{reason} ({unit.name})")
        parent_id = parent.parent_id


def _strip(
    ctx: Context,
    standards: Standards,
    unit: Unit,
    incident: Incident,
    known_on: date,
    reason: str,
) -> None:
    if unit.status is not UnitStatus.NAMED or unit.standard is None:
        return
    standard = standards.get(unit.standard)
    revoked_on = known_on if unit.named_on is None else max(known_on, unit.named_on)
    if unit.strip(
        standard,
        revoked_on=revoked_on,
        reason=reason,
        cause=incident.cause.value,
        cause_event_type=incident.upstream_type,
        cause_event_id=incident.upstream_event_id,
        incident_id=incident.id,
    ):
        ctx.changed(unit)
