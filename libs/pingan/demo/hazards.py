"""The hazards service's part of the demo: key areas, the hazard ledger in every category and
state, rolling rounds, food and drug monitoring, and safety accidents of each grade."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.places import (
    URBAN_VILLAGE_DESCRIPTION,
    URBAN_VILLAGES,
    YUQUAN,
    District,
    Place,
)
from pingan.demo.plan import Plan, Ref, Step, Story

SETUP, HISTORY, LAST = 0, 100, 1000
OFFICE = "区委政法委"
API = "/hazards"

TITLES: dict[str, list[str]] = {
    "fire": [
        "电动车楼道充电",
        "消防通道被占用",
        "灭火器过期",
        "电气线路私拉乱接",
        "疏散指示灯损坏",
    ],
    "theft": ["单元门禁损坏", "小区围墙缺口", "车棚无人看管", "监控探头失灵"],
    "explosion": ["液化气钢瓶露天存放", "燃气管道锈蚀", "餐馆使用不合格减压阀"],
    "accident": ["施工现场无防护栏", "广告牌松动", "井盖缺失", "护栏断裂"],
    "food_drug": ["餐饮店无证经营", "过期食品在售", "药店处方药违规销售", "后厨卫生不达标"],
    "safe_production": ["企业特种作业无证上岗", "粉尘车间通风不良", "有限空间作业无审批"],
    "flammable_explosive": ["烟花爆竹违规储存", "加油站防静电设施失效", "油漆仓库混存"],
    "transport": ["校车超载", "路口信号灯故障", "农用车违规载人", "急弯路段无警示标志"],
    "prevention_facilities": ["消火栓无水", "防盗门窗损坏", "技防设施未联网", "红外报警器失效"],
    "public_order": ["网吧接纳未成年人", "出租屋人员登记不全", "夜市摊点聚集斗殴隐患"],
}
CATEGORIES = list(TITLES)
SOURCES = ["self_check", "inspection", "public_report", "grid_worker"]
BASIS = "《重大火灾隐患判定方法》GB 35181"
OUTCOMES = [
    "reported",
    "rejected",
    "filed",
    "planned",
    "assigned",
    "rectifying",
    "reported_done",
    "failed",
    "verified",
    "closed",
    "on_the_spot",
    "overdue",
]
WEIGHTS = [4, 3, 4, 5, 4, 8, 5, 6, 5, 38, 10, 8]


def history_phase(calendar: Calendar, day: date) -> int:
    """Stories run month by month, the oldest first."""
    months_back = (calendar.today.year - day.year) * 12 + calendar.today.month - day.month
    return HISTORY + max(0, 23 - months_back)


def key_areas(plan: Plan, rng: random.Random, district: District, cal: Calendar) -> None:
    designated = cal.ago(300)
    for village in URBAN_VILLAGES:
        _key_area(
            plan,
            village,
            "urban_village",
            Place(YUQUAN, village),
            designated,
            URBAN_VILLAGE_DESCRIPTION,
            combined_with="城中村改造",
        )
    others = [
        ("火车站城乡结合部", "urban_rural_fringe", "天水郡街道", "盗窃、抢夺案件易发"),
        ("社棠工业园区", "industrial_mining", "中梁镇", "企业周边治安纠纷多发"),
        ("七里墩出租房屋集中区", "rental_housing", "七里墩街道", "流动人口密集, 出租屋管理混乱"),
        ("东关城乡结合部", "urban_rural_fringe", "东关街道", "夜间治安案件易发"),
    ]
    for n, (name, kind, township, why) in enumerate(others):
        if township not in district.townships:
            continue
        place = district.pick(rng, township)
        _key_area(plan, name, kind, place, cal.ago(280 - 40 * n), why, delist=n == 3)


def _key_area(
    plan: Plan,
    name: str,
    kind: str,
    place: Place,
    designated: date,
    description: str,
    combined_with: str | None = None,
    delist: bool = False,
) -> None:
    steps = [
        Step(
            f"{API}/key-areas",
            {
                "name": name,
                "kind": kind,
                "township": place.township,
                "village": place.village,
                "description": description,
                "designated_by": OFFICE,
                "business_date": designated,
            },
        ),
        Step(
            f"{API}/key-areas/{{id}}/plan",
            {
                "measures": "增设视频监控, 清理整治出租房屋, 组建治安巡逻队",
                "responsible_unit": f"{place.township}综治办",
                "deadline": designated + timedelta(days=720),
                "combined_with": combined_with,
                "business_date": designated + timedelta(days=10),
            },
        ),
        Step(
            f"{API}/key-areas/{{id}}/reviews",
            {
                "reviewer": "区综治办督查组",
                "reviewed_on": designated + timedelta(days=120),
                "findings": "监控覆盖率提高, 发案数下降",
                "public_order_improved": delist,
            },
        ),
    ]
    if delist:
        steps.append(
            Step(
                f"{API}/key-areas/{{id}}/delist",
                {
                    "delisted_by": OFFICE,
                    "reason": "治安面貌明显改观, 案件数连续下降",
                    "override_reason": "剩余隐患已落实责任, 移交日常监管",
                    "business_date": designated + timedelta(days=130),
                },
            )
        )
    plan.add(Story("key_areas", steps, SETUP, name=f"key_area:{name}", unique=True))


def hazards(plan: Plan, rng: random.Random, district: District, cal: Calendar, n: int) -> None:
    for i in range(n):
        outcome = OUTCOMES[i] if i < len(OUTCOMES) else rng.choices(OUTCOMES, WEIGHTS)[0]
        category = CATEGORIES[i % len(CATEGORIES)]
        in_area = i % 9 == 0
        place = Place(YUQUAN, URBAN_VILLAGES[i % 5]) if in_area else district.pick(rng)
        major = outcome not in ("on_the_spot", "rejected") and rng.random() < 0.12
        found = cal.ago(rng.randint(60 if outcome != "reported" else 0, 360))
        plan.add(_hazard(rng, cal, i, category, place, found, outcome, major, in_area))


def _hazard(
    rng: random.Random,
    cal: Calendar,
    i: int,
    category: str,
    place: Place,
    found: date,
    outcome: str,
    major: bool,
    in_area: bool,
) -> Story:
    day = found

    def later(lo: int, hi: int) -> date:
        nonlocal day
        day = cal.clamp(day + timedelta(days=rng.randint(lo, hi)))
        return day

    title = rng.choice(TITLES[category])
    report: dict[str, Any] = {
        "title": title,
        "category": category,
        "source": rng.choice(SOURCES),
        "township": place.township,
        "village": place.village,
        "address": f"{place.short}{rng.randint(1, 30)}号",
        "reporter": f"网格员{i % 40 + 1:02d}号",
        "business_date": found,
    }
    if in_area:
        report["key_area_id"] = Ref(f"key_area:{place.village}")
    steps = [Step(f"{API}/hazards", report)]
    phase = history_phase(cal, found)
    if outcome == "reported":
        return Story("hazards", steps, phase)
    if outcome == "rejected":
        steps.append(
            Step(
                f"{API}/hazards/{{id}}/reject",
                {
                    "reason": "not_a_hazard",
                    "explanation": "现场核实已整改完毕",
                    "business_date": later(1, 5),
                },
            )
        )
        return Story("hazards", steps, phase)
    likelihood, severity = (
        (rng.randint(4, 5), rng.randint(4, 5)) if major else (rng.randint(1, 4), rng.randint(1, 4))
    )
    filing: dict[str, Any] = {
        "category": category,
        "grade": "major" if major else "general",
        "likelihood": likelihood,
        "severity": severity,
        "business_date": later(1, 4),
    }
    if major:
        filing["determination_basis"] = BASIS
    steps.append(Step(f"{API}/hazards/{{id}}/file", filing))
    if outcome == "filed":
        return Story("hazards", steps, phase)
    if outcome == "on_the_spot":
        steps += _verify_and_close(later, on_the_spot=True, fail=False)
        return Story("hazards", steps, phase)
    plan_day = later(1, 5)
    overdue = outcome == "overdue"
    deadline = plan_day + timedelta(days=rng.randint(15, 30) if overdue else rng.randint(45, 120))
    body: dict[str, Any] = {
        "measures": "制定整改方案, 限期整改到位",
        "deadline": deadline,
        "business_date": plan_day,
    }
    if major:
        body |= {
            "responsible_person": "企业法人",
            "funds_yuan": rng.randint(2, 60) * 10000,
            "contingency_plan": "整改期间落实专人看守和应急预案",
        }
    steps.append(Step(f"{API}/hazards/{{id}}/plan", body))
    if major:
        steps.append(
            Step(
                f"{API}/hazards/{{id}}/regulator-report",
                {
                    "regulator": "区应急管理局",
                    "reference": f"秦应急[{found.year}]{i}号",
                    "business_date": later(0, 2),
                },
            )
        )
        if i % 3 == 0:
            steps.append(
                Step(
                    f"{API}/hazards/{{id}}/listing",
                    {
                        "supervising_unit": OFFICE,
                        "level": "district",
                        "listed_by": OFFICE,
                        "business_date": later(0, 2),
                    },
                )
            )
    if outcome == "planned" or overdue:
        return Story("hazards", steps, phase)
    steps.append(
        Step(
            f"{API}/hazards/{{id}}/responsibility",
            {
                "responsible_unit": f"{place.short}委会",
                "responsible_person": "村(居)委会主任",
                "business_date": later(0, 3),
            },
        )
    )
    if outcome == "assigned":
        return Story("hazards", steps, phase)
    if major:
        starts = later(1, 5)
        steps.append(
            Step(
                f"{API}/hazards/{{id}}/schedule",
                {
                    "batch": f"{starts.year}年第{(starts.month - 1) // 3 + 1}批",
                    "starts_on": starts,
                    "business_date": starts,
                },
            )
        )
    steps.append(Step(f"{API}/hazards/{{id}}/start", {"business_date": later(0, 3)}))
    if outcome == "rectifying":
        return Story("hazards", steps, phase)
    steps += _verify_and_close(
        later,
        on_the_spot=False,
        fail=outcome == "failed",
        stop_at_report=outcome == "reported_done",
        close=outcome == "closed",
    )
    return Story("hazards", steps, phase)


def _verify_and_close(
    later: Any, *, on_the_spot: bool, fail: bool, stop_at_report: bool = False, close: bool = True
) -> list[Step]:
    steps = [
        Step(
            f"{API}/hazards/{{id}}/rectification",
            {
                "summary": "已按方案整改完毕",
                "evidence": [],
                "on_the_spot": on_the_spot,
                "business_date": later(1, 3) if on_the_spot else later(10, 30),
            },
        )
    ]
    if stop_at_report:
        return steps
    if fail:
        steps.append(
            Step(
                f"{API}/hazards/{{id}}/verification",
                {
                    "inspector": "区安监验收组",
                    "verified_on": later(2, 7),
                    "passed": False,
                    "notes": "整改不彻底, 退回整改",
                },
                verifier=True,
            )
        )
        return steps
    steps.append(
        Step(
            f"{API}/hazards/{{id}}/verification",
            {"inspector": "区安监验收组", "verified_on": later(2, 7), "passed": True},
            verifier=True,
        )
    )
    if close:
        steps.append(
            Step(f"{API}/hazards/{{id}}/close", {"closed_by": OFFICE, "business_date": later(0, 3)})
        )
    return steps
