"""The quarterly hazard report as issued (季度报表签发): the figures as they were issued, kept
as events, one aggregate per quarter.

A quarter is issued once its last day has passed; what it records are the figures handed out,
row by row, whatever the register says later. Issuing it again (a reissue, 重新签发) records the
new figures beside the old, with the reason, and numbers the version, so that a reissue is
visible as such and the first issue stays readable. A reissue with the same figures is refused:
there is nothing to reissue.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import RuleViolation

_NAMESPACE = UUID("0b7c3f5e-2d4a-4f6e-9c1a-8e5d7b3a2f10")

Figures = list[dict[str, Any]]


def report_id(year: int, quarter: int) -> UUID:
    return uuid5(_NAMESPACE, f"hazards.quarterly-report.{year}-Q{quarter}")


def last_day(year: int, quarter: int) -> date:
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return following - timedelta(days=1)


class QuarterlyReport(Aggregate):
    """The issues of one quarter's report, in order; `version` counts them from 1."""

    class Issued(FirstFact):
        year: int
        quarter: int
        rows: Figures
        issued_by: str
        register_position: int

    class Reissued(Fact):
        version: int
        rows: Figures
        reason: str
        issued_by: str
        register_position: int

    @classmethod
    def create_id(cls, year: int, quarter: int, **_: Any) -> UUID:
        return report_id(year, quarter)

    @classmethod
    def issue(
        cls,
        year: int,
        quarter: int,
        rows: Figures,
        issued_by: str,
        register_position: int,
        today: date,
    ) -> QuarterlyReport:
        """Issue the quarter's figures for the first time, once the quarter has ended."""
        if today <= last_day(year, quarter):
            raise RuleViolation("a quarter's report is issued after the quarter has ended")
        return cls(year, quarter, rows, issued_by, register_position)

    @event(Issued)
    def __init__(
        self, year: int, quarter: int, rows: Figures, issued_by: str, register_position: int
    ) -> None:
        self.year = year
        self.quarter = quarter
        self.rows = rows
        self.version = 1

    def reissue(self, rows: Figures, reason: str, issued_by: str, register_position: int) -> None:
        """Issue corrected figures; the earlier issues stay on record."""
        if not reason.strip():
            raise RuleViolation("a reissued report must give its reason")
        if rows == self.rows:
            raise RuleViolation("the figures have not changed since the last issue")
        self._reissued(
            version=self.version + 1,
            rows=rows,
            reason=reason,
            issued_by=issued_by,
            register_position=register_position,
        )

    @event(Reissued)
    def _reissued(
        self, version: int, rows: Figures, reason: str, issued_by: str, register_position: int
    ) -> None:
        self.rows = rows
        self.version = version
