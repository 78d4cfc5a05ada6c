"""The words of the hazard ledger, as the source names them."""

from __future__ import annotations

from enum import StrEnum


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


class Grade(StrEnum):
    GENERAL = "general"  # 一般
    MAJOR = "major"  # 重大


class HazardStatus(StrEnum):
    REPORTED = "reported"
    FILED = "filed"
