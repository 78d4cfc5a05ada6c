"""The kinds of campaign and case the office works with (configuration)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from campaigns.api.deps import CampaignsApp
from campaigns.domain.kinds import CaseCategory, Homicide
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires

router = APIRouter(prefix="/kinds", tags=["kinds"])


class CaseKindView(BaseModel):
    code: str
    name: str
    category: CaseCategory
    homicide: Homicide = Field(description="命案: always, if the case caused a death, or never")
    aliases: list[str]


class CampaignKindView(BaseModel):
    code: str
    name: str
    aliases: list[str] = Field(description="Other names, e.g. the source's 打黑除恶")
    case_kinds: list[str] = Field(description="The case kinds that count towards it")
    place_tag: str | None = Field(description="A tag a case must carry to count, e.g. campus")


class Kinds(BaseModel):
    campaign_kinds: list[CampaignKindView]
    case_kinds: list[CaseKindView]


@router.get("")
def list_kinds(grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)], app: CampaignsApp) -> Kinds:
    """The campaign kinds and case kinds, shipped and configured."""
    vocabulary = app.vocabulary
    return Kinds(
        campaign_kinds=[
            CampaignKindView(
                code=k.code,
                name=k.name,
                aliases=list(k.aliases),
                case_kinds=list(k.case_kinds),
                place_tag=k.place_tag,
            )
            for k in vocabulary.campaign_kinds
        ],
        case_kinds=[
            CaseKindView(
                code=k.code,
                name=k.name,
                category=k.category,
                homicide=k.homicide,
                aliases=list(k.aliases),
            )
            for k in vocabulary.case_kinds
        ],
    )
