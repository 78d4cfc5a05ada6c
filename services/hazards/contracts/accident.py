"""The safety accident events the hazards service publishes (subjects `hazards.accident.<event>`).

These events feed the plaque-removal rule (摘牌制) in `scoring`: "对发生重大治安案件、安全生产
事故和群体性事件的, 严格实行摘牌制". Every event that sets or changes an accident's grade
(reported, reclassified) carries all a consumer needs to apply it without tracking the accident:

- `severity`: general 一般 / larger 较大 / major 重大 / especially_major 特别重大, at least the
  grade the casualties and direct loss imply under 生产安全事故报告和调查处理条例 art. 3
  (deaths 3/10/30, serious injuries 10/50/100, loss 10M/50M/100M yuan, each bound inclusive);
- `major`: true exactly when `severity` is major or especially_major;
- `unit_id`: the creation unit (`scoring`'s unit id) the accident happened in, or null.

`occurred_at` is, as on every contract, when the event was recorded; when the accident itself
happened is `happened_at`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import Field

from hazards.domain.accident import AccidentKind, SafetyAccident, Severity
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
    SafetyAccident.Reported: AccidentReportedV1,
    SafetyAccident.Reclassified: AccidentReclassifiedV1,
    SafetyAccident.InvestigationConcluded: InvestigationConcludedV1,
    SafetyAccident.Closed: AccidentClosedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "accident_id")
