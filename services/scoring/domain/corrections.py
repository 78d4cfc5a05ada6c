"""Corrections of a revocation (摘牌): what the office learns afterwards that takes away the
ground a title was stripped on, and the grounds on which it gives the title back.

A revocation is never erased. A correction upstream (a case withdrawn, 撤案; a case
reclassified below major; an accident regraded below the strip grade) marks the revocation it
caused as restorable, and the district office restores the title with its reason; an appeal
(申诉) upheld restores it too. The restoration is a fact of its own beside the revocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID


class Correction(StrEnum):
    WITHDRAWN = "withdrawn"  # 撤案: the case counts no more
    DOWNGRADED = "downgraded"  # below major, or below the accident grade that strips


class RestorationGrounds(StrEnum):
    CORRECTION = "correction"  # the cause was corrected upstream
    APPEAL = "appeal"  # 申诉成立


@dataclass(frozen=True)
class LostTitle:
    """The title as it stood when it was revoked: what a restoration gives back."""

    title: str
    standard: str
    level: int
    named_on: date | None
    reinspection_due: date | None
    incident_id: UUID | None
    revoked_on: date
