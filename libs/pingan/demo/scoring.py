"""The scoring service's part of the demo: creation units of every kind in the area hierarchy,
their applications, assessments with the residents' consultation (民意测评, 代表会议), public
notices and titles (平安创建), follow-up visits, upgrades and re-inspections, some left overdue."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import OFFICE, SETUP
from pingan.demo.places import District, Place
from pingan.demo.plan import Plan, Step, Story

API = "/scoring"

#: kind: (how many, names)
WORKPLACES: dict[str, tuple[int, list[str]]] = {
    "compound_old": (16, ["家属院", "老旧小区", "职工住宅楼"]),
    "compound_new": (16, ["花园", "名苑", "新城小区"]),
    "organisation": (8, ["司法所", "税务所", "供电所"]),
    "enterprise": (14, ["建材有限公司", "果品加工厂", "物流公司"]),
    "industry": (4, ["出租车行业协会", "物流行业", "餐饮行业"]),
    "hospital": (5, ["卫生院", "中医院", "社区卫生服务中心"]),
    "market": (6, ["农贸市场", "果蔬批发市场", "建材市场"]),
    "school": (12, ["中心小学", "初级中学", "幼儿园"]),
}
#: of the named, those named long enough ago that their re-inspection has fallen due
VETERANS = 0.3
#: of the veterans, those re-inspected; the rest stay overdue (复查逾期)
REINSPECTED = 0.4
FOLLOWED_UP = 0.35
UPGRADED = 0.25
FOLLOW_UP_FORMS = ["household_survey", "opinion_poll", "representative_meeting", "visit"]
FOLLOW_UP_FINDINGS = {
    "household_survey": "入户走访群众, 安全感和满意度保持较高水平",
    "opinion_poll": "民意测评群众认可创建成效",
    "representative_meeting": "召开代表会议, 与会代表肯定创建工作",
    "visit": "实地查看, 各项防范措施落实到位",
}
#: the stories whose incidents strip the titles of the area they happen in
INCIDENT_KINDS = frozenset({"cases", "mass_incidents", "accidents"})
REGISTERED_DAYS_AGO = 560


@dataclass(frozen=True)
class Unit:
    """A unit the demo registers: the name its story's id is kept under, and where it is."""

    ref: str
    kind: str
    name: str
    place: Place | None
    titled: bool


