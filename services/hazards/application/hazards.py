"""Commands on hazards: get the aggregate, change it, record it with who and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from hazards.application.key_areas import require_key_area
from hazards.application.reporters import ReporterDetails, sealed_reporter
from hazards.domain.evidence import Evidence
from hazards.domain.hazard import Hazard
from hazards.domain.policy import POLICY_ID, DeadlinePolicy, DeadlineRules
from hazards.domain.vocabulary import Category, Grade, ListingLevel, RejectionReason, Source
from pingan.write.application import Recorded, RecordNotFound, ServiceApplication
from pingan.write.domain import RuleViolation
from pingan.write.duties import require_other_person
from pingan.write.metadata import EventMetadata

#: Separation of duties: who reported a hazard or its rectification does not verify it.
VERIFIER_NOT_REPORTER = "verifier-not-reporter"


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
            policy = DeadlinePolicy(
                reminder_after_days=rules.reminder_after_days,
                supervision_letter_after_days=rules.supervision_letter_after_days,
                public_notice_after_days=rules.public_notice_after_days,
                extension_lead_days=rules.extension_lead_days,
            )
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
        if key_area_id is not None:
            require_key_area(self, key_area_id)
        hazard_id = uuid4()
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
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
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
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def file_hazard(
        self,
        hazard_id: UUID,
        *,
        category: Category,
        grade: Grade,
        file_number: str,
        likelihood: int,
        severity: int,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.file(category, grade, file_number, likelihood, severity)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

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
        hazard.plan(measures, deadline, today, responsible_person, funds_yuan, contingency_plan)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

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
        hazard.schedule(batch, starts_on)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
        )

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
        hazard.close(closed_by)
        return self.record(
            hazard, metadata=metadata, business_date=self.dated(business_date, today)
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
        hazard.decide_extension(approve, approver, reason)
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

    def check_deadline(self, hazard_id: UUID, *, today: date, metadata: EventMetadata) -> Recorded:
        hazard = self.get_hazard(hazard_id)
        hazard.check_deadline(today, self.deadline_rules())
        return self.record(hazard, metadata=metadata)
