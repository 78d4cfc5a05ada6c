"""Commands on key areas (重点整治区域).

A designation reserves the area's name in its township in the same transaction (see
`hazards.domain.key_area`): a second area of that name is refused with a 409 naming the
first, and of two racing designations one commits. Hazards reported in an area are linked
to it in their own transaction (`link_key_area`), struck off at closure or rejection
(`strike_off_key_area`), so a delisting sees every open hazard however the requests race.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from hazards.domain.key_area import KeyArea, KeyAreaKind, KeyAreaName, key_area_name_id, name_taken
from pingan.write.application import Recorded, RecordNotFound, ServiceApplication
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata


class KeyAreaCommands(ServiceApplication):
    def get_key_area(self, key_area_id: UUID) -> KeyArea:
        return self.get(key_area_id, KeyArea)

    def designate_key_area(
        self,
        *,
        name: str,
        kind: KeyAreaKind,
        township: str,
        village: str,
        designated_by: str,
        metadata: EventMetadata,
        description: str = "",
        villages: list[str] | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        """Designate an area, its name reserved in its township in the same transaction."""
        self._refuse_taken_name(township, name)
        area = KeyArea.designate(
            name, kind, township, village, designated_by, description, villages
        )
        reservation = KeyAreaName(township=township, name=name, key_area_id=area.id)
        try:
            return self.record(
                area,
                also=[reservation],
                metadata=metadata,
                business_date=self.dated(business_date, today),
            )
        except IntegrityError:
            self._refuse_taken_name(township, name)
            raise

    def _refuse_taken_name(self, township: str, name: str) -> None:
        try:
            held: object = self.repository.get(key_area_name_id(township, name))
        except AggregateNotFoundError:
            return
        if isinstance(held, KeyAreaName):
            raise name_taken(township, held.name, held.key_area_id)

    def plan_key_area_rectification(
        self,
        key_area_id: UUID,
        *,
        measures: str,
        responsible_unit: str,
        deadline: date,
        today: date,
        metadata: EventMetadata,
        combined_with: str | None = None,
        business_date: date | None = None,
    ) -> Recorded:
        area = self.get_key_area(key_area_id)
        area.plan(measures, responsible_unit, deadline, today, combined_with)
        return self.record(area, metadata=metadata, business_date=self.dated(business_date, today))

    def record_key_area_review(
        self,
        key_area_id: UUID,
        *,
        reviewer: str,
        reviewed_on: date,
        findings: str,
        public_order_improved: bool,
        today: date,
        metadata: EventMetadata,
    ) -> Recorded:
        area = self.get_key_area(key_area_id)
        area.record_review(reviewer, reviewed_on, findings, public_order_improved, today)
        return self.record(
            area,
            metadata=metadata,
            business_date=self.dated(reviewed_on, today),
            after_latest=False,
        )

    def delist_key_area(
        self,
        key_area_id: UUID,
        *,
        delisted_by: str,
        reason: str,
        metadata: EventMetadata,
        override_reason: str | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        area = self.get_key_area(key_area_id)
        area.delist(delisted_by, reason, override_reason)
        return self.record(area, metadata=metadata, business_date=self.dated(business_date, today))


def require_key_area(app: ServiceApplication, key_area_id: UUID) -> KeyArea:
    """Refuse a reference to a key area that does not exist."""
    try:
        return app.get(key_area_id, KeyArea)
    except RecordNotFound as missing:
        raise RuleViolation(str(missing)) from None


def link_key_area(
    app: ServiceApplication,
    key_area_id: UUID | None,
    hazard_id: UUID,
    township: str,
    village: str,
) -> list[KeyArea]:
    """The key area a new hazard is linked to, with the link pending (none when it names
    none): save it with the hazard, so that a racing delisting conflicts with the report."""
    if key_area_id is None:
        return []
    area = require_key_area(app, key_area_id)
    area.link_hazard(hazard_id, township, village)
    return [area]


def strike_off_key_area(
    app: ServiceApplication, key_area_id: UUID | None, hazard_id: UUID
) -> list[KeyArea]:
    """The key area of a hazard that is closed or rejected, with the strike-off pending."""
    if key_area_id is None:
        return []
    try:
        area = app.get(key_area_id, KeyArea)
    except RecordNotFound:
        return []
    area.strike_off(hazard_id)
    return [area]
