"""The warning watch (预警监测): a reaction to the service's own case events that counts each
case in its series' monthly tallies and raises a warning when a month stands out.

It reads nothing but its own aggregates (tallies, the case's counted record, the history),
and records them together with the stream position it answers, so a redelivered event or a
crash mid-batch has no second effect; and a warning's id is its series and month, so a
second one cannot be made even by a batch decided twice.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from campaigns.application import CampaignsApplication
from campaigns.domain.kinds import CaseCategory
from campaigns.domain.warning import (
    CountedCase,
    CountHistory,
    EarlyWarning,
    MonthlyTally,
    WarningLevel,
)
from campaigns.domain.warning_rule import DISTRICT, Series, score, series_of
from pingan.bus.contracts import ConsumedEvent
from pingan.bus.envelope import Envelope
from pingan.consume.reactions import Reacting, Reaction, reacts_to

Ctx = Reacting[CampaignsApplication]


class CaseRegistered(ConsumedEvent):
    """The watch's trimmed copy of CaseRegisteredV1."""

    event_type: ClassVar[str] = "pingan.campaigns.case.registered.v1"
    subject: ClassVar[str] = "campaigns.case.registered"

    case_id: UUID
    category: CaseCategory
    kind: str
    kind_name: str
    township: str
    registered_on: date


class CaseWithdrawn(ConsumedEvent):
    """The watch's trimmed copy of CaseWithdrawnV1."""

    event_type: ClassVar[str] = "pingan.campaigns.case.withdrawn.v1"
    subject: ClassVar[str] = "campaigns.case.withdrawn"

    case_id: UUID


class CaseReclassified(ConsumedEvent):
    """The watch's trimmed copy of CaseReclassifiedV1."""

    event_type: ClassVar[str] = "pingan.campaigns.case.reclassified.v1"
    subject: ClassVar[str] = "campaigns.case.reclassified"

    case_id: UUID
    category: CaseCategory
    kind: str
    kind_name: str


#: The names of a category's total, as a warning shows it.
TOTALS = {
    CaseCategory.CRIMINAL.value: "刑事案件合计",
    CaseCategory.PUBLIC_ORDER.value: "治安案件合计",
}


class WarningWatch(Reaction[CampaignsApplication]):
    name = "warnings"
    sources = ("CAMPAIGNS",)

    @reacts_to(CaseRegistered)
    def registered(self, ctx: Ctx, e: CaseRegistered, env: Envelope) -> None:
        if ctx.find(CountedCase.create_id(e.case_id), CountedCase) is not None:
            return
        month = e.registered_on.isoformat()[:7]
        counted = CountedCase(
            case_id=e.case_id,
            township=e.township,
            kind=e.kind,
            category=e.category.value,
            month=month,
        )
        ctx.changed(counted)
        history = ctx.find(CountHistory.create_id(), CountHistory)
        if history is None:
            history = CountHistory(since=month)
        history.reaches(month)
        ctx.changed(history)
        for series in series_of(e.township, e.kind, e.category.value):
            self._count(ctx, series, month, e.case_id, e.kind_name, history)

    @reacts_to(CaseWithdrawn)
    def withdrawn(self, ctx: Ctx, e: CaseWithdrawn, env: Envelope) -> None:
        counted = ctx.find(CountedCase.create_id(e.case_id), CountedCase)
        if counted is None or not counted.counting:
            return
        for series in series_of(counted.township, counted.kind, counted.category):
            self._uncount(ctx, series, counted.month, e.case_id)
        counted.withdraw()
        ctx.changed(counted)

    @reacts_to(CaseReclassified)
    def reclassified(self, ctx: Ctx, e: CaseReclassified, env: Envelope) -> None:
        counted = ctx.find(CountedCase.create_id(e.case_id), CountedCase)
        if counted is None or not counted.counting or counted.kind == e.kind:
            return
        before = set(series_of(counted.township, counted.kind, counted.category))
        after = series_of(counted.township, e.kind, e.category.value)
        for series in before - set(after):
            self._uncount(ctx, series, counted.month, e.case_id)
        counted.move(e.kind, e.category.value)
        ctx.changed(counted)
        history = ctx.get(CountHistory.create_id(), CountHistory)
        for series in after:
            if series not in before:
                self._count(ctx, series, counted.month, e.case_id, e.kind_name, history)

    def _tally(self, ctx: Ctx, series: Series, month: str) -> MonthlyTally | None:
        return ctx.find(MonthlyTally.id_of(series, month), MonthlyTally)

    def _uncount(self, ctx: Ctx, series: Series, month: str, case_id: UUID) -> None:
        tally = self._tally(ctx, series, month)
        if tally is not None:
            tally.uncount(case_id)
            ctx.changed(tally)

    def _count(
        self,
        ctx: Ctx,
        series: Series,
        month: str,
        case_id: UUID,
        kind_name: str,
        history: CountHistory,
    ) -> None:
        tally = self._tally(ctx, series, month) or MonthlyTally(series.area, series.kind, month)
        tally.count(case_id)
        rule = ctx.app.warning_rule
        if tally.judged_at != history.revision:
            baseline = rule.baseline(month, history.since, lambda m: self._total(ctx, series, m))
            tally.judge(baseline, history.revision)
        ctx.changed(tally)
        if tally.baseline is None or not rule.fires(tally.total, tally.baseline):
            return
        warning_id = EarlyWarning.create_id(series.area, series.kind, month)
        if ctx.find(warning_id, EarlyWarning) is not None:
            return
        warning = EarlyWarning(
            area=series.area,
            kind=series.kind,
            kind_name=TOTALS.get(series.kind, kind_name),
            level=_level(series).value,
            month=month,
            count=tally.total,
            baseline=round(tally.baseline, 3),
            score=round(score(tally.total, tally.baseline), 3),
            z=rule.z,
            threshold=rule.threshold(tally.baseline),
            case_id=case_id,
            township=None if series.area == DISTRICT else series.area,
        )
        ctx.changed(warning)

    def _total(self, ctx: Ctx, series: Series, month: str) -> int:
        tally = self._tally(ctx, series, month)
        return 0 if tally is None else tally.total


def _level(series: Series) -> WarningLevel:
    if series.area == DISTRICT:
        return WarningLevel.DISTRICT
    return WarningLevel.TOWNSHIP if series.kind in TOTALS else WarningLevel.CELL
