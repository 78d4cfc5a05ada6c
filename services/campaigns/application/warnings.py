"""Commands on early warnings, and the office's past figures that the warnings start from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from uuid import UUID

from campaigns.application.vocabulary import Configured
from campaigns.domain.warning import (
    CountHistory,
    EarlyWarning,
    MonthFigures,
    MonthlyTally,
)
from campaigns.domain.warning_rule import Series, month_index, series_of
from pingan.write.application import Recorded, RecordNotFound
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata

A = TypeVar("A")


@dataclass(frozen=True)
class Figure:
    """One township's count of one case kind in a month."""

    township: str
    kind: str
    count: int


class WarningCommands(Configured):
    def get_warning(self, warning_id: UUID) -> EarlyWarning:
        return self.get(warning_id, EarlyWarning)

    def acknowledge_warning(
        self,
        warning_id: UUID,
        *,
        acknowledged_by: str,
        note: str,
        metadata: EventMetadata,
        today: date,
        business_date: date | None = None,
    ) -> Recorded:
        warning = self.get_warning(warning_id)
        warning.acknowledge(acknowledged_by, note)
        return self.record(
            warning, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def record_warning_response(
        self,
        warning_id: UUID,
        *,
        response: str,
        recorded_by: str,
        metadata: EventMetadata,
        today: date,
        business_date: date | None = None,
    ) -> Recorded:
        warning = self.get_warning(warning_id)
        warning.record_response(response, recorded_by)
        return self.record(
            warning, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def close_warning(
        self,
        warning_id: UUID,
        *,
        summary: str,
        closed_by: str,
        metadata: EventMetadata,
        today: date,
        business_date: date | None = None,
    ) -> Recorded:
        warning = self.get_warning(warning_id)
        warning.close(summary, closed_by)
        return self.record(
            warning, metadata=metadata, business_date=self.dated(business_date, today)
        )

    def load_figures(
        self, *, month: str, figures: Iterable[Figure], metadata: EventMetadata, today: date
    ) -> Recorded:
        """The office's own count of a past month, by township and case kind (历史数据): the
        month's whole table, replacing any loaded before; the warnings' baselines read it."""
        if month_index(month) >= month_index(today.isoformat()[:7]):
            raise RuleViolation("past figures are for months before this one")
        cells: dict[str, int] = {}
        category: dict[str, str] = {}
        for figure in figures:
            kind = self.vocabulary.case_kind(figure.kind)
            key = f"{figure.township}|{kind.code}"
            if key in cells:
                raise RuleViolation("the figures name each township and kind once")
            if figure.count < 0:
                raise RuleViolation("a count cannot be negative")
            cells[key] = figure.count
            category[kind.code] = kind.category.value
        stored = self._find(MonthFigures.create_id(month), MonthFigures) or MonthFigures(month)
        changed = stored.load(cells)
        for key in changed:
            code = key.split("|", 1)[1]
            if code not in category:
                category[code] = self.vocabulary.case_kind(code).category.value
        # Each series a changed cell counts in takes the sum of the month's figures.
        sums: dict[Series, int] = defaultdict(int)
        for key, count in stored.figures.items():
            township, code = key.split("|", 1)
            for series in series_of(township, code, category[code]):
                sums[series] += count
        touched: set[Series] = set()
        for key in changed:
            township, code = key.split("|", 1)
            touched.update(series_of(township, code, category[code]))
        tallies = []
        for series in sorted(touched):
            tally_id = MonthlyTally.id_of(series, month)
            tally = self._find(tally_id, MonthlyTally) or MonthlyTally(
                series.area, series.kind, month
            )
            tally.load(sums.get(series, 0))
            tallies.append(tally)
        history = self._find(CountHistory.create_id(), CountHistory) or CountHistory(month)
        history.reaches(month)
        history.revise(month)
        return self.record(stored, metadata=metadata, also=[*tallies, history])

    def _find(self, ident: UUID, kind: type[A]) -> A | None:
        try:
            return self.get(ident, kind)
        except RecordNotFound:
            return None
