"""The campaigns service's part of the demo: special campaigns of every shipped kind, 24 months
of the case ledger with a surge in the last full month that the warning rule catches, seizures,
gangs, transfers, and mass incidents."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import HISTORY, OFFICE, history_phase
from pingan.demo.places import District
from pingan.demo.plan import Plan, Ref, Step, Story

API = "/campaigns"
POLICE = "秦州公安分局"
PROSECUTOR = "秦州区人民检察院"

CAMPAIGNS = [
    ("organised_crime", "常态化扫黑除恶专项斗争", 720, 700),
    ("robbery_theft", "“两抢一盗”专项打击行动", 600, 180),
    ("robbery_theft", "冬春“两抢一盗”攻坚行动", 90, 120),
    ("drugs", "禁毒“清源断流”专项行动", 400, 365),
    ("counterfeiting", "打击制假售假专项行动", 500, 120),
    ("telecom_fraud", "打击治理电信网络诈骗专项行动", 300, 365),
    ("pyramid_selling", "打击传销专项整治", 450, 90),
    ("gambling", "禁赌专项行动", 250, 120),
    ("homicide", "命案专项治理", 700, 730),
    ("guns_explosives", "缉枪治爆专项行动", 350, 150),
    ("campus_surroundings", "校园周边治安整治", 200, 240),
    ("robbery_theft", "岁末年初治安清查行动", -20, 60),
]

#: case kind: (cases a month on average, place tag chance, seizure)
CASE_KINDS: dict[str, tuple[float, float, tuple[str, str | None, float] | None]] = {
    "theft": (4.5, 0.1, None),
    "public_theft": (2.5, 0.1, None),
    "snatching": (0.8, 0.1, None),
    "robbery": (0.6, 0.1, None),
    "telecom_fraud": (2.0, 0.0, ("fraud_money_recovered", None, 38000)),
    "fraud": (1.0, 0.0, None),
    "public_fraud": (0.6, 0.0, None),
    "fighting": (1.6, 0.15, None),
    "disturbance": (0.7, 0.1, None),
    "intentional_injury": (0.6, 0.1, None),
    "drug_trafficking": (0.5, 0.0, ("drugs", "甲基苯丙胺", 35)),
    "drug_use": (0.8, 0.0, None),
    "public_gambling": (0.8, 0.0, None),
    "gambling": (0.3, 0.0, None),
    "counterfeit_goods": (0.3, 0.0, ("counterfeit_goods", None, 64000)),
    "pyramid_selling": (0.2, 0.0, None),
    "provocation": (0.3, 0.1, None),
    "organised_crime": (0.15, 0.0, None),
    "illegal_guns": (0.15, 0.0, ("guns", None, 2)),
    "illegal_explosives": (0.1, 0.0, ("explosives", None, 12)),
    "extortion": (0.2, 0.1, None),
}
PUBLIC_ORDER = {
    "public_theft",
    "public_fraud",
    "fighting",
    "disturbance",
    "drug_use",
    "public_gambling",
}
SURGE_KIND, SURGE_EXTRA = "telecom_fraud", 12


def campaigns(plan: Plan, rng: random.Random, cal: Calendar) -> None:
    for n, (kind, name, started_ago, days) in enumerate(CAMPAIGNS):
        starts = cal.ago(started_ago)
        ends = starts + timedelta(days=days)
        planned = cal.clamp(starts - timedelta(days=10))
        targets: dict[str, Any] = {
            "cases_solved": rng.randint(10, 40),
            "clearance_rate": 75,
            "arrests": rng.randint(15, 60),
        }
        if kind == "organised_crime":
            targets["gangs"] = 3
        if kind == "drugs":
            targets["seizures"] = {"drugs": 500}
        steps = [
            Step(
                f"{API}/campaigns",
                {
                    "kind": kind,
                    "name": name,
                    "townships": [],
                    "starts_on": starts,
                    "ends_on": ends,
                    "lead_unit": POLICE,
                    "planned_by": OFFICE,
                    "targets": targets,
                    "business_date": planned,
                },
            )
        ]
        if starts <= cal.today:
            steps.append(Step(f"{API}/campaigns/{{id}}/launch", {"launched_on": starts}))
        if n == 1:
            steps.append(
                Step(
                    f"{API}/campaigns/{{id}}/adjustments",
                    {
                        "reason": "案件高发, 延长行动期限",
                        "ends_on": ends + timedelta(days=30),
                        "business_date": starts + timedelta(days=60),
                    },
                )
            )
            ends += timedelta(days=30)
        if ends < cal.today:
            steps.append(
                Step(
                    f"{API}/campaigns/{{id}}/conclude",
                    {
                        "concluded_on": cal.clamp(ends + timedelta(days=5)),
                        "summary": f"{name}圆满完成, 各项目标任务基本达成",
                    },
                )
            )
        plan.add(Story("campaigns", steps, HISTORY - 1))


def cases(plan: Plan, rng: random.Random, district: District, cal: Calendar) -> None:
    """24 months of cases, each month's registered together before the next month's."""
    serial = 0
    for months_back in range(23, -1, -1):
        first, last = cal.month_start(months_back), cal.month_end(months_back)
        for kind, (rate, tag_chance, seizure) in CASE_KINDS.items():
            count = _poisson(rng, rate * ((last - first).days + 1) / 30)
            if kind == SURGE_KIND and months_back == 1:
                count += SURGE_EXTRA
            for _ in range(count):
                serial += 1
                day = first + timedelta(days=rng.randint(0, (last - first).days))
                place = district.pick(rng)
                campus = rng.random() < tag_chance
                plan.add(
                    _case(
                        rng, cal, serial, kind, day, place.township, place.village, campus, seizure
                    )
                )


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means of one kind's month.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _case(
    rng: random.Random,
    cal: Calendar,
    serial: int,
    kind: str,
    registered: date,
    township: str,
    village: str,
    campus: bool,
    seizure: tuple[str, str | None, float] | None,
) -> Story:
    happened = datetime.fromisoformat(
        cal.at(
            registered - timedelta(days=rng.randint(0, 2)),
            rng.randint(0, 23),
            rng.choice([0, 15, 30, 45]),
        )
    )
    prefix = "Z" if kind in PUBLIC_ORDER else "X"
    body: dict[str, Any] = {
        "kind": kind,
        "township": township,
        "village": village,
        "place": "学校周边" if campus else f"{village}辖区",
        "place_tags": ["campus"] if campus else [],
        "happened_at": happened,
        "registered_on": registered,
        "case_number": f"QZ{prefix}{registered.year}{serial:05d}",
        "loss_yuan": rng.randint(1, 80) * 500 if kind in ("theft", "telecom_fraud", "fraud") else 0,
        "summary": "详见案卷",
        "registered_by": f"{township}派出所",
    }
    steps = [Step(f"{API}/cases", body)]
    age = (cal.today - registered).days
    day = registered

    def later(lo: int, hi: int) -> date:
        nonlocal day
        day = cal.clamp(day + timedelta(days=rng.randint(lo, hi)))
        return day

    roll = rng.random()
    if roll < 0.03:
        steps.append(
            Step(
                f"{API}/cases/{{id}}/withdraw",
                {"withdrawn_on": later(3, 20), "reason": "经查不构成犯罪"},
            )
        )
    elif roll < (0.75 if age > 60 else 0.45):
        steps.append(Step(f"{API}/cases/{{id}}/solve", {"solved_on": later(1, 40)}))
        if kind not in PUBLIC_ORDER:
            steps.append(
                Step(
                    f"{API}/cases/{{id}}/apprehensions",
                    {"count": rng.randint(1, 3), "apprehended_on": day},
                )
            )
            if seizure is not None:
                kind_, drug, qty = seizure
                item: dict[str, Any] = {"type": kind_, "quantity": qty * rng.randint(1, 4)}
                if drug:
                    item["drug"] = drug
                steps.append(
                    Step(f"{API}/cases/{{id}}/seizures", {"seized_on": day, "seizures": [item]})
                )
            if kind == "organised_crime":
                steps.append(
                    Step(
                        f"{API}/cases/{{id}}/gangs",
                        {"count": 1, "dismantled_on": day, "description": "恶势力犯罪团伙"},
                    )
                )
            if rng.random() < 0.6:
                steps.append(
                    Step(
                        f"{API}/cases/{{id}}/transfer",
                        {"transferred_on": later(5, 30), "suspects": 1, "prosecutor": PROSECUTOR},
                    )
                )
        if rng.random() < 0.5:
            steps.append(Step(f"{API}/cases/{{id}}/close", {"closed_on": later(1, 20)}))
    return Story("cases", steps, history_phase(cal, registered))


def mass_incidents(plan: Plan, rng: random.Random, district: District, cal: Calendar) -> None:
    causes = ["征地拆迁补偿纠纷", "拖欠农民工工资", "物业服务纠纷", "环境污染投诉"]
    for n in range(6):
        day = cal.ago(rng.randint(60, 600))
        place = district.pick(rng)
        plan.add(
            _incident(
                cal,
                n,
                day,
                place.township,
                place.village,
                causes[n % 4],
                None,
                history_phase(cal, day),
                resolve=n != 5,
            )
        )


def incident_at_unit(
    cal: Calendar, n: int, township: str, village: str, unit: str, unit_name: str, phase: int
) -> Story:
    return _incident(
        cal,
        100 + n,
        cal.ago(3 + n),
        township,
        village,
        "物业服务纠纷",
        (Ref(unit), unit_name),
        phase,
        resolve=True,
    )


def major_case_at_unit(
    cal: Calendar, n: int, township: str, village: str, unit: str, unit_name: str, phase: int
) -> Story:
    """A 重大治安案件 (a death) at a named unit: the plaque-removal reaction strips it."""
    day = cal.ago(4 + n)
    body = {
        "kind": "intentional_injury",
        "township": township,
        "village": village,
        "place": unit_name,
        "happened_at": cal.at(day, 22, 10),
        "registered_on": day,
        "case_number": f"QZX{day.year}9{n:04d}",
        "unit_id": Ref(unit),
        "unit_name": unit_name,
        "deaths": 1,
        "summary": "纠纷引发故意伤害致人死亡",
        "registered_by": f"{township}派出所",
    }
    return Story("cases", [Step(f"{API}/cases", body)], phase)


def _incident(
    cal: Calendar,
    n: int,
    day: date,
    township: str,
    village: str,
    cause: str,
    unit: tuple[Ref, str] | None,
    phase: int,
    resolve: bool,
) -> Story:
    body: dict[str, Any] = {
        "happened_at": cal.at(day, 9 + n % 6),
        "township": township,
        "village": village,
        "place": unit[1] if unit else f"{village}村委会门前",
        "participants": 30 + 17 * (n % 7),
        "cause": cause,
        "handling": "乡镇、派出所到场疏导, 依法依规处置",
        "reported_by": f"{township}综治办",
    }
    if unit is not None:
        body |= {"unit_id": unit[0], "unit_name": unit[1]}
    steps = [Step(f"{API}/mass-incidents", body)]
    if resolve:
        steps.append(
            Step(
                f"{API}/mass-incidents/{{id}}/resolve",
                {
                    "resolved_on": cal.clamp(day + timedelta(days=2)),
                    "outcome": "诉求依法解决, 人员已疏散",
                },
            )
        )
    return Story("mass_incidents", steps, phase)
