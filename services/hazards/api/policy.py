"""The office's deadline rules: the reminder before a deadline, the escalation intervals, the
extension lead time, and the supervised-listing rules (see `hazards.domain.policy`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter

from hazards.api.deps import HazardsApp
from hazards.api.schemas import Accepted, DeadlineRulesBody
from hazards.domain.policy import POLICY_ID, DeadlineRules
from pingan.api.deps import CommandMeta
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires

router = APIRouter(prefix="/deadline-rules", tags=["deadline rules"])


@router.get("")
def get_deadline_rules(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    app: HazardsApp,
) -> DeadlineRulesBody:
    """Days overdue from which each escalation step is due; days of notice for an extension and
    for the reminder before the deadline; whether overdue major hazards are listed by the
    deadline check and listings lifted at closure."""
    return DeadlineRulesBody(**asdict(app.deadline_rules()))


@router.put("")
def set_deadline_rules(
    grant: Annotated[Grant, requires(A.HAZARDS_RULES)],
    body: DeadlineRulesBody,
    app: HazardsApp,
    meta: CommandMeta,
) -> Accepted:
    """Change the deadline rules; they apply from the next deadline check."""
    app.set_deadline_rules(DeadlineRules(**body.model_dump()), meta)
    # The rules are read from the event store, not from a view: nothing to wait for.
    return Accepted(id=POLICY_ID, position=0)
