"""The district's places as the system's reference areas name them (`GET /areas`), and the
places the source names."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

#: The five urban villages of Yuquan town the source names for comprehensive rectification
#: together with urban-village reconstruction (结合"城中村"改造), as it names them.
YUQUAN = "玉泉镇"
URBAN_VILLAGES = ("莲亭村", "天水郡村", "闫新村", "东方红村", "金家庄村")
URBAN_VILLAGE_DESCRIPTION = (
    "结合“城中村”改造开展综合整治,从根本上改变治安混乱区域的治安面貌(深化社会治安重点整治行动)。"
)


@dataclass(frozen=True)
class Place:
    township: str
    village: str

    @property
    def is_community(self) -> bool:
        return "居民委员会" in self.village or self.village.endswith("社区")

    @property
    def short(self) -> str:
        """The village's everyday name: 莲亭居民委员会 → 莲亭社区, 窝驼村民委员会 → 窝驼村."""
        name = self.village
        for long, short in (("居民委员会", "社区"), ("村民委员会", "村"), ("村委会", "村")):
            if name.endswith(long):
                return name[: -len(long)] + short
        return name


@dataclass(frozen=True)
class District:
    name: str
    townships: list[str]
    places: list[Place]

    @classmethod
    def from_areas(cls, areas: dict[str, Any]) -> District:
        townships = [t["name"] for t in areas["townships"]]
        places = [Place(t["name"], v["name"]) for t in areas["townships"] for v in t["villages"]]
        return cls(areas["district"], townships, places)

    def in_township(self, township: str) -> list[Place]:
        return [p for p in self.places if p.township == township]

    def pick(self, rng: random.Random, township: str | None = None) -> Place:
        return rng.choice(self.in_township(township) if township else self.places)

    def is_street(self, township: str) -> bool:
        return township.endswith("街道")
