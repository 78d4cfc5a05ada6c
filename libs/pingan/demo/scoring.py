"""The scoring service's part of the demo: creation units of every kind in the area hierarchy,
their applications, assessments, public notices and titles (平安创建)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import OFFICE, SETUP
from pingan.demo.places import District, Place
from pingan.demo.plan import Plan, Step, Story

API = "/scoring"

#: kind: (how many, standard, names)
WORKPLACES: dict[str, tuple[int, str, list[str]]] = {
    "compound_old": (16, "compound_old", ["家属院", "老旧小区", "职工住宅楼"]),
    "compound_new": (16, "compound_new", ["花园", "名苑", "新城小区"]),
    "organisation": (8, "enterprise", ["司法所", "税务所", "供电所"]),
    "enterprise": (14, "enterprise", ["建材有限公司", "果品加工厂", "物流公司"]),
    "industry": (4, "enterprise", ["出租车行业协会", "物流行业", "餐饮行业"]),
    "hospital": (5, "enterprise", ["卫生院", "中医院", "社区卫生服务中心"]),
    "market": (6, "enterprise", ["农贸市场", "果蔬批发市场", "建材市场"]),
    "school": (12, "school", ["中心小学", "初级中学", "幼儿园"]),
}


@dataclass(frozen=True)
class Unit:
    """A unit the demo registers: the name its story's id is kept under, and where it is."""

    ref: str
    kind: str
    name: str
    place: Place | None
    titled: bool


def units(
    plan: Plan,
    rng: random.Random,
    district: District,
    cal: Calendar,
    standards: dict[str, dict[str, Any]],
) -> list[Unit]:
    made: list[Unit] = []

    def add(kind: str, name: str, place: Place | None, standard: str | None, fate: str) -> None:
        ref = f"unit:{len(made)}"
        body: dict[str, Any] = {
            "kind": kind,
            "name": name,
            "registered_by": OFFICE,
            "registered_on": cal.ago(400),
        }
        if place is not None:
            body["township"] = place.township
            if kind not in ("township", "street"):
                body["village"] = place.village
            body["address"] = f"{place.short}"
        steps = [Step(f"{API}/units", body)]
        if standard is not None and standard in standards:
            steps += _creation(rng, cal, standards[standard], fate)
        area = kind in ("district", "township", "street", "village", "community")
        # A unit's containing unit is registered in an earlier phase than it.
        depth = {"district": 3, "township": 2, "street": 2, "village": 1, "community": 1}
        plan.add(Story("units", steps, SETUP - depth.get(kind, 0), name=ref, unique=area))
        made.append(Unit(ref, kind, name, place, fate == "named"))

    add("district", district.name, None, None, "registered")
    for township in district.townships:
        kind = "street" if district.is_street(township) else "township"
        add(kind, township, Place(township, township), "township", _fate(rng, 0.5))
    villages = rng.sample(district.places, 60)
    for place in villages:
        street = district.is_street(place.township)
        kind = "community" if place.is_community or street else "village"
        add(kind, place.short, place, kind, _fate(rng, 0.55))
    # A workplace's unit hangs under its village's, so it lies in a village registered above.
    for kind, (count, standard, names) in WORKPLACES.items():
        for n in range(count):
            place = rng.choice(villages)
            fate = "named" if n < 2 else _fate(rng, 0.6)
            add(kind, f"{place.short}{names[n % len(names)]}", place, standard, fate)
    return made


def _fate(rng: random.Random, named: float) -> str:
    roll = rng.random()
    if roll < named:
        return "named"
    return rng.choice(["registered", "applied", "failed", "notice"])


def _creation(rng: random.Random, cal: Calendar, standard: dict[str, Any], fate: str) -> list[Step]:
    if fate == "registered":
        return []
    applied = cal.ago(rng.randint(200, 330))
    steps = [
        Step(
            f"{API}/units/{{id}}/applications",
            {"standard": standard["id"], "level": 1, "applied_on": applied},
        )
    ]
    if fate == "applied":
        return steps
    passing = fate != "failed"
    # Every criterion at 90% or more passes any shipped threshold; 55-70% fails it.
    share = rng.uniform(0.9, 1.0) if passing else rng.uniform(0.55, 0.7)
    scores = {
        c["code"]: min(c["points"], math.ceil(c["points"] * share)) for c in standard["criteria"]
    }
    assessed = applied + timedelta(days=rng.randint(20, 40))
    body: dict[str, Any] = {
        "scores": scores,
        "assessors": ["区平安建设考评组"],
        "assessed_on": assessed,
    }
    survey = standard.get("survey")
    if survey:
        households = max(survey["min_sample"] * 2, 100)
        body["survey"] = {
            "households": households,
            "feel_safe": math.ceil(households * 0.97),
            "satisfied": math.ceil(households * 0.95),
        }
    steps.append(Step(f"{API}/units/{{id}}/assessments", body))
    if not passing:
        return steps
    notice: date = assessed + timedelta(days=3)
    steps.append(Step(f"{API}/units/{{id}}/notice", {"starts_on": notice}))
    if fate == "notice":
        return steps
    named = notice + timedelta(days=int(standard["notice_days"]) + 1)
    steps.append(Step(f"{API}/units/{{id}}/naming", {"named_on": named}))
    return steps
