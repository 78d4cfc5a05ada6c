"""Commands on cases: get, change, record with who and why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from campaigns.application.suspects import SuspectDetails, sealed_suspects
from campaigns.application.vocabulary import Configured
from campaigns.domain.case import Case
from campaigns.domain.measures import Seizure
from pingan.write.application import Recorded
from pingan.write.metadata import EventMetadata


class CaseCommands(Configured):
    def get_case(self, case_id: UUID) -> Case:
        return self.get(case_id, Case)

    def register_case(
        self,
        *,
        kind: str,
        township: str,
        village: str,
        place: str,
        happened_at: datetime,
        registered_on: date,
        registered_by: str,
        metadata: EventMetadata,
        today: date | None = None,
        place_tags: list[str] | None = None,
        case_number: str | None = None,
        unit_id: str | None = None,
        unit_name: str | None = None,
        deaths: int = 0,
        serious_injuries: int = 0,
        loss_yuan: Decimal = Decimal(0),
        summary: str = "",
    ) -> Recorded:
        case = Case.register(
            kind=self.vocabulary.case_kind(kind),
            township=township,
            village=village,
            place=place,
            happened_at=happened_at,
            registered_on=registered_on,
            registered_by=registered_by,
            place_tags=place_tags,
            case_number=case_number,
            unit_id=unit_id,
            unit_name=unit_name,
            deaths=deaths,
            serious_injuries=serious_injuries,
            loss_yuan=loss_yuan,
            summary=summary,
        )
        return self.record(
            case,
            metadata=metadata,
            business_date=self.dated(registered_on, today),
            after_latest=False,
        )

    def reclassify_case(
        self,
        case_id: UUID,
        *,
        kind: str,
        reason: str,
        metadata: EventMetadata,
        deaths: int | None = None,
        serious_injuries: int | None = None,
        loss_yuan: Decimal | None = None,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.reclassify(
            self.vocabulary.case_kind(kind),
            reason,
            deaths=deaths,
            serious_injuries=serious_injuries,
            loss_yuan=loss_yuan,
        )
        return self.record(case, metadata=metadata, business_date=self.dated(business_date, today))

    def flag_major_case(
        self,
        case_id: UUID,
        *,
        reason: str,
        metadata: EventMetadata,
        business_date: date | None = None,
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.flag_major(reason)
        return self.record(case, metadata=metadata, business_date=self.dated(business_date, today))

    def withdraw_case(
        self,
        case_id: UUID,
        *,
        withdrawn_on: date,
        reason: str,
        metadata: EventMetadata,
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.withdraw(withdrawn_on, reason)
        return self.record(case, metadata=metadata, business_date=self.dated(withdrawn_on, today))

    def solve_case(
        self, case_id: UUID, *, solved_on: date, metadata: EventMetadata, today: date | None = None
    ) -> Recorded:
        case = self.get_case(case_id)
        case.solve(solved_on)
        return self.record(case, metadata=metadata, business_date=self.dated(solved_on, today))

    def apprehend_suspects(
        self,
        case_id: UUID,
        *,
        count: int,
        apprehended_on: date,
        metadata: EventMetadata,
        suspects: list[SuspectDetails] | None = None,
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.apprehend(count, apprehended_on, sealed_suspects(self.people, case_id, suspects or []))
        return self.record(
            case,
            metadata=metadata,
            business_date=self.dated(apprehended_on, today),
            after_latest=False,
        )

    def dismantle_gangs(
        self,
        case_id: UUID,
        *,
        count: int,
        dismantled_on: date,
        metadata: EventMetadata,
        description: str = "",
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.dismantle_gangs(count, dismantled_on, description)
        return self.record(
            case,
            metadata=metadata,
            business_date=self.dated(dismantled_on, today),
            after_latest=False,
        )

    def record_seizures(
        self,
        case_id: UUID,
        *,
        seized_on: date,
        seizures: list[Seizure],
        metadata: EventMetadata,
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.record_seizures(seized_on, seizures)
        return self.record(
            case,
            metadata=metadata,
            business_date=self.dated(seized_on, today),
            after_latest=False,
        )

    def transfer_case(
        self,
        case_id: UUID,
        *,
        transferred_on: date,
        suspects: int,
        prosecutor: str,
        metadata: EventMetadata,
        today: date | None = None,
    ) -> Recorded:
        case = self.get_case(case_id)
        case.transfer(transferred_on, suspects, prosecutor)
        return self.record(case, metadata=metadata, business_date=self.dated(transferred_on, today))

    def close_case(
        self, case_id: UUID, *, closed_on: date, metadata: EventMetadata, today: date | None = None
    ) -> Recorded:
        case = self.get_case(case_id)
        case.close(closed_on)
        return self.record(case, metadata=metadata, business_date=self.dated(closed_on, today))
