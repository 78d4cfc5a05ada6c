"""A tile cartogram of the district: one square per township or street, placed on a grid in
roughly its real position (the city's streets in the middle, the towns around), so that no
boundary geometry has to ship."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: (column, row) of each township; the seven streets form the city block.
TILES: Mapping[str, tuple[int, int]] = {
    "中梁镇": (3, 0),
    "华歧镇": (1, 1),
    "玉泉镇": (3, 1),
    "西关街道": (2, 2),
    "中城街道": (3, 2),
    "大城街道": (4, 2),
    "东关街道": (5, 2),
    "关子镇": (0, 2),
    "藉口镇": (1, 2),
    "太京镇": (1, 3),
    "石马坪街道": (2, 3),
    "天水郡街道": (3, 3),
    "七里墩街道": (4, 3),
    "皂郊镇": (3, 4),
    "汪川镇": (5, 4),
    "秦岭镇": (0, 3),
    "杨家寺镇": (0, 4),
    "大门镇": (1, 4),
    "天水镇": (2, 4),
    "平南镇": (2, 5),
    "齐寿镇": (3, 5),
    "牡丹镇": (4, 5),
    "娘娘坝镇": (5, 5),
}

TILE = 96
GAP = 6


@dataclass(frozen=True)
class Tile:
    township: str
    label: str
    x: int
    y: int
    value: int
    fill: str
    ink: str


#: A sequential scale, light to dark, readable in grey too; each step keeps text contrast.
SCALE = ["#f1f5f9", "#fde68a", "#fbbf24", "#f97316", "#dc2626", "#7f1d1d"]


def tiles(values: Mapping[str, int]) -> list[Tile]:
    top = max(values.values(), default=0)
    out = []
    for township, (col, row) in TILES.items():
        value = values.get(township, 0)
        step = 0 if top == 0 or value == 0 else 1 + min(4, (value * 5 - 1) // top)
        label = township.removesuffix("街道").removesuffix("镇")
        out.append(
            Tile(
                township,
                label,
                col * (TILE + GAP),
                row * (TILE + GAP),
                value,
                SCALE[step],
                "#ffffff" if step >= 4 else "#111827",
            )
        )
    return out


def size() -> tuple[int, int]:
    cols = 1 + max(c for c, _ in TILES.values())
    rows = 1 + max(r for _, r in TILES.values())
    return cols * (TILE + GAP), rows * (TILE + GAP)
