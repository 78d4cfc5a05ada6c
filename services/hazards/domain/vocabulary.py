"""The words of the hazard ledger, as the source names them."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from pingan.write.domain import RuleViolation


class Category(StrEnum):
    FIRE = "fire"  # 防火
    THEFT = "theft"  # 防盗
    EXPLOSION = "explosion"  # 防爆炸
    ACCIDENT = "accident"  # 防事故
    FOOD_DRUG = "food_drug"  # 食品药品安全
    SAFE_PRODUCTION = "safe_production"  # 安全生产
    FLAMMABLE_EXPLOSIVE = "flammable_explosive"  # 易燃易爆物品
    TRANSPORT = "transport"  # 交通运输
    PREVENTION_FACILITIES = "prevention_facilities"  # 防火防盗设施
    PUBLIC_ORDER = "public_order"  # 治安


class Source(StrEnum):
    SELF_CHECK = "self_check"  # 单位自查
    INSPECTION = "inspection"  # 排查巡查
    PUBLIC_REPORT = "public_report"  # 群众举报
    GRID_WORKER = "grid_worker"  # 网格员


class Grade(StrEnum):
    GENERAL = "general"  # 一般
    MAJOR = "major"  # 重大


class Colour(StrEnum):
    """Risk bands of the 5x5 likelihood x severity matrix (风险四色)."""

    RED = "red"  # 重大风险
    ORANGE = "orange"  # 较大风险
    YELLOW = "yellow"  # 一般风险
    BLUE = "blue"  # 低风险


class HazardStatus(StrEnum):
    REPORTED = "reported"
    REJECTED = "rejected"
    FILED = "filed"
    PLANNED = "planned"
    ASSIGNED = "assigned"
    SCHEDULED = "scheduled"
    RECTIFYING = "rectifying"
    RECTIFICATION_REPORTED = "rectification_reported"
    VERIFIED = "verified"
    CLOSED = "closed"


class RejectionReason(StrEnum):
    DUPLICATE = "duplicate"
    NOT_A_HAZARD = "not_a_hazard"


class Escalation(IntEnum):
    """The ladder an overdue hazard climbs."""

    NONE = 0
    REMINDER = 1  # 提醒
    SUPERVISION_LETTER = 2  # 督办函
    PUBLIC_NOTICE = 3  # 通报


class ListingLevel(StrEnum):
    """Who lists a hazard for supervision (挂牌督办)."""

    DISTRICT = "district"
    CITY = "city"
    PROVINCE = "province"


def risk_colour(likelihood: int, severity: int) -> Colour:
    """R = L x S on a 5x5 matrix: 20-25 red, 15-16 orange, 9-12 yellow, 1-8 blue."""
    if not (1 <= likelihood <= 5 and 1 <= severity <= 5):
        raise RuleViolation("likelihood and severity run from 1 to 5")
    score = likelihood * severity
    if score >= 20:
        return Colour.RED
    if score >= 15:
        return Colour.ORANGE
    if score >= 9:
        return Colour.YELLOW
    return Colour.BLUE
