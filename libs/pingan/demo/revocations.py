"""What costs titles in the demo: major cases, larger accidents and mass incidents at named
units. The demo only reports them; scoring's plaque-removal reaction strips the titles."""

from __future__ import annotations

import random

from pingan.demo.accidents import accident_at_unit
from pingan.demo.calendar import Calendar
from pingan.demo.campaigns import incident_at_unit, major_case_at_unit
from pingan.demo.hazards import LAST
from pingan.demo.plan import Plan
from pingan.demo.scoring import Unit

CAUSES = (
    (major_case_at_unit, ("enterprise", "market", "hospital", "organisation"), 4),
    (accident_at_unit, ("enterprise", "industry", "market"), 3),
    # A dispute over property services (物业服务纠纷) is a residential compound's.
    (incident_at_unit, ("compound_old", "compound_new"), 4),
)


def revocations(plan: Plan, rng: random.Random, cal: Calendar, units: list[Unit]) -> None:
    taken: set[str] = set()
    for cause, kinds, count in CAUSES:
        candidates = [u for u in units if u.titled and u.kind in kinds and u.ref not in taken]
        for n, unit in enumerate(rng.sample(candidates, min(count, len(candidates)))):
            if unit.place is None:
                continue
            taken.add(unit.ref)
            plan.add(
                cause(cal, n, unit.place.township, unit.place.village, unit.ref, unit.name, LAST)
            )
            plan.revoked_units.append(unit.ref)
