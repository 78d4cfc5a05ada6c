"""Ten-star safe and harmonious families (十星级平安和谐家庭) of the demo: families in the
compounds, villages and communities, their stars of this year (some of them confirmed from last
year's), a few withdrawn, and, in the compounds whose titles the demo strips, a star the bar
refuses after the revocation (摘牌后不得评星)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import OFFICE, SETUP
from pingan.demo.plan import Plan, Ref, Step, Story
from pingan.demo.scoring import API, REGISTERED_DAYS_AGO, Unit

FAMILIES = 44
STARS = [
    "law",
    "unity",
    "learning",
    "safety",
    "care",
    "prosperity",
    "science",
    "environment",
    "thrift",
    "health",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["建国", "志强", "秀兰", "玉梅", "永红", "海燕", "文明", "德胜", "桂英", "春生"]
COMPOUNDS = ("compound_old", "compound_new")
WITHDRAWN = 0.12
CONFIRMED = 0.2
#: the story kind of a family; its stars count apart
KIND = "families"


def families(
    plan: Plan, rng: random.Random, district: object, cal: Calendar, units: list[Unit]
) -> None:
    """Families in every tier from one star to ten, in compounds and in villages."""
    homes = [u for u in units if u.place is not None and u.kind in (*COMPOUNDS, "village")]
    homes += [u for u in units if u.place is not None and u.kind == "community"]
    # Every tier is held, the ten-star one most.
    tiers = [10] * 8 + list(range(1, 10)) * 4
    rng.shuffle(tiers)
    for n, tier in enumerate(tiers[:FAMILIES]):
        _family(plan, rng, cal, rng.choice(homes), n, tier, withdraw=rng.random() < WITHDRAWN)


def barred_families(plan: Plan, rng: random.Random, cal: Calendar, units: list[Unit]) -> None:
    """A family in each compound whose title the demo strips: rated before, and refused a new
    star after the revocation, for the bar period of the compound's standard."""
    revoked = set(plan.revoked_units)
    for unit in units:
        if unit.ref in revoked and unit.kind in COMPOUNDS:
            family = _family(plan, rng, cal, unit, len(plan.barred), rng.randint(3, 8), False)
            award = {"star": "health", "reason": "年度评星", "awarded_on": cal.today}
            plan.barred.append((family, Step(f"{API}/families/{{id}}/stars", award)))


def _family(
    plan: Plan, rng: random.Random, cal: Calendar, home: Unit, n: int, tier: int, withdraw: bool
) -> str:
    place = home.place
    if place is None:
        raise ValueError(f"a family's home has a place: {home.name}")
    name = f"{SURNAMES[rng.randrange(len(SURNAMES))]}{rng.choice(GIVEN)}家"
    body: dict[str, Any] = {
        "kind": "family",
        "name": name,
        "township": place.township,
        "village": place.village,
        "address": f"{home.name}{n + 1}号",
        "registered_by": OFFICE,
        "registered_on": cal.ago(REGISTERED_DAYS_AGO),
    }
    if home.kind in COMPOUNDS:
        body["parent_id"] = Ref(home.ref)
    steps = [Step(f"{API}/units", body)]
    stars = rng.sample(STARS, tier)
    this_year = date(cal.today.year, 1, 1)
    if rng.random() < CONFIRMED:
        # Last year's star lapses at the new year unless it is awarded again (re-confirmed).
        last_year = date(cal.today.year - 1, rng.randint(8, 11), rng.randint(1, 28))
        steps.append(_award(stars[0], last_year, "上年度评星"))
    days = sorted(max(this_year, cal.ago(rng.randint(10, 300))) for _ in stars)
    steps += [
        _award(star, day, "年度评星, 群众评议通过") for star, day in zip(stars, days, strict=True)
    ]
    if withdraw:
        star = rng.choice(stars)
        withdrawal = {
            "reason": "家庭成员违反村规民约",
            "withdrawn_on": cal.clamp(days[-1] + timedelta(days=3)),
        }
        steps.append(Step(f"{API}/families/{{id}}/stars/{star}/withdrawal", withdrawal))
    ref = f"family:{len([s for s in plan.stories if s.kind == KIND])}"
    # After the units of SETUP: a family hangs under its compound's or village's unit.
    plan.add(Story(KIND, steps, SETUP + 1, name=ref))
    return ref


def _award(star: str, day: date, reason: str) -> Step:
    return Step(f"{API}/families/{{id}}/stars", {"star": star, "reason": reason, "awarded_on": day})
