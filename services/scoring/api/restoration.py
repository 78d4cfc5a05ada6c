"""Routes that give a revoked title back: the district office restores it once the cause was
corrected upstream (撤案, or below the bar), and decides the appeals (申诉) units lodge."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import Field

from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from scoring.api.deps import ScoringApp, Today
from scoring.api.schemas import LongText

router = APIRouter(prefix="/units", tags=["units"])


class RestoreTitle(Command):
    reason: LongText = Field(description="Why the title is given back (恢复命名理由)")
    restored_on: date | None = Field(default=None, description="恢复日期, today unless given")


class LodgeAppeal(Command):
    reason: LongText = Field(description="What the unit says against the revocation (申诉理由)")
    lodged_on: date | None = Field(default=None, description="申诉日期, today unless given")


class DecideAppeal(Command):
    number: int = Field(ge=1, description="The appeal's number on the unit")
    upheld: bool = Field(description="Whether the appeal is upheld: then the title is restored")
    reason: LongText = Field(description="Why (裁决意见)")
    decided_on: date | None = Field(default=None, description="裁决日期, today unless given")


@router.post("/{unit_id}/restoration")
def restore_title(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    unit_id: UUID,
    body: RestoreTitle,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Restore a title whose revocation's cause was corrected upstream (恢复命名)."""
    return Accepted.of(app.restore_title(unit_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{unit_id}/appeals")
def lodge_appeal(
    grant: Annotated[Grant, requires(A.SCORING_REGISTER)],
    unit_id: UUID,
    body: LodgeAppeal,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Lodge an appeal (申诉) against the revocation of the unit's title."""
    grant.within(app.get_unit(unit_id).township)
    return Accepted.of(app.lodge_appeal(unit_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{unit_id}/appeals/decision")
def decide_appeal(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    unit_id: UUID,
    body: DecideAppeal,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Decide an appeal: upheld, the title is restored; dismissed, it stays revoked."""
    return Accepted.of(app.decide_appeal(unit_id, **body.model_dump(), today=today, metadata=meta))
