"""Suspects as personal data: mentioned in the people registry, sealed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pingan.privacy import People, RecordKind, Retention

#: Criminal case files are kept by law: a suspect's data cannot be erased on request.
SUSPECT = RecordKind(
    "campaigns.suspect",
    Retention.kept_by_law(
        "公安机关刑事、治安案件档案依法保存,犯罪嫌疑人信息不因本人请求删除"
        "(个人信息保护法第四十七条、公安机关执法档案管理规定) / case files are kept by law: "
        "a suspect's data is not erased on request (PIPL art. 47)"
    ),
)


@dataclass(frozen=True)
class SuspectDetails:
    """A suspect the ledger must name: a name, and an identity number when known."""

    name: str
    id_number: str | None = None


def sealed_suspects(
    people: People, case_id: UUID, suspects: list[SuspectDetails]
) -> list[dict[str, Any]]:
    """Each suspect's fields, sealed under their own key."""
    sealed = []
    for suspect in suspects:
        mention = people.mention(SUSPECT, case_id, name=suspect.name, id_number=suspect.id_number)
        sealed.append(
            {
                "person_id": str(mention.person.id),
                "name": mention.name,
                "id_number": mention.id_number,
            }
        )
    return sealed
