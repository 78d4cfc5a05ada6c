"""Issuing the quarterly report: the figures as issued, recorded as events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hazards.domain.quarterly_report import Figures, QuarterlyReport, report_id
from pingan.write.application import Recorded, RecordNotFound, ServiceApplication
from pingan.write.metadata import EventMetadata


@dataclass(frozen=True)
class IssuedVersion:
    version: int
    reissue: bool
    rows: Figures
    reason: str | None
    issued_by: str
    issued_on: date | None
    recorded_at: datetime
    register_position: int


class ReportCommands(ServiceApplication):
    def issue_quarterly_report(
        self,
        year: int,
        quarter: int,
        *,
        rows: Figures,
        issued_by: str,
        register_position: int,
        reason: str | None,
        today: date,
        metadata: EventMetadata,
    ) -> Recorded:
        """The first issue of the quarter, or a reissue (with its reason) of one issued."""
        try:
            report = self.get(report_id(year, quarter), QuarterlyReport)
        except RecordNotFound:
            report = QuarterlyReport.issue(year, quarter, rows, issued_by, register_position, today)
        else:
            report.reissue(rows, reason or "", issued_by, register_position)
        return self.record(report, metadata=metadata, business_date=today)

    def quarterly_issues(self, year: int, quarter: int) -> list[IssuedVersion]:
        """Every issue of the quarter's report, the first first; none if never issued."""
        versions = []
        for stored in self.repository.event_store.get(report_id(year, quarter)):
            state: dict[str, Any] = vars(stored)
            reissue = isinstance(stored, QuarterlyReport.Reissued)
            versions.append(
                IssuedVersion(
                    version=state["version"] if reissue else 1,
                    reissue=reissue,
                    rows=state["rows"],
                    reason=state["reason"] if reissue else None,
                    issued_by=state["issued_by"],
                    issued_on=state.get("business_date"),
                    recorded_at=state["timestamp"],
                    register_position=state["register_position"],
                )
            )
        return versions
