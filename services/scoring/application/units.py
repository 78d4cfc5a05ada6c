"""Commands on creation units: get, change, record with who and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from pingan.reference import current_district
from pingan.write.application import Recorded
from pingan.write.domain import RuleViolation
from pingan.write.duties import require_outside_township
from pingan.write.metadata import EventMetadata
from scoring.application.configured import Configured
from scoring.domain.kinds import AREA_KINDS, PARENT_KINDS, UnitKind, is_village_level
from scoring.domain.standards import Judgement, Meeting, Opinion, Scores, Standard, Survey
from scoring.domain.unit import FollowUpForm, Unit, area_unit_id

DISTRICT_UNIT = "district"


class UnitCommands(Configured):
    def get_unit(self, unit_id: UUID) -> Unit:
        return self.get(unit_id, Unit)

    def _decide(
        self,
        unit_id: UUID,
        stated: date | None,
        today: date,
        metadata: EventMetadata,
        decide: Callable[[Unit, date], None],
    ) -> Recorded:
        """Load the unit, date the step (the stated day, else today), let it decide, and
        record what it decided on that business date."""
        unit = self.get_unit(unit_id)
        on = self.dated(stated, today) or today
        decide(unit, on)
        return self.record(unit, metadata=metadata, business_date=on)

    def _title_standard(self, unit: Unit, command: str) -> Standard:
        """The standard the unit applied or was named under; the state is checked first, so
        that a step out of turn is refused as such."""
        unit.transitions.require(unit.status, command)
        if unit.standard is None:
            raise RuleViolation("the unit has not applied under any standard")
        return self.standards.get(unit.standard)

    def _default_parent(self, kind: UnitKind, township: str, village: str | None) -> UUID | None:
        """Where the reference areas put it: a village or community in its township, a
        township or street in the district, anything else in its village or township."""
        if kind is UnitKind.DISTRICT:
            return None
        if kind in (UnitKind.STREET, UnitKind.TOWNSHIP):
            return area_unit_id(current_district().name, None)
        if is_village_level(kind) or village is None:
            return area_unit_id(township, None)
        return area_unit_id(township, village)

    def register_unit(
        self,
        *,
        kind: UnitKind,
        name: str,
        township: str | None,
        village: str | None,
        address: str,
        registered_by: str,
        metadata: EventMetadata,
        today: date,
        parent_id: UUID | None = None,
        registered_on: date | None = None,
    ) -> Recorded:
        district = current_district()
        if kind is UnitKind.DISTRICT:
            township, village, name = district.name, None, name or district.name
        elif township is None:
            raise RuleViolation("a unit below the district names its township or street")
        if kind in (UnitKind.STREET, UnitKind.TOWNSHIP) and village is not None:
            raise RuleViolation("a township or street unit names no village")
        if kind in (UnitKind.STREET, UnitKind.TOWNSHIP) and (
            township.endswith("街道") != (kind is UnitKind.STREET)
        ):
            raise RuleViolation("a street unit names a street (街道), a township unit a town")
        if kind in AREA_KINDS and is_village_level(kind) and village is None:
            raise RuleViolation("a village or community unit names its village or community")
        parent_id = parent_id or self._default_parent(kind, township, village)
        parent = None if parent_id is None else self._parent(parent_id)
        unit = Unit.register(
            kind=kind,
            name=name,
            township=township,
            village=village,
            parent=parent,
            address=address,
            registered_by=registered_by,
            parent_kinds=PARENT_KINDS[kind],
        )
        if self._exists(unit.id):
            raise RuleViolation(f"this {kind.value} is already registered as unit {unit.id}")
        return self.record(unit, metadata=metadata, business_date=self.dated(registered_on, today))

    def _parent(self, parent_id: UUID) -> Unit:
        found = self.repository.get(parent_id) if self._exists(parent_id) else None
        if not isinstance(found, Unit):
            raise RuleViolation(f"the containing unit {parent_id} is not registered")
        return found

    def _exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.repository

    def apply_for_title(
        self,
        unit_id: UUID,
        *,
        standard: str,
        level: int,
        applied_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        unit = self.get_unit(unit_id)
        chosen = (
            self.standards.current(standard)
            if "@" not in standard
            else self.standards.get(standard)
        )
        on = self.dated(applied_on, today) or today
        unit.apply_for(chosen, level, on)
        return self.record(unit, metadata=metadata, business_date=on)

    def assess_unit(
        self,
        unit_id: UUID,
        *,
        assessed_on: date | None,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        survey: tuple[int, int, int] | None,
        assessors: list[str],
        metadata: EventMetadata,
        today: date,
        assessor_township: str | None = None,
        opinion: Opinion | None = None,
        meeting: Meeting | None = None,
    ) -> Recorded:
        unit = self.get_unit(unit_id)
        standard = self._title_standard(unit, "assess")
        on = self.dated(assessed_on, today) or today
        vetoes, judged = self._judge(
            unit,
            standard,
            on,
            unit.applying_level,
            assessor_township,
            scores,
            deductions,
            vetoes,
            survey,
            opinion,
            meeting,
        )
        unit.assess(
            standard,
            judged,
            assessed_on=on,
            scores=scores,
            deductions=deductions,
            vetoes=vetoes,
            survey=survey,
            assessors=assessors,
            opinion=opinion,
            meeting=meeting,
        )
        return self.record(unit, metadata=metadata, business_date=on)

    def upgrade_unit(
        self,
        unit_id: UUID,
        *,
        level: int,
        assessed_on: date | None,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        survey: tuple[int, int, int] | None,
        assessors: list[str],
        metadata: EventMetadata,
        today: date,
        assessor_township: str | None = None,
        opinion: Opinion | None = None,
        meeting: Meeting | None = None,
    ) -> Recorded:
        """Assess a named unit for a higher level (升级达标) under its standard's current
        version."""
        unit = self.get_unit(unit_id)
        held = self._title_standard(unit, "upgrade")
        standard = self.standards.current(held.id)
        on = self.dated(assessed_on, today) or today
        vetoes, judged = self._judge(
            unit,
            standard,
            on,
            level,
            assessor_township,
            scores,
            deductions,
            vetoes,
            survey,
            opinion,
            meeting,
        )
        unit.upgrade(
            standard,
            judged,
            level,
            assessed_on=on,
            scores=scores,
            deductions=deductions,
            vetoes=vetoes,
            survey=survey,
            assessors=assessors,
            opinion=opinion,
            meeting=meeting,
        )
        return self.record(unit, metadata=metadata, business_date=on)

    def _judge(
        self,
        unit: Unit,
        standard: Standard,
        on: date,
        level: int,
        assessor_township: str | None,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        survey: tuple[int, int, int] | None,
        opinion: Opinion | None,
        meeting: Meeting | None,
    ) -> tuple[list[str], Judgement]:
        require_outside_township(
            assessor_township,
            unit.township,
            rule="assessor-outside-township",
            message="an assessor does not assess a unit of their own township",
        )
        if standard.levels and not 1 <= level <= len(standard.levels):
            raise RuleViolation(f"{standard.ref} has no level {level}")
        # An incident kept on the unit within the bar period strikes its veto item by itself.
        vetoes = [*vetoes, *(v for v in unit.vetoes_due(standard, on) if v not in vetoes)]
        judged = standard.judge(
            Scores(
                scores=scores,
                deductions=deductions,
                vetoes=tuple(vetoes),
                survey=None if survey is None else Survey(*survey),
                opinion=opinion,
                meeting=meeting,
            ),
            level,
        )
        return vetoes, judged

    def follow_up_unit(
        self,
        unit_id: UUID,
        *,
        form: FollowUpForm,
        findings: str,
        visitors: list[str],
        visited_on: date | None,
        metadata: EventMetadata,
        today: date,
        survey: tuple[int, int, int] | None = None,
        opinion: Opinion | None = None,
        meeting: Meeting | None = None,
    ) -> Recorded:
        return self._decide(
            unit_id,
            visited_on,
            today,
            metadata,
            lambda unit, on: unit.follow_up(
                form,
                on,
                findings,
                visitors,
                survey=None if survey is None else Survey(*survey),
                opinion=opinion,
                meeting=meeting,
            ),
        )

    def publicise_result(
        self, unit_id: UUID, *, starts_on: date | None, metadata: EventMetadata, today: date
    ) -> Recorded:
        return self._decide(
            unit_id,
            starts_on,
            today,
            metadata,
            lambda unit, on: unit.publicise(self._title_standard(unit, "publicise"), on),
        )

    def lodge_objection(
        self,
        unit_id: UUID,
        *,
        objection: str,
        lodged_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id,
            lodged_on,
            today,
            metadata,
            lambda unit, on: unit.lodge_objection(objection, on),
        )

    def settle_objection(
        self,
        unit_id: UUID,
        *,
        number: int,
        upheld: bool,
        reason: str,
        settled_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id,
            settled_on,
            today,
            metadata,
            lambda unit, on: unit.settle_objection(
                self._title_standard(unit, "settle_objection"), number, upheld, reason, on
            ),
        )

    def confer_title(
        self, unit_id: UUID, *, named_on: date | None, metadata: EventMetadata, today: date
    ) -> Recorded:
        return self._decide(
            unit_id,
            named_on,
            today,
            metadata,
            lambda unit, on: unit.confer(self._title_standard(unit, "confer"), on),
        )

    def reinspect_unit(
        self,
        unit_id: UUID,
        *,
        passed: bool,
        findings: str,
        inspected_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id,
            inspected_on,
            today,
            metadata,
            lambda unit, on: unit.reinspect(
                self._title_standard(unit, "reinspect"), passed, on, findings
            ),
        )

    def revoke_title(
        self,
        unit_id: UUID,
        *,
        reason: str,
        revoked_on: date | None,
        metadata: EventMetadata,
        today: date,
    ) -> Recorded:
        return self._decide(
            unit_id,
            revoked_on,
            today,
            metadata,
            lambda unit, on: unit.revoke(self._title_standard(unit, "revoke"), on, reason),
        )
