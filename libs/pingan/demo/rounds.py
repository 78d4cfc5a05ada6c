"""Rolling investigation rounds (滚动式排查摸底): one a quarter, the latest still open."""

from __future__ import annotations

import random
from datetime import timedelta

from pingan.demo.calendar import Calendar
from pingan.demo.hazards import API, CATEGORIES, OFFICE, SOURCES, TITLES, history_phase
from pingan.demo.places import District
from pingan.demo.plan import Plan, Step, Story


def rounds(plan: Plan, rng: random.Random, district: District, cal: Calendar) -> None:
    for quarter in range(4):
        starts = cal.ago(360 - 90 * quarter)
        ends = starts + timedelta(days=60)
        still_open = quarter == 3
        townships = rng.sample(district.townships, 4)
        steps = [
            Step(
                f"{API}/rounds",
                {
                    "name": f"{starts.year}年第{quarter + 1}轮滚动排查",
                    "areas": townships,
                    "starts_on": starts,
                    "ends_on": ends,
                    "organiser": OFFICE,
                    "business_date": starts,
                },
            ),
        ]
        # A round's facts are recorded in the order they happened.
        days = sorted(rng.randint(0, 55) for _ in range(8))
        for n, offset in enumerate(days):
            place = district.pick(rng, townships[n % 4])
            category = rng.choice(CATEGORIES)
            found = cal.clamp(starts + timedelta(days=offset))
            steps.append(
                Step(
                    f"{API}/rounds/{{id}}/findings",
                    {
                        "title": rng.choice(TITLES[category]),
                        "category": category,
                        "source": rng.choice(SOURCES),
                        "township": place.township,
                        "village": place.village,
                        "address": f"{place.short}{n + 1}组",
                        "reporter": "排查组",
                        "business_date": found,
                    },
                )
            )
        if not still_open:
            steps.append(
                Step(
                    f"{API}/rounds/{{id}}/close",
                    {
                        "summary": "本轮排查发现隐患已全部登记建档",
                        "closed_by": OFFICE,
                        "business_date": cal.clamp(ends + timedelta(days=3)),
                    },
                )
            )
        plan.add(Story("rounds", steps, history_phase(cal, starts)))
