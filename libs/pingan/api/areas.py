"""The district's reference areas, read-only, under every service."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pingan.auth.actions import Action
from pingan.auth.rules import requires
from pingan.reference import current_district

router = APIRouter(tags=["areas"])


class VillageOut(BaseModel):
    name: str
    code: str | None = Field(description="统计用区划代码; none for a configured extra area")
    aliases: list[str]


class TownshipOut(BaseModel):
    name: str
    code: str | None
    aliases: list[str]
    villages: list[VillageOut]


class AreasOut(BaseModel):
    district: str
    code: str
    townships: list[TownshipOut]


@router.get("/areas", dependencies=[requires(Action.SIGNED_IN)])
def list_areas() -> AreasOut:
    """The district's townships and streets (乡镇/街道) with their villages and communities."""
    district = current_district()
    return AreasOut(
        district=district.name,
        code=district.code,
        townships=[
            TownshipOut(
                name=t.name,
                code=t.code,
                aliases=list(t.aliases),
                villages=[
                    VillageOut(name=v.name, code=v.code, aliases=list(v.aliases))
                    for v in t.villages
                ],
            )
            for t in district.townships
        ],
    )
