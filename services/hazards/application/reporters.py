"""The reporter of a hazard as personal data: mentioned in the people registry, sealed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pingan.privacy import People, RecordKind, Retention

#: A reporter is needed to check a report and answer its reporter, not to keep the hazard on
#: the books: their data may be erased on request, the hazard stays.
REPORTER = RecordKind(
    "hazards.reporter",
    Retention.erasable_on_request(
        "举报人信息仅用于核实和回复,本人请求即可删除,隐患记录保留"
        "(个人信息保护法第四十七条) / a reporter's data serves checking and answering the "
        "report and is erased on request; the hazard record stays (PIPL art. 47)"
    ),
)


@dataclass(frozen=True)
class ReporterDetails:
    """Who reported, as stated: a name, optionally how to reach them, and whether they ask
    to stay anonymous to everyone but the district office."""

    name: str
    phone: str | None = None
    id_number: str | None = None
    anonymous: bool = False


def sealed_reporter(people: People, hazard_id: UUID, reporter: ReporterDetails) -> dict[str, Any]:
    """The Hazard's reporter fields, each sealed under the reporter's own key."""
    mention = people.mention(
        REPORTER,
        hazard_id,
        name=reporter.name,
        phone=reporter.phone,
        id_number=reporter.id_number,
    )
    return {
        "reporter": mention.name,
        "reporter_person_id": mention.person.id,
        "reporter_phone": mention.phone,
        "reporter_id_number": mention.id_number,
        "reporter_anonymous": reporter.anonymous,
    }