def standard_for(kind: str, standards: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The standard of the kind's own name, else the first (by id) that covers the kind."""
    own = standards.get(kind)
    if own is not None and kind in own.get("kinds", [kind]):
        return own
    covering = [s for _, s in sorted(standards.items()) if kind in s.get("kinds", [])]
    return covering[0] if covering else None


def units(
    plan: Plan,
    rng: random.Random,
    district: District,
    cal: Calendar,
    standards: dict[str, dict[str, Any]],
) -> list[Unit]:
    made: list[Unit] = []
    failures: Counter[str] = Counter()
    # Titles in an area where the history has an incident may be stripped while the demo
    # still sends their later commands: only the titles of quiet areas are visited after.
    troubled = {
        (s.steps[0].body.get("township"), s.steps[0].body.get("village"))
        for s in plan.stories
        if s.kind in INCIDENT_KINDS
    }

    def add(kind: str, name: str, place: Place | None, fate: str) -> None:
        ref = f"unit:{len(made)}"
        body: dict[str, Any] = {
            "kind": kind,
            "name": name,
            "registered_by": OFFICE,
            "registered_on": cal.ago(REGISTERED_DAYS_AGO),
        }
        if place is not None:
            body["township"] = place.township
            if kind not in ("township", "street"):
                body["village"] = place.village
            body["address"] = f"{place.short}"
        steps = [Step(f"{API}/units", body)]
        area = kind in ("district", "township", "street", "village", "community")
        standard = None if kind == "district" else standard_for(kind, standards)
        if standard is not None:
            quiet = place is not None and (place.township, place.village) not in troubled
            settled = not area or (kind in ("village", "community") and quiet)
            steps += _creation(rng, cal, standard, fate, settled, failures)
        # A unit's containing unit is registered in an earlier phase than it.
        depth = {"district": 3, "township": 2, "street": 2, "village": 1, "community": 1}
        plan.add(Story("units", steps, SETUP - depth.get(kind, 0), name=ref, unique=area))
        made.append(Unit(ref, kind, name, place, fate in ("named", "veteran")))

    add("district", district.name, None, "registered")
    for township in district.townships:
        kind = "street" if district.is_street(township) else "township"
        add(kind, township, Place(township, township), _fate(rng, 0.5))
    villages = rng.sample(district.places, 60)
    for place in villages:
        street = district.is_street(place.township)
        kind = "community" if place.is_community or street else "village"
        add(kind, place.short, place, _fate(rng, 0.55))
    # A workplace's unit hangs under its village's, so it lies in a village registered above.
    for kind, (count, names) in WORKPLACES.items():
        for n in range(count):
            place = rng.choice(villages)
            fate = "named" if n < 2 else _fate(rng, 0.6)
            add(kind, f"{place.short}{names[n % len(names)]}", place, fate)
    return made


def _fate(rng: random.Random, named: float) -> str:
    roll = rng.random()
    if roll < named * VETERANS:
        return "veteran"
    if roll < named:
        return "named"
    return rng.choice(["registered", "applied", "failed", "notice"])


def _creation(
    rng: random.Random,
    cal: Calendar,
    standard: dict[str, Any],
    fate: str,
    settled: bool,
    failures: Counter[str],
) -> list[Step]:
    """The unit's application, assessment, notice and naming as its fate has them; a
    `settled` unit (no incident is planned in its area) is also visited, upgraded and
    re-inspected."""
    if fate == "registered":
        return []
    veteran = fate == "veteran"
    applied = cal.ago(rng.randint(430, 500) if veteran else rng.randint(200, 330))
    steps = [
        Step(
            f"{API}/units/{{id}}/applications",
            {"standard": standard.get("ref", standard["id"]), "level": 1, "applied_on": applied},
        )
    ]
    if fate == "applied":
        return steps
    # Failed assessments miss in turn on their points and on the residents' consultation
    # where the standard asks for one.
    misses = ["points"] + [m for m in ("opinion", "meeting") if standard.get(m)]
    miss = None
    if fate == "failed":
        miss = misses[failures[standard["id"]] % len(misses)]
        failures[standard["id"]] += 1
    assessed = applied + timedelta(days=rng.randint(20, 40))
    body = _assessment(rng, standard, assessed, miss, level=1)
    steps.append(Step(f"{API}/units/{{id}}/assessments", body))
    if miss is not None:
        return steps
    notice: date = assessed + timedelta(days=3)
    steps.append(Step(f"{API}/units/{{id}}/notice", {"starts_on": notice}))
    if fate == "notice":
        return steps
    named = notice + timedelta(days=int(standard["notice_days"]) + 1)
    steps.append(Step(f"{API}/units/{{id}}/naming", {"named_on": named}))
    if settled:
        steps += _aftercare(rng, cal, standard, named, veteran)
    return steps


def _aftercare(
    rng: random.Random, cal: Calendar, standard: dict[str, Any], named: date, veteran: bool
) -> list[Step]:
    """Follow-up visits (跟踪回访), an upgrade (升级达标) and, for a title named over a year
    ago, a re-inspection (复查) or none, so that it shows overdue."""
    steps: list[Step] = []
    # Each fact is dated after the one before it on the unit.
    last = named
    if rng.random() < FOLLOWED_UP:
        last = cal.clamp(last + timedelta(days=rng.randint(30, 120)))
        steps.append(Step(f"{API}/units/{{id}}/follow-ups", _follow_up(rng, last)))
    levels = len(standard.get("level_points") or [])
    if levels >= 2 and rng.random() < UPGRADED:
        upgraded = cal.clamp(last + timedelta(days=rng.randint(30, 90)))
        # One in four upgrades misses the higher level's points and keeps the level it had.
        body = _assessment(rng, standard, upgraded, "level" if rng.random() < 0.25 else None, 2)
        steps.append(Step(f"{API}/units/{{id}}/upgrades", body | {"level": 2}))
        return steps
    if veteran and rng.random() < REINSPECTED:
        months = int(standard.get("reinspect_months", 12))
        due = named + timedelta(days=months * 30 + rng.randint(-20, 5))
        inspected = cal.clamp(max(last, due))
        steps.append(
            Step(
                f"{API}/units/{{id}}/reinspections",
                {
                    "passed": True,
                    "findings": "各项创建措施保持, 台账齐全",
                    "inspected_on": inspected,
                },
            )
        )
    return steps


def _assessment(
    rng: random.Random, standard: dict[str, Any], day: date, miss: str | None, level: int
) -> dict[str, Any]:
    """An assessment's body: every criterion at 90% or more of its points passes any shipped
    threshold, 55-70% fails it; 80-88% reaches level 1's points but not level 2's."""
    share = {"points": rng.uniform(0.55, 0.7), "level": rng.uniform(0.8, 0.88)}.get(
        miss or "", rng.uniform(0.95, 1.0) if level > 1 else rng.uniform(0.9, 1.0)
    )
    body: dict[str, Any] = {
        "scores": {
            c["code"]: min(c["points"], math.ceil(c["points"] * share))
            for c in standard["criteria"]
        },
        "assessors": ["区平安建设考评组"],
        "assessed_on": day,
    }
    survey = standard.get("survey")
    if survey:
        body["survey"] = _survey(survey["min_sample"])
    opinion = standard.get("opinion")
    if opinion:
        body["opinion"] = _opinion(rng, opinion["min_respondents"], miss == "opinion")
    meeting = standard.get("meeting")
    if meeting:
        body["meeting"] = _meeting(rng, meeting, day, miss == "meeting")
    return body


def _survey(min_sample: int) -> dict[str, int]:
    households = max(min_sample * 2, 100)
    return {
        "households": households,
        "feel_safe": math.ceil(households * 0.97),
        "satisfied": math.ceil(households * 0.95),
    }


def _opinion(rng: random.Random, min_respondents: int, fails: bool) -> dict[str, int]:
    # 95% of 100 or more clears an 80% bar by its Wilson bound (88.8%); 70% of them does not.
    respondents = max(min_respondents * 2, 100 + rng.randint(0, 60))
    favour = rng.uniform(0.6, 0.7) if fails else rng.uniform(0.95, 1.0)
    return {"respondents": respondents, "in_favour": math.floor(respondents * favour)}


def _meeting(rng: random.Random, rule: dict[str, Any], day: date, fails: bool) -> dict[str, Any]:
    members = rng.randint(35, 60)
    quorum = Fraction(rule["quorum"])
    # Nine in ten attending clears any shipped quorum; a failing one falls just short of it.
    attending = math.ceil(quorum * members) - 1 if fails else math.ceil(members * 0.9)
    votes = math.floor(attending * rng.uniform(0.8, 1.0))
    return {
        "held_on": day - timedelta(days=rng.randint(2, 10)),
        "representatives": members,
        "attending": attending,
        "votes_for": votes,
    }


def _follow_up(rng: random.Random, day: date) -> dict[str, Any]:
    form = rng.choice(FOLLOW_UP_FORMS)
    body: dict[str, Any] = {
        "form": form,
        "findings": FOLLOW_UP_FINDINGS[form],
        "visitors": ["区综治办回访组"],
        "visited_on": day,
    }
    if form == "household_survey":
        body["survey"] = _survey(50)
    elif form == "opinion_poll":
        body["opinion"] = _opinion(rng, 30, fails=False)
    elif form == "representative_meeting":
        body["meeting"] = _meeting(rng, {"quorum": "2/3"}, day, fails=False)
    return body
