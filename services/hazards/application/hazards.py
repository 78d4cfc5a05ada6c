"""Commands on hazards: get the aggregate, change it, record it with who and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from hazards.application.key_areas import link_key_area, strike_off_key_area
from hazards.application.reporters import ReporterDetails, sealed_reporter
from hazards.domain.evidence import Evidence
from hazards.domain.file_number import (
    DEFAULT_PREFIX,
    FileNumber,
    FileNumberSequence,
    FileNumberTaken,
    reservation_id,
    sequence_id,
)
from hazards.domain.hazard import Hazard
from hazards.domain.policy import POLICY_ID, DeadlinePolicy, DeadlineRules
from hazards.domain.vocabulary import Category, Grade, ListingLevel, RejectionReason, Source
from pingan.write.application import Recorded, RecordNotFound, ServiceApplication
from pingan.write.business_time import latest_business_date
from pingan.write.domain import RuleViolation
from pingan.write.duties import require_other_person
from pingan.write.metadata import EventMetadata

#: Separation of duties: who reported a hazard or its rectification does not verify it.
VERIFIER_NOT_REPORTER = "verifier-not-reporter"
#: How often a filing that is issued a number retries when another takes the same meanwhile.
FILING_ATTEMPTS = 5


class HazardCommands(ServiceApplication):
    def get_hazard(self, hazard_id: UUID) -> Hazard:
        return self.get(hazard_id, Hazard)

    def evidence(self, hashes: Sequence[str]) -> list[Evidence]:
        """The uploaded files these SHA-256 hashes name, each once, in their order; refused
        (FilesNotStored, naming them) if any was never uploaded."""
        return [
            Evidence(sha256=f.sha256, size=f.size, media_type=f.media_type, name=f.name)
            for f in self.files.resolve(hashes)
        ]

    def deadline_rules(self) -> DeadlineRules:
        try:
            policy: DeadlinePolicy = self.repository.get(POLICY_ID)
        except AggregateNotFoundError:
            return DeadlineRules()
        return policy.rules

    def set_deadline_rules(self, rules: DeadlineRules, metadata: EventMetadata) -> Recorded:
        try:
            policy: DeadlinePolicy = self.repository.get(POLICY_ID)
        except AggregateNotFoundError:
            policy = DeadlinePolicy.of(rules)
        else:
            policy.change(rules)
        return self.record(policy, metadata=metadata)

    def report_hazard(
        self,
        *,
        title: str,
        category: Category,
        source: Source,
        township: str,
        village: str,
        address: str,
        reporter: str,
        metadata: EventMetadata,
        description: str = "",
        key_area_id: UUID | None = None,
        round_id: UUID | None = None,
        unit_id: str | None = None,
        reporter_phone: str | None = None,
        reporter_id_number: str | None = None,
        anonymous: bool = False,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard_id = uuid4()
        areas = link_key_area(self, key_area_id, hazard_id, township, village)
        details = ReporterDetails(reporter, reporter_phone, reporter_id_number, anonymous)
        hazard = Hazard(
            id=hazard_id,
            title=title,
            category=category.value,
            source=source.value,
            township=township,
            village=village,
            address=address,
            description=description,
            key_area_id=key_area_id,
            round_id=round_id,
            unit_id=unit_id,
            **sealed_reporter(self.people, hazard_id, details),
        )
        return self.record(
            hazard, also=areas, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def reject_hazard(
        self,
        hazard_id: UUID,
        *,
        reason: RejectionReason,
        explanation: str,
        duplicate_of: UUID | None,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        if duplicate_of is not None:
            try:
                self.get_hazard(duplicate_of)
            except RecordNotFound as missing:
                raise RuleViolation(f"the duplicated hazard does not exist: {missing}") from None
        hazard.reject(reason, explanation, duplicate_of)
        areas = strike_off_key_area(self, hazard.key_area_id, hazard.id)
        return self.record(
            hazard, also=areas, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def file_hazard(
        self,
        hazard_id: UUID,
        *,
        category: Category,
        grade: Grade,
        likelihood: int,
        severity: int,
        metadata: EventMetadata,
        file_number: str | None = None,
        grade_reason: str | None = None,
        determination_basis: str | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        """File the hazard under the number given, or the next of the office's series for
        the year of the filing (see `file_number`), reserved in the same transaction."""
        dated = self.dated(business_date, today)
        for _ in range(FILING_ATTEMPTS):
            hazard = self.get_hazard(hazard_id)
            along: list[Any] = []
            if file_number is None:
                year = (dated or latest_business_date(hazard) or date.today()).year
                sequence = self._sequence(year)
                number = self._next_free(sequence)
                along.append(sequence)
            else:
                number = file_number
            hazard.file(
                category,
                grade,
                number,
                likelihood,
                severity,
                grade_reason=grade_reason,
                determination_basis=determination_basis,
            )
            along.append(FileNumber(number, hazard_id))
            try:
                return self.record(hazard, metadata=metadata, business_date=dated, also=along)
            except IntegrityError:
                holder = self._holder(number)
                if file_number is not None:
                    if holder is not None and holder != hazard_id:
                        raise FileNumberTaken(number, holder) from None
                    raise
                if holder == hazard_id:
                    raise
                # Another filing took this year's next number meanwhile: issue again.
        raise IntegrityError("the office's series of file numbers kept moving; retry")

    def _sequence(self, year: int) -> FileNumberSequence:
        prefix = self.env.get("FILE_NUMBER_PREFIX") or DEFAULT_PREFIX
        try:
            found: FileNumberSequence = self.repository.get(sequence_id(prefix, year))
        except AggregateNotFoundError:
            return FileNumberSequence(prefix, year)
        return found

    def _next_free(self, sequence: FileNumberSequence) -> str:
        number = sequence.issue()
        while self._holder(number) is not None:
            number = sequence.issue()
        return number

    def _holder(self, number: str) -> UUID | None:
        """The hazard that holds `number`, if any."""
        try:
            reservation: FileNumber = self.repository.get(reservation_id(number))
        except AggregateNotFoundError:
            return None
        return reservation.hazard_id

    def plan_rectification(
        self,
        hazard_id: UUID,
        *,
        measures: str,
        deadline: date,
        today: date,
        metadata: EventMetadata,
        responsible_person: str | None = None,
        funds_yuan: Decimal | None = None,
        contingency_plan: str | None = None,
        business_date: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        # Judged on the day the plan was made: a ledger brought in from the past keeps the
        # deadline it had then, though that day has gone by since.
        planned_on = self.dated(business_date, today) or today
        hazard.plan(
            measures, deadline, planned_on, responsible_person, funds_yuan, contingency_plan
        )
        return self.record(hazard, metadata=metadata, business_date=planned_on)

    def assign_responsibility(
        self,
        hazard_id: UUID,
        *,
        responsible_unit: str,
        responsible_person: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.assign_responsibility(responsible_unit, responsible_person)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def schedule_rectification(
        self,
        hazard_id: UUID,
        *,
        batch: str,
        starts_on: date,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        scheduled_on = self.dated(business_date, today)
        hazard.schedule(batch, starts_on, scheduled_on or starts_on)
        return self.record(hazard, metadata=metadata, business_date=scheduled_on)

    def start_rectification(
        self,
        hazard_id: UUID,
        *,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.start_rectification()
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def record_interim_control(
        self,
        hazard_id: UUID,
        *,
        measure: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.record_interim_control(measure)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def report_rectification(
        self,
        hazard_id: UUID,
        *,
        summary: str,
        evidence: Sequence[str],
        on_the_spot: bool,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        files = self.evidence(evidence)
        if on_the_spot:
            hazard.rectify_on_spot(summary, files)
        else:
            hazard.report_rectification(summary, files)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def verify_rectification(
        self,
        hazard_id: UUID,
        *,
        inspector: str,
        verified_on: date,
        passed: bool,
        notes: str,
        metadata: EventMetadata,
        evidence: Sequence[str] = (),
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        files = self.evidence(evidence)
        require_other_person(
            metadata.actor,
            self.actors(hazard_id, "Reported", "RectificationReported"),
            rule=VERIFIER_NOT_REPORTER,
            message="the verifier of a rectification must be neither the person who reported "
            "the hazard nor the one who reported its rectification",
        )
        hazard.verify(inspector, verified_on, passed, notes, today=today, evidence=files)
        return self.record(
            hazard,
            metadata=metadata,
            business_date=self.dated(verified_on, today),
            after_latest=False,
        )

    def close_hazard(
        self,
        hazard_id: UUID,
        *,
        closed_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.close(closed_by, self.deadline_rules())
        areas = strike_off_key_area(self, hazard.key_area_id, hazard.id)
        return self.record(
            hazard, also=areas, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def request_extension(
        self,
        hazard_id: UUID,
        *,
        requested_deadline: date,
        reason: str,
        today: date,
        metadata: EventMetadata,
        business_date: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.request_extension(requested_deadline, reason, today, self.deadline_rules())
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def decide_extension(
        self,
        hazard_id: UUID,
        *,
        approve: bool,
        approver: str,
        reason: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.decide_extension(approve, approver, reason, self.dated(business_date, today))
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def list_for_supervision(
        self,
        hazard_id: UUID,
        *,
        supervising_unit: str,
        level: ListingLevel,
        listed_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.list_for_supervision(supervising_unit, level, listed_by)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def raise_listing(
        self,
        hazard_id: UUID,
        *,
        level: ListingLevel,
        supervising_unit: str,
        reason: str,
        raised_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.raise_listing(level, supervising_unit, reason, raised_by)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def lift_listing(
        self,
        hazard_id: UUID,
        *,
        reason: str,
        lifted_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.lift_listing(reason, lifted_by)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def check_deadline(self, hazard_id: UUID, *, today: date, metadata: EventMetadata) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.check_deadline(today, self.deadline_rules())
        return self.record(hazard, metadata=metadata)

    def report_to_regulator(
        self,
        hazard_id: UUID,
        *,
        regulator: str,
        metadata: EventMetadata,
        reference: str | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.report_to_regulator(regulator, reference)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def order_suspension(
        self,
        hazard_id: UUID,
        *,
        ordered_by: str,
        scope: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.order_suspension(ordered_by, scope)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def assess_for_resumption(
        self,
        hazard_id: UUID,
        *,
        experts: str,
        passed: bool,
        opinion: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.assess_for_resumption(experts, passed, opinion)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def lift_suspension(
        self,
        hazard_id: UUID,
        *,
        lifted_by: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.lift_suspension(lifted_by)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )
