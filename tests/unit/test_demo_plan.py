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


#: a standard as GET /standards shows one that asks for the residents' consultation
CONSULTING: dict[str, Any] = STANDARD | {
    "id": "village",
    "ref": "village@2",
    "kinds": ["village"],
    "opinion": {"min_respondents": 30, "favour_min": 0.8, "rule": "wilson"},
    "meeting": {"quorum": "2/3", "majority": "1/2", "quorum_exceeded": False},
    "level_points": [{"level": 1, "pass_points": 80}, {"level": 2, "pass_points": 90}],
    "reinspect_months": 12,
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


def test_assessments_bring_the_consultation_the_standard_asks_for_passing_or_not() -> None:
    # A seed's few failed villages may all miss on one ground: three seeds miss on each.
    plans = [draw(seed, district(), TODAY, {"community": STANDARD, "village": CONSULTING})
             for seed in (1, 2, 3)]  # fmt: skip

    bodies = [
        (step.path.rsplit("/", 1)[-1], step.body)
        for plan in plans
        for story in plan.stories
        for step in story.steps
        if step.path.endswith(("/assessments", "/upgrades")) and "opinion" in step.body
    ]
    assert len(bodies) > 10
    opinions = [b["opinion"]["in_favour"] / b["opinion"]["respondents"] for _, b in bodies]
    meetings = [b["meeting"] for _, b in bodies]
    assert all(b["opinion"]["respondents"] >= 30 for _, b in bodies)
    assert all(m["held_on"] <= b["assessed_on"] for m, (_, b) in zip(meetings, bodies, strict=True))
    assert min(opinions) < 0.8 < max(opinions)
    assert any(m["attending"] * 3 < m["representatives"] * 2 for m in meetings)
    assert "upgrades" in {path for path, _ in bodies}
    for kind in ("follow_ups", "reinspections"):
        assert sum(plan.counts().get(kind, 0) for plan in plans) >= 1


def test_families_hold_every_tier_and_some_are_barred_after_the_revocations() -> None:
    plan = draw(5, district(), TODAY, {"community": STANDARD})

    families = [s for s in plan.stories if s.kind == "families"]
    tiers = {
        len({st.body["star"] for st in s.steps if st.body.get("awarded_on", TODAY.today).year
             == TODAY.today.year and st.path.endswith("/stars")})
        for s in families
    }  # fmt: skip
    assert len(families) >= 40
    assert set(range(1, 11)) <= tiers
    assert plan.counts()["star_withdrawals"] >= 1
    assert plan.barred
    assert {ref for ref, _ in plan.barred} <= {s.name for s in families}


def test_each_units_facts_are_dated_in_the_order_they_are_sent() -> None:
    dated = ("applied_on", "assessed_on", "starts_on", "named_on", "visited_on", "inspected_on")
    for seed in (1, 2, 11):
        plan = draw(seed, district(), TODAY, {"community": STANDARD, "village": CONSULTING})
        for story in plan.stories:
            days = [s.body[k] for s in story.steps for k in dated if k in s.body]
            assert days == sorted(days), (seed, story.name)
