"""The register's reporters as each caller may see them (pingan.privacy)."""

from __future__ import annotations

from collections.abc import Sequence

from hazards.projections.register.queries import HazardView
from pingan.auth.principal import Principal
from pingan.privacy import Field, People, PersonalFields, disclose, may_see


async def shown(
    people: People, principal: Principal, purpose: str, views: Sequence[HazardView]
) -> list[HazardView]:
    records = [
        PersonalFields(
            str(v.id),
            v.township,
            v.reporter_anonymous,
            {
                Field.NAME: v.reporter,
                Field.PHONE: v.reporter_phone,
                Field.ID_NUMBER: v.reporter_id_number,
            },
        )
        for v in views
    ]
    answers = await disclose(people, principal, purpose, records)
    return [
        v.model_copy(
            update={
                "reporter": a[Field.NAME] or "",
                "reporter_phone": a[Field.PHONE],
                "reporter_id_number": a[Field.ID_NUMBER],
                "reporter_person_id": (
                    v.reporter_person_id
                    if may_see(principal, v.township, anonymous=v.reporter_anonymous)
                    else None
                ),
            }
        )
        for v, a in zip(views, answers, strict=True)
    ]
