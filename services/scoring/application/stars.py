"""Commands on a family's ten stars: award and withdraw, each with who and why."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pingan.write.application import Recorded
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata
from scoring.application.units import UnitCommands
from scoring.domain.calendar import months_after
from scoring.domain.kinds import UnitKind
from scoring.domain.stars import Bar, StarRating, parse_star, rating_id
from scoring.domain.unit import Unit


class StarCommands(UnitCommands):
    def family(self, family_id: UUID) -> Unit:
        unit = self.get_unit(family_id)
        if unit.kind != UnitKind.FAMILY.value:
            raise RuleViolation(f"unit {family_id} is not a family (平安家庭)")
        return unit

    def star_rating(self, family_id: UUID) -> StarRating | None:
        """The family's rating, None before its first star."""
        found = rating_id(family_id)
        return self.get(found, StarRating) if found in self.repository else None

    def _rating(self, family: Unit) -> StarRating:
        return self.star_rating(family.id) or StarRating(
            family_id=family.id, name=family.name, township=family.township, village=family.village
        )

    def _bars(self, family: Unit) -> list[Bar]:
        """The revoked titles, not restored, of the family and of every unit enclosing it."""
        bars = []
        unit: Unit | None = family
        while unit is not None:
            lost = unit.lost
            if lost is not None:
                months = self.standards.get(lost.standard).bar_months
                until = months_after(lost.revoked_on, months)
                bars.append(Bar(unit.id, unit.name, lost.revoked_on, until))
            unit = None if unit.parent_id is None else self.get_unit(unit.parent_id)
        return bars

    def award_star(
        self,
        family_id: UUID,
        *,
        star: str,
        reason: str,
        awarded_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        family = self.family(family_id)
        chosen = parse_star(star)
        on = self.dated(awarded_on, today) or today
        rating = self._rating(family)
        rating.award(chosen, reason, on, self._bars(family))
        return self.record(rating, metadata=metadata, business_date=on)

    def withdraw_star(
        self,
        family_id: UUID,
        *,
        star: str,
        reason: str,
        withdrawn_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        family = self.family(family_id)
        chosen = parse_star(star)
        on = self.dated(withdrawn_on, today) or today
        rating = self.star_rating(family.id)
        if rating is None:
            raise RuleViolation(f"the {chosen.value} star is not awarded in {on.year}")
        rating.withdraw(chosen, reason, on)
        return self.record(rating, metadata=metadata, business_date=on)
