"""What a case yields and what a campaign aims at: typed seizures and targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pingan.write.domain import RuleViolation


class SeizureType(StrEnum):
    """What was seized, each in its own unit."""

    DRUGS = "drugs"  # 毒品, grams, by drug
    GUNS = "guns"  # 枪支, pieces
    AMMUNITION = "ammunition"  # 弹药, rounds
    EXPLOSIVES = "explosives"  # 炸药, kilograms
    COUNTERFEIT_GOODS = "counterfeit_goods"  # 假冒伪劣商品, value in yuan
    FRAUD_MONEY_RECOVERED = "fraud_money_recovered"  # 追缴涉诈资金, yuan

    @property
    def unit(self) -> str:
        return UNITS[self]

    @property
    def counted(self) -> bool:
        """Counted in whole pieces rather than measured."""
        return self in (SeizureType.GUNS, SeizureType.AMMUNITION)


UNITS: Mapping[SeizureType, str] = {
    SeizureType.DRUGS: "g",
    SeizureType.GUNS: "pieces",
    SeizureType.AMMUNITION: "rounds",
    SeizureType.EXPLOSIVES: "kg",
    SeizureType.COUNTERFEIT_GOODS: "yuan",
    SeizureType.FRAUD_MONEY_RECOVERED: "yuan",
}


@dataclass(frozen=True)
class Seizure:
    """One typed quantity: drugs name their drug (海洛因, 冰毒...), nothing else does."""

    type: SeizureType
    quantity: Decimal
    drug: str | None = None

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise RuleViolation("a seized quantity must be more than zero")
        if self.type.counted and self.quantity != self.quantity.to_integral_value():
            raise RuleViolation(f"{self.type.value} are counted in whole {self.type.unit}")
        if (self.type is SeizureType.DRUGS) != (self.drug is not None):
            raise RuleViolation("a drug seizure names its drug, and only a drug seizure does")

    def data(self) -> dict[str, Any]:
        return {"type": self.type.value, "quantity": str(self.quantity), "drug": self.drug}

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Seizure:
        return cls(SeizureType(data["type"]), Decimal(data["quantity"]), data.get("drug"))


@dataclass(frozen=True)
class Targets:
    """A campaign's targets (目标任务); any may be left out. The clearance rate is a
    percentage of the cases registered in the period."""

    cases_solved: int | None = None
    clearance_rate: Decimal | None = None
    arrests: int | None = None
    gangs: int | None = None
    seizures: Mapping[SeizureType, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        counts = (self.cases_solved, self.arrests, self.gangs)
        if any(c is not None and c < 0 for c in counts) or any(
            q < 0 for q in self.seizures.values()
        ):
            raise RuleViolation("a target cannot be negative")
        if self.clearance_rate is not None and not 0 <= self.clearance_rate <= 100:
            raise RuleViolation("a clearance rate target lies between 0 and 100 per cent")

    def data(self) -> dict[str, Any]:
        return {
            "cases_solved": self.cases_solved,
            "clearance_rate": None if self.clearance_rate is None else str(self.clearance_rate),
            "arrests": self.arrests,
            "gangs": self.gangs,
            "seizures": {t.value: str(q) for t, q in sorted(self.seizures.items())},
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Targets:
        rate = data.get("clearance_rate")
        return cls(
            cases_solved=data.get("cases_solved"),
            clearance_rate=None if rate is None else Decimal(rate),
            arrests=data.get("arrests"),
            gangs=data.get("gangs"),
            seizures={SeizureType(t): Decimal(q) for t, q in data.get("seizures", {}).items()},
        )
