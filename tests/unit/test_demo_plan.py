"""The demo's plan is drawn whole from its seed: the same seed and day give the same commands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.district import draw
from pingan.demo.places import District
from pingan.reference import load_district

TODAY = Calendar(date(2026, 12, 2))
STANDARD: dict[str, Any] = {
    "id": "community",
    "version": 1,
    "criteria": [{"code": "police_office", "points": 50}, {"code": "team", "points": 50}],
    "survey": {"min_sample": 50},
    "notice_days": 7,
}


def district() -> District:
    shipped = load_district()
    return District(
        shipped.name,
        [t.name for t in shipped.townships],
        [
            place
            for t in shipped.townships
            for place in District.from_areas(
                {"district": "", "townships": [{"name": t.name, "villages": [
                    {"name": v.name} for v in t.villages]}]}
            ).places
        ],
    )  # fmt: skip


def test_the_same_seed_draws_the_same_plan_and_another_seed_another() -> None:
    standards = {"community": STANDARD}

    first, again = (draw(5, district(), TODAY, standards) for _ in range(2))
    other = draw(6, district(), TODAY, standards)

    assert first.digest() == again.digest()
    assert first.counts() == again.counts()
    assert other.digest() != first.digest()


def test_the_plan_holds_every_kind_the_demo_promises() -> None:
    counts = draw(5, district(), TODAY, {"community": STANDARD}).counts()

    assert counts["hazards"] >= 300
    assert counts["cases"] >= 400
    assert counts["campaigns"] >= 9
    assert counts["units"] >= 150
    assert counts["key_areas"] >= 9


def test_no_fact_is_dated_after_the_day_it_runs() -> None:
    plan = draw(5, district(), TODAY, {"community": STANDARD})

    # A deadline and a period's bounds may lie ahead; what happened may not.
    ahead = {"deadline", "starts_on", "ends_on"}
    facts = [
        value
        for story in plan.stories
        for step in story.steps
        for key, value in step.body.items()
        if isinstance(value, date) and not isinstance(value, datetime) and key not in ahead
    ]
    assert len(facts) > 1000
    assert max(facts) <= TODAY.today
