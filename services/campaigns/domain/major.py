"""When a case is a major public-order case (重大治安案件), the rule the office applies.

The source strips a safe-unit title when a 重大治安案件 happens in it, and names no threshold.
The rule, on the facts registered (or revised on reclassification):

- the case is a 命案 (see `kinds`), or
- at least one person died, or
- at least three people were seriously injured, or
- the direct economic loss is at least 500,000 yuan.

An officer may also flag a case as major for what the rule does not see (public outrage, a
sensitive place or time), giving the reason; the basis is kept with the flag. Once major, a
case stays major: a title stripped is won back only by a new assessment.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

DEATHS = 1
SERIOUS_INJURIES = 3
LOSS_YUAN = Decimal(500_000)


class MajorBasis(StrEnum):
    HOMICIDE = "homicide"  # 命案
    DEATHS = "deaths"  # 致人死亡
    INJURIES = "injuries"  # 重伤三人以上
    LOSS = "loss"  # 直接经济损失五十万元以上
    OFFICER = "officer"  # 办案民警认定


def major_basis(
    *, homicide: bool, deaths: int, serious_injuries: int, loss_yuan: Decimal
) -> MajorBasis | None:
    """The first of the rule's criteria the facts meet, or None."""
    if homicide:
        return MajorBasis.HOMICIDE
    if deaths >= DEATHS:
        return MajorBasis.DEATHS
    if serious_injuries >= SERIOUS_INJURIES:
        return MajorBasis.INJURIES
    if loss_yuan >= LOSS_YUAN:
        return MajorBasis.LOSS
    return None
