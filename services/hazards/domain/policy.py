"""The office's rules for deadlines: when an overdue hazard escalates, when extensions close."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from hazards.domain.vocabulary import Escalation
from pingan.write.domain import RuleViolation

POLICY_ID = uuid5(UUID("6f1c1f7e-5a8a-4a0e-9a55-0d1f0c2b9e10"), "hazards.deadline-policy")


@dataclass(frozen=True)
class DeadlineRules:
    """Days overdue (today minus the deadline; 1 on the first day after it) from which each
    escalation step is due, and how many days before the deadline an extension must be
    asked for."""

    reminder_after_days: int = 1
    supervision_letter_after_days: int = 7
    public_notice_after_days: int = 15
    extension_lead_days: int = 3

    def __post_init__(self) -> None:
        steps = (
            self.reminder_after_days,
            self.supervision_letter_after_days,
            self.public_notice_after_days,
        )
        if min(*steps, self.extension_lead_days) < 0:
            raise RuleViolation("days cannot be negative")
        if min(steps) < 1:
            raise RuleViolation("escalation days start at 1, the first day overdue")
        if list(steps) != sorted(steps):
            raise RuleViolation("escalation steps must come in ladder order")

    def due_level(self, days_overdue: int) -> Escalation:
        if days_overdue >= self.public_notice_after_days:
            return Escalation.PUBLIC_NOTICE
        if days_overdue >= self.supervision_letter_after_days:
            return Escalation.SUPERVISION_LETTER
        if days_overdue >= self.reminder_after_days:
            return Escalation.REMINDER
        return Escalation.NONE


class DeadlinePolicy(Aggregate):
    """The one set of deadline rules the office keeps (a singleton with a fixed id)."""

    @staticmethod
    def create_id() -> UUID:
        return POLICY_ID

    class Set(Aggregate.Created):
        reminder_after_days: int
        supervision_letter_after_days: int
        public_notice_after_days: int
        extension_lead_days: int

    class Changed(Aggregate.Event):
        reminder_after_days: int
        supervision_letter_after_days: int
        public_notice_after_days: int
        extension_lead_days: int

    @event(Set)
    def __init__(
        self,
        reminder_after_days: int,
        supervision_letter_after_days: int,
        public_notice_after_days: int,
        extension_lead_days: int,
    ) -> None:
        self._apply(
            reminder_after_days,
            supervision_letter_after_days,
            public_notice_after_days,
            extension_lead_days,
        )

    def _apply(self, reminder: int, letter: int, notice: int, lead: int) -> None:
        self.rules = DeadlineRules(reminder, letter, notice, lead)

    def change(self, rules: DeadlineRules) -> None:
        if rules != self.rules:
            self._changed(
                reminder_after_days=rules.reminder_after_days,
                supervision_letter_after_days=rules.supervision_letter_after_days,
                public_notice_after_days=rules.public_notice_after_days,
                extension_lead_days=rules.extension_lead_days,
            )

    @event(Changed)
    def _changed(
        self,
        reminder_after_days: int,
        supervision_letter_after_days: int,
        public_notice_after_days: int,
        extension_lead_days: int,
    ) -> None:
        self._apply(
            reminder_after_days,
            supervision_letter_after_days,
            public_notice_after_days,
            extension_lead_days,
        )
