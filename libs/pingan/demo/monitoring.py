"""Food and drug risk monitoring (食品药品安全风险监测评估预警), one task ending in a warning."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import API, history_phase
from pingan.demo.places import District
from pingan.demo.plan import Plan, Step, Story

TASKS = [
    ("food", "蔬菜水果", "批发市场", "毒死蜱", "0.8 mg/kg", "≤0.02 mg/kg"),
    ("food", "肉及肉制品", "农贸市场", "克伦特罗", "1.2 μg/kg", "不得检出"),
    ("food", "学校食堂餐饮", "中小学食堂", "大肠菌群", "230 CFU/g", "≤100 CFU/g"),
    ("drug", "中药饮片", "零售药店", "二氧化硫残留", "420 mg/kg", "≤150 mg/kg"),
    ("drug", "医疗器械", "诊所", "无菌检查", "不符合", "应无菌"),
    ("food", "乳制品", "超市", "菌落总数", "3.1×10⁵ CFU/mL", "≤1×10⁵ CFU/mL"),
]


def monitoring(plan: Plan, rng: random.Random, district: District, cal: Calendar) -> None:
    for n, (kind, category, where, indicator, value, limit) in enumerate(TASKS):
        warned = n == 0
        starts = cal.ago(40) if warned else cal.ago(330 - 50 * n)
        ends = starts + timedelta(days=30)
        place = district.pick(rng)
        steps = [
            Step(
                f"{API}/monitoring",
                {
                    "product_kind": kind,
                    "product_category": category,
                    "township": place.township,
                    "place": f"{place.short}{where}",
                    "starts_on": starts,
                    "ends_on": ends,
                    "organiser": "区市场监督管理局",
                    "business_date": starts,
                },
            )
        ]
        failed: list[str] = []
        for s in range(4):
            passed = s != 1
            number = f"QZJC-{starts.year}-{n + 1:02d}{s + 1:02d}"
            taken = starts + timedelta(days=2 + 5 * s)
            body: dict[str, Any] = {
                "sample_number": number,
                "product": category,
                "taken_on": taken,
                "passed": passed,
                "lab": "天水市食品药品检验检测中心",
            }
            if not passed:
                body |= {
                    "indicator": indicator,
                    "measured_value": value,
                    "limit": limit,
                    "result_on": taken + timedelta(days=3),
                }
                failed.append(number)
            steps.append(Step(f"{API}/monitoring/{{id}}/samples", body))
        assessed = starts + timedelta(days=25)
        level = "high" if warned else rng.choice(["low", "medium"])
        steps.append(
            Step(
                f"{API}/monitoring/{{id}}/assessment",
                {
                    "level": level,
                    "assessor": "区食安办风险评估组",
                    "basis": f"4批次抽检不合格{len(failed)}批次",
                    "business_date": assessed,
                },
            )
        )
        if warned:
            steps.append(
                Step(
                    f"{API}/monitoring/{{id}}/warning",
                    {
                        "level": "orange",
                        "message": f"{category}{indicator}超标, 请暂停销售并排查来源",
                        "scope": "全区",
                        "issued_by": "区食品安全委员会办公室",
                        "business_date": cal.clamp(assessed + timedelta(days=1)),
                    },
                )
            )
        else:
            for number in failed:
                steps.append(
                    Step(
                        f"{API}/monitoring/{{id}}/follow-ups/{number}/disposal",
                        {
                            "measures": "下架封存, 责令召回, 立案查处",
                            "disposed_on": assessed,
                            "recorded_by": "区市场监督管理局",
                        },
                    )
                )
                steps.append(
                    Step(
                        f"{API}/monitoring/{{id}}/follow-ups/{number}/close",
                        {
                            "outcome": "已处置完毕",
                            "closed_by": "区市场监督管理局",
                            "closed_on": assessed + timedelta(days=5),
                        },
                    )
                )
            steps.append(
                Step(
                    f"{API}/monitoring/{{id}}/close",
                    {
                        "closed_by": "区食安办",
                        "summary": "监测任务完成",
                        "business_date": assessed + timedelta(days=6),
                    },
                )
            )
        plan.add(Story("monitoring", steps, history_phase(cal, starts)))
