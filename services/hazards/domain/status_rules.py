"""When a hazard counts as open, overdue or fixed on time: stated once, for the aggregate,
the read views and the reports alike."""

from __future__ import annotations

from datetime import date

from hazards.domain.vocabulary import HazardStatus

S = HazardStatus

#: A deadline runs in these states (once planned; a hazard fixed on the spot has none).
WITH_DEADLINE: tuple[HazardStatus, ...] = (
    S.PLANNED,
    S.ASSIGNED,
    S.SCHEDULED,
    S.RECTIFYING,
    S.RECTIFICATION_REPORTED,
)
#: Still to be dealt with: not yet verified, closed or rejected.
OPEN: tuple[HazardStatus, ...] = (S.REPORTED, S.FILED, *WITH_DEADLINE)
#: On the open-items ledger under supervision (挂账): from filing (建档) until struck off
#: (销号) at closure; a failed acceptance (退回整改) keeps it there.
ON_LEDGER: tuple[HazardStatus, ...] = (S.FILED, *WITH_DEADLINE, S.VERIFIED)
#: Done with, one way or another.
SETTLED: tuple[HazardStatus, ...] = (S.VERIFIED, S.CLOSED, S.REJECTED)


def is_overdue(
    status: HazardStatus, deadline: date | None, overdue_since: date | None, today: date
) -> bool:
    """Its deadline has passed while it is still being rectified; marked overdue (by the
    deadline check) or not yet."""
    if status not in WITH_DEADLINE:
        return False
    return overdue_since is not None or (deadline is not None and deadline < today)


def is_on_time(verified_on: date, deadline: date | None, missed_deadline: date | None) -> bool:
    """Verified by the deadline in force when it became overdue (`missed_deadline`, the first
    it missed, which a later extension does not erase), else by its deadline; a hazard
    without one (fixed on the spot) is on time."""
    judged_against = missed_deadline or deadline
    return judged_against is None or verified_on <= judged_against
