"""The Incident aggregate: an upstream case, mass incident or safety accident as scoring knows
it, matched to a creation unit or not.

An incident is matched only by the unit id the upstream event names, or, when it names none,
by its township and village or community (the unit standing for that area); nothing else is
tried. One that strips a title (摘牌制) but matches no unit stays on the list of unmatched
incidents for the district office to see: it is never guessed at and never dead-lettered.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.domain import RuleViolation
from scoring.domain.corrections import Correction
from scoring.domain.standards import Cause


class Match(StrEnum):
    UNIT_ID = "unit_id"  # the upstream event names the unit
    AREA = "area"  # by township plus village or community
    OFFICE = "office"  # the district office matched an unmatched incident, with its reason
    NONE = "none"


class Incident(Aggregate):
    class Noted(Aggregate.Created):
        source: str
        upstream_id: UUID
        cause: str
        strips: bool
        happened_on: date
        township: str
        village: str | None
        unit_id: str | None
        matched_unit_id: UUID | None
        match: str
        unmatched_reason: str | None
        upstream_type: str
        upstream_event_id: str
        summary: str

    class Matched(Aggregate.Event):
        unit_id: UUID
        reason: str

    class Escalated(Aggregate.Event):
        upstream_type: str
        upstream_event_id: str
        reason: str

    class Corrected(Aggregate.Event):
        correction: str
        upstream_type: str
        upstream_event_id: str
        reason: str

    @event(Noted)
    def __init__(
        self,
        source: str,
        upstream_id: UUID,
        cause: str,
        strips: bool,
        happened_on: date,
        township: str,
        village: str | None,
        unit_id: str | None,
        matched_unit_id: UUID | None,
        match: str,
        unmatched_reason: str | None,
        upstream_type: str,
        upstream_event_id: str,
        summary: str,
    ) -> None:
        self.cause = Cause(cause)
        self.strips = strips
        self.happened_on = happened_on
        self.township = township
        self.matched_unit_id = matched_unit_id
        self.upstream_type = upstream_type
        self.upstream_event_id = upstream_event_id

    def match(self, unit_id: UUID, reason: str) -> None:
        """The district office names the unit an unmatched incident happened in."""
        if self.matched_unit_id is not None:
            raise RuleViolation(f"the incident is already matched to unit {self.matched_unit_id}")
        self._matched(unit_id=unit_id, reason=reason)

    @event(Matched)
    def _matched(self, unit_id: UUID, reason: str) -> None:
        self.matched_unit_id = unit_id

    @staticmethod
    def create_id(source: str, upstream_id: UUID, **_: Any) -> UUID:
        return incident_id(source, upstream_id)

    def escalate(self, upstream_type: str, upstream_event_id: str, reason: str) -> bool:
        """The incident now strips a title (a case found major, an accident regraded up);
        False when it already did."""
        if self.strips:
            return False
        self._escalated(
            upstream_type=upstream_type, upstream_event_id=upstream_event_id, reason=reason
        )
        return True

    @event(Escalated)
    def _escalated(self, upstream_type: str, upstream_event_id: str, reason: str) -> None:
        self.strips = True
        self.upstream_type = upstream_type
        self.upstream_event_id = upstream_event_id

    def correct(
        self, correction: Correction, upstream_type: str, upstream_event_id: str, reason: str
    ) -> bool:
        """The incident strips no title any more (a case withdrawn or found below major, an
        accident regraded below the bar); False when it stripped none."""
        if not self.strips:
            return False
        self._corrected(
            correction=correction.value,
            upstream_type=upstream_type,
            upstream_event_id=upstream_event_id,
            reason=reason,
        )
        return True

    @event(Corrected)
    def _corrected(
        self, correction: str, upstream_type: str, upstream_event_id: str, reason: str
    ) -> None:
        self.strips = False


def incident_id(source: str, upstream_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"pingan:scoring:incident:{source}:{upstream_id}")
