"""The office's rules for deadlines: the reminder before a deadline (临期提醒), the escalation
ladder after it, when extensions close, and how supervised listing (挂牌督办) follows overdue
major hazards and closure.

- 临期提醒: the deadline check records one `DeadlineApproaching` per deadline once the days
  left (the deadline minus today; 0 on the deadline day) are at most `approaching_days`;
  0 switches the reminder off. An approved extension gives a new deadline and so a new
  reminder.
- `list_overdue_major`: an overdue major hazard (重大隐患) not yet listed is listed by the
  deadline check itself, at district level under `listing_unit`.
- `lift_listing_at_closure`: closing a listed hazard lifts its listing with it; otherwise
  (the default) the listing is lifted by its own act once the hazard is verified, as the
  listing body does (摘牌) after its acceptance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from hazards.domain.vocabulary import Escalation
from pingan.write.domain import RuleViolation

POLICY_ID = uuid5(UUID("6f1c1f7e-5a8a-4a0e-9a55-0d1f0c2b9e10"), "hazards.deadline-policy")
#: Who lists an overdue major hazard when the deadline check does it.
DISTRICT_LISTING_UNIT = "区委政法委"


@dataclass(frozen=True)
class DeadlineRules:
    """Days overdue (today minus the deadline; 1 on the first day after it) from which each
    escalation step is due, how many days before the deadline an extension must be asked for
    and the reminder falls due, and the office's listing rules (see the module)."""

    reminder_after_days: int = 1
    supervision_letter_after_days: int = 7
    public_notice_after_days: int = 15
    extension_lead_days: int = 3
    approaching_days: int = 3
    list_overdue_major: bool = False
    listing_unit: str = DISTRICT_LISTING_UNIT
    lift_listing_at_closure: bool = False

    def __post_init__(self) -> None:
        steps = (
            self.reminder_after_days,
            self.supervision_letter_after_days,
            self.public_notice_after_days,
        )
        if min(*steps, self.extension_lead_days, self.approaching_days) < 0:
            raise RuleViolation("days cannot be negative")
        if min(steps) < 1:
            raise RuleViolation("escalation days start at 1, the first day overdue")
        if list(steps) != sorted(steps):
            raise RuleViolation("escalation steps must come in ladder order")
        if not self.listing_unit.strip():
            raise RuleViolation("the listing unit must be named")

    def due_level(self, days_overdue: int) -> Escalation:
        if days_overdue >= self.public_notice_after_days:
            return Escalation.PUBLIC_NOTICE
        if days_overdue >= self.supervision_letter_after_days:
            return Escalation.SUPERVISION_LETTER
        if days_overdue >= self.reminder_after_days:
            return Escalation.REMINDER
        return Escalation.NONE

    def approaching(self, days_left: int) -> bool:
        """The reminder before the deadline is due (临期提醒)."""
        return 0 <= days_left <= self.approaching_days and self.approaching_days > 0


#: What the rules added in version 2 of the policy's events, as the office had them before.
_V2_DEFAULTS: dict[str, Any] = {
    "approaching_days": 0,
    "list_overdue_major": False,
    "listing_unit": DISTRICT_LISTING_UNIT,
    "lift_listing_at_closure": True,
}


class DeadlinePolicy(Aggregate):
    """The one set of deadline rules the office keeps (a singleton with a fixed id).

    Rules set before the reminder and the listing rules existed read as the office ran then:
    no reminder, no listing by the check, a listing lifted at closure."""

    @staticmethod
    def create_id() -> UUID:
        return POLICY_ID

    class Set(Aggregate.Created):
        class_version = 2

        reminder_after_days: int
        supervision_letter_after_days: int
        public_notice_after_days: int
        extension_lead_days: int
        approaching_days: int
        list_overdue_major: bool
        listing_unit: str
        lift_listing_at_closure: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(_V2_DEFAULTS)

    class Changed(Aggregate.Event):
        class_version = 2

        reminder_after_days: int
        supervision_letter_after_days: int
        public_notice_after_days: int
        extension_lead_days: int
        approaching_days: int
        list_overdue_major: bool
        listing_unit: str
        lift_listing_at_closure: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(_V2_DEFAULTS)

    @event(Set)
    def __init__(
        self,
        reminder_after_days: int,
        supervision_letter_after_days: int,
        public_notice_after_days: int,
        extension_lead_days: int,
        approaching_days: int,
        list_overdue_major: bool,
        listing_unit: str,
        lift_listing_at_closure: bool,
    ) -> None:
        self.rules = DeadlineRules(
            reminder_after_days,
            supervision_letter_after_days,
            public_notice_after_days,
            extension_lead_days,
            approaching_days,
            list_overdue_major,
            listing_unit,
            lift_listing_at_closure,
        )

    @classmethod
    def of(cls, rules: DeadlineRules) -> DeadlinePolicy:
        return cls(**asdict(rules))

    def change(self, rules: DeadlineRules) -> None:
        if rules != self.rules:
            self._changed(**asdict(rules))

    @event(Changed)
    def _changed(
        self,
        reminder_after_days: int,
        supervision_letter_after_days: int,
        public_notice_after_days: int,
        extension_lead_days: int,
        approaching_days: int,
        list_overdue_major: bool,
        listing_unit: str,
        lift_listing_at_closure: bool,
    ) -> None:
        self.rules = DeadlineRules(
            reminder_after_days,
            supervision_letter_after_days,
            public_notice_after_days,
            extension_lead_days,
            approaching_days,
            list_overdue_major,
            listing_unit,
            lift_listing_at_closure,
        )
