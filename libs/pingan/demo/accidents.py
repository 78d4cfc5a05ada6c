"""Safety accidents (安全事故) of each grade, reported and investigated level by level."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import API, history_phase
from pingan.demo.places import District
from pingan.demo.plan import Plan, Ref, Step, Story

#: grade: (deaths, serious injuries, direct loss in yuan), by 生产安全事故报告和调查处理条例 art. 3
FIGURES = {
    "general": (1, 2, 800_000),
    "larger": (3, 4, 2_600_000),
    "major": (10, 12, 30_000_000),
    "especially_major": (0, 5, 120_000_000),
}
LEVELS = {
    "general": [],
    "larger": ["city", "province"],
    "major": ["city", "province", "state_council"],
    "especially_major": ["city", "province", "state_council"],
}
KINDS = [
    "fire",
    "traffic",
    "production",
    "construction",
    "hazardous_chemicals",
    "special_equipment",
    "other",
]


def accidents(plan: Plan, rng: random.Random, district: District, cal: Calendar) -> None:
    grades = ["general"] * 6 + ["larger", "major", "especially_major"]
    for n, grade in enumerate(grades):
        day = cal.ago(rng.randint(90, 330))
        place = district.pick(rng)
        plan.add(
            _accident(
                cal,
                n,
                grade,
                day,
                place.township,
                place.village,
                KINDS[n % 7],
                f"{place.short}{rng.choice(['砖厂', '建筑工地', '国道路段', '加工厂'])}",
                None,
                history_phase(cal, day),
            )
        )


def accident_at_unit(
    cal: Calendar, n: int, township: str, village: str, unit: str, unit_name: str, phase: int
) -> Story:
    """A larger accident (较大事故) at a named unit: the plaque-removal reaction strips it."""
    return _accident(
        cal,
        100 + n,
        "larger",
        cal.ago(5 + n),
        township,
        village,
        "production",
        unit_name,
        (Ref(unit), unit_name),
        phase,
    )


def _accident(
    cal: Calendar,
    n: int,
    grade: str,
    day: date,
    township: str,
    village: str,
    kind: str,
    place: str,
    unit: tuple[Ref, str] | None,
    phase: int,
) -> Story:
    deaths, injuries, loss = FIGURES[grade]
    happened = datetime.fromisoformat(cal.at(day, 9 + n % 8, 20))
    received = happened + timedelta(minutes=40)
    body: dict[str, Any] = {
        "happened_at": happened,
        "received_at": received,
        "township": township,
        "village": village,
        "place": place,
        "kind": kind,
        "deaths": deaths,
        "serious_injuries": injuries,
        "direct_loss_yuan": loss,
        "severity": grade,
        "description": "事故经过详见调查报告",
        "reported_by": f"{township}安监站",
    }
    if unit is not None:
        body |= {"unit_id": unit[0], "unit_name": unit[1]}
    steps = [Step(f"{API}/accidents", body)]
    for k, level in enumerate(LEVELS[grade]):
        steps.append(
            Step(
                f"{API}/accidents/{{id}}/onward-reports",
                {"level": level, "reported_at": received + timedelta(minutes=50 * (k + 1))},
            )
        )
    if unit is None and (cal.today - day).days > 70:
        steps.append(
            Step(
                f"{API}/accidents/{{id}}/investigation",
                {
                    "cause": "违章作业, 安全管理不到位",
                    "responsibility": "企业主要负责人负主要责任",
                    "conclusion_on": day + timedelta(days=55),
                },
            )
        )
        if n % 2 == 0:
            steps.append(
                Step(
                    f"{API}/accidents/{{id}}/close",
                    {"closed_by": "区应急管理局", "business_date": day + timedelta(days=60)},
                )
            )
    return Story("accidents", steps, phase)
