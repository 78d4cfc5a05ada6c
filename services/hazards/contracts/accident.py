"""The safety accident events the hazards service publishes (subjects `hazards.accident.<event>`).

These events feed the plaque-removal rule (摘牌制) in `scoring`: "对发生重大治安案件、安全生产
事故和群体性事件的, 严格实行摘牌制". Every event that sets or changes an accident's grade
(reported, figures revised) carries all a consumer needs to apply it without tracking the
accident:

- `severity`: general 一般 / larger 较大 / major 重大 / especially_major 特别重大, the grade the
  casualties and direct loss make under 生产安全事故报告和调查处理条例 art. 3 (deaths 3/10/30,
  serious injuries 10/50/100, loss 10M/50M/100M yuan, each bound inclusive);
- `major`: true exactly when `severity` is major or especially_major;
- `unit_id`: the creation unit (`scoring`'s unit id) the accident happened in, or null.

`occurred_at` is, as on every contract, when the event was recorded; when the accident itself
happened is `happened_at`.

Versions. `reported.v1` carried a grade the office could set above the figures ("for impact");
the regulation knows no such grade, so `reported.v2` carries the grade the figures make, and
when the district received the report. The stream keeps the v1 messages already published;
read their grade from their figures (`hazards.domain.accident.grade_of`), as the accident
register does. `reclassified.v1` is no longer published for new changes (see
`figures_revised.v1`); older ones not yet relayed go out with the grade their figures make.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import Field

from hazards.domain.accident import (
    AccidentKind,
    InvestigatingBody,
    ReportLevel,
    SafetyAccident,
    Severity,
)
from pingan.bus.contracts import IntegrationEvent, translator

MAJOR = Field(
    description="True exactly when severity is major or especially_major. With unit_id set, "
    "scoring strips that unit's safe-unit title (摘牌制)."
)
UNIT_ID = Field(
    default=None,
    description="The creation unit (scoring's unit id) the accident happened in, if any.",
)


class AccidentEvent(IntegrationEvent):
    accident_id: UUID
    occurred_at: datetime
    business_date: date | None = Field(
        default=None,
        description="业务日期: when the fact happened, as the user stated it (occurred_at is "
        "when it was recorded)",
    )


class AccidentReportedV1(AccidentEvent):
    """A safety accident (安全事故) was reported, graded at least as its casualties and direct
    loss require (生产安全事故报告和调查处理条例 art. 3).

    Plaque removal (摘牌制): when `major` is true and `unit_id` is set, `scoring` strips the
    safe-unit title of the unit `unit_id` names, once per accident, recording this event
    (its `accident_id`) as the cause. An accident with no `unit_id` strips no title; one that
    is not major strips none either, unless a later `AccidentReclassifiedV1` makes it major.
    """

    event_type = "pingan.hazards.accident.reported.v1"
    subject = "hazards.accident.reported"

    happened_at: datetime = Field(description="When the accident happened (with UTC offset).")
    township: str
    village: str
    place: str
    unit_id: str | None = UNIT_ID
    unit_name: str | None = None
    kind: AccidentKind
    severity: Severity
    major: bool = MAJOR
    deaths: int
    serious_injuries: int = Field(
        description="Serious injuries, acute industrial poisoning included"
    )
    direct_loss_yuan: Decimal = Field(description="Direct economic loss in yuan, >= 0")
    description: str = ""
    reported_by: str


class AccidentReportedV2(AccidentEvent):
    """A safety accident (安全事故) was reported, graded by its casualties and direct loss
    (生产安全事故报告和调查处理条例 art. 3): `severity` is exactly the grade they make.

    Plaque removal (摘牌制): when `major` is true and `unit_id` is set, `scoring` strips the
    safe-unit title of the unit `unit_id` names, once per accident, recording this event
    (its `accident_id`) as the cause. An accident with no `unit_id` strips no title; one that
    is not major strips none either, unless a later `AccidentFiguresRevisedV1` makes it major.
    """

    event_type = "pingan.hazards.accident.reported.v2"
    subject = "hazards.accident.reported"

    happened_at: datetime = Field(description="When the accident happened (with UTC offset).")
    received_at: datetime | None = Field(
        description="When the district received the report (art. 9: within an hour of the "
        "accident); null on accidents recorded before it was kept"
    )
    township: str
    village: str
    place: str
    unit_id: str | None = UNIT_ID
    unit_name: str | None = None
    kind: AccidentKind
    severity: Severity = Field(description="The grade the figures make (art. 3)")
    major: bool = MAJOR
    deaths: int
    serious_injuries: int = Field(
        description="Serious injuries, acute industrial poisoning included"
    )
    direct_loss_yuan: Decimal = Field(description="Direct economic loss in yuan, >= 0")
    description: str = ""
    reported_by: str


class AccidentReportOverdueV1(AccidentEvent):
    """The district received the report later than an hour after the accident (迟报, art. 9);
    recorded with the report, once."""

    event_type = "pingan.hazards.accident.report_overdue.v1"
    subject = "hazards.accident.report_overdue"

    due_at: datetime
    received_at: datetime
    township: str


class AccidentReportedOnwardV1(AccidentEvent):
    """The report went on to `level` (逐级上报, art. 11: each level within 2 hours of the one
    before); `late` when after `due_at`. `next_level` is the level it must reach next, by
    `next_due_at`, or null when the grade needs no more."""

    event_type = "pingan.hazards.accident.reported_onward.v1"
    subject = "hazards.accident.reported_onward"

    level: ReportLevel
    reported_at: datetime
    due_at: datetime
    late: bool
    next_level: ReportLevel | None = None
    next_due_at: datetime | None = None


class OnwardReportOverdueV1(AccidentEvent):
    """The report had not reached `level` by `due_at` (art. 11); once per level."""

    event_type = "pingan.hazards.accident.onward_report_overdue.v1"
    subject = "hazards.accident.onward_report_overdue"

    level: ReportLevel
    due_at: datetime
    township: str


class AccidentFiguresRevisedV1(AccidentEvent):
    """The casualties or the direct loss were revised (补报, art. 13: casualties within 30 days
    of the accident, 7 for road traffic and fire); the figures here are those now on record
    and `severity` the grade they make (`previous_severity` the one before, maybe the same).

    Plaque removal (摘牌制): when `major` is true and `unit_id` is set, `scoring` strips the
    safe-unit title of the unit `unit_id` names, unless this accident already stripped it.
    A revision below major leaves a stripped title stripped. `onward_next_level` and
    `onward_due_at` are the onward report the grade now needs next (art. 11), if any.
    """

    event_type = "pingan.hazards.accident.figures_revised.v1"
    subject = "hazards.accident.figures_revised"

    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    severity: Severity
    previous_severity: Severity
    major: bool = MAJOR
    reason: str
    township: str
    unit_id: str | None = UNIT_ID
    onward_next_level: ReportLevel | None = None
    onward_due_at: datetime | None = None


class InvestigationExtendedV1(AccidentEvent):
    """The government responsible extended the investigation's time once, by `days` (at most
    60, art. 29); the report is now due at `due_at`."""

    event_type = "pingan.hazards.accident.investigation_extended.v1"
    subject = "hazards.accident.investigation_extended"

    days: int
    due_at: datetime
    approved_by: str
    reason: str


class InvestigationOverdueV1(AccidentEvent):
    """No investigation report by `due_at` (60 days from the accident, or as extended,
    art. 29); once per deadline. `investigated_by` is the body that investigates (art. 19)."""

    event_type = "pingan.hazards.accident.investigation_overdue.v1"
    subject = "hazards.accident.investigation_overdue"

    due_at: datetime
    township: str
    investigated_by: InvestigatingBody


class AccidentReclassifiedV1(AccidentEvent):
    """The accident's grade changed (`previous_severity` → `severity`), usually on revised
    casualty or loss figures (补报); the figures here are those now on record, and the new
    grade is at least the one they imply.

    Plaque removal (摘牌制): when `major` is true and `unit_id` is set, `scoring` strips the
    safe-unit title of the unit `unit_id` names, unless this accident already stripped it (the
    rule applies once per accident: a reclassification from major to especially_major strips
    nothing new). When a reclassification lowers an accident below major (`major` false), the
    title already stripped stays stripped: a title is won back only by a new assessment.
    """

    event_type = "pingan.hazards.accident.reclassified.v1"
    subject = "hazards.accident.reclassified"

    severity: Severity
    previous_severity: Severity
    major: bool = MAJOR
    reason: str
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    township: str
    unit_id: str | None = UNIT_ID


class InvestigationConcludedV1(AccidentEvent):
    """The accident investigation concluded (调查结论): its cause and who is responsible."""

    event_type = "pingan.hazards.accident.investigation_concluded.v1"
    subject = "hazards.accident.investigation_concluded"

    cause: str
    responsibility: str
    conclusion_on: date


class AccidentClosedV1(AccidentEvent):
    """The accident case was closed (结案) after its investigation concluded, with its final
    grade. It changes nothing for plaque removal, which follows the grading events."""

    event_type = "pingan.hazards.accident.closed.v1"
    subject = "hazards.accident.closed"

    closed_by: str
    severity: Severity
    major: bool
    township: str
    unit_id: str | None = None


PUBLISHED: dict[type[Any], type[AccidentEvent]] = {
    SafetyAccident.Reported: AccidentReportedV2,
    SafetyAccident.ReportOverdue: AccidentReportOverdueV1,
    SafetyAccident.ReportedOnward: AccidentReportedOnwardV1,
    SafetyAccident.OnwardReportOverdue: OnwardReportOverdueV1,
    SafetyAccident.FiguresRevised: AccidentFiguresRevisedV1,
    SafetyAccident.Reclassified: AccidentReclassifiedV1,
    SafetyAccident.InvestigationExtended: InvestigationExtendedV1,
    SafetyAccident.InvestigationOverdue: InvestigationOverdueV1,
    SafetyAccident.InvestigationConcluded: InvestigationConcludedV1,
    SafetyAccident.Closed: AccidentClosedV1,
}

#: What the stream holds: the contracts published now and those published before.
CONTRACTS: tuple[type[IntegrationEvent], ...] = (*PUBLISHED.values(), AccidentReportedV1)
translate = translator(PUBLISHED, "accident_id")
