"""The district office's privacy routes: the read audit, and forgetting a person."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from pingan.api.deps import Runtime
from pingan.api.problems import Problem, not_found
from pingan.api.times import OfficeDateTime
from pingan.auth.actions import Action
from pingan.auth.principal import Principal
from pingan.auth.rules import Grant, requires
from pingan.privacy.people import RetainedByLaw, UnknownPerson

router = APIRouter(prefix="/privacy", tags=["privacy"])


def privacy_officer(grant: Annotated[Grant, requires(Action.PERSONAL_DATA_MANAGE)]) -> Principal:
    return grant.principal


DistrictOffice = Annotated[Principal, Depends(privacy_officer)]


class PersonalRead(BaseModel):
    at: OfficeDateTime
    subject: str
    role: str
    person_id: UUID
    field: str
    purpose: str
    record_id: str


class ForgetPerson(BaseModel):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = Field(description="Why the person's data is erased (recorded)")


class Forgotten(BaseModel):
    person_id: UUID
    forgotten: bool
    kinds: list[str]


@router.get("/reads")
async def list_personal_reads(
    runtime: Runtime,
    _: DistrictOffice,
    person_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[PersonalRead]:
    """The read audit of personal data, newest first (个人信息查阅记录)."""
    found = await run_in_threadpool(runtime.people.reads, person_id, limit)
    return [PersonalRead.model_validate(r, from_attributes=True) for r in found]


@router.post("/people/{person_id}/forget")
async def forget_person(
    person_id: UUID, body: ForgetPerson, runtime: Runtime, office: DistrictOffice
) -> Forgotten:
    """Forget a person: delete their key, so that their sealed data can never be read again."""
    try:
        outcome = await run_in_threadpool(
            lambda: runtime.people.forget(person_id, by=office.subject, reason=body.reason)
        )
    except UnknownPerson:
        raise not_found("person", person_id) from None
    except RetainedByLaw as kept:
        raise Problem(
            409,
            "retained-by-law",
            f"the law requires these records to be kept: {kept}",
            params={"rules": str(kept)},
            rules=list(kept.rules),
        ) from None
    return Forgotten(person_id=person_id, forgotten=outcome.forgotten, kinds=list(outcome.kinds))
