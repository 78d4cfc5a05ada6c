"""The whole demo district, drawn from one seed."""

from __future__ import annotations

import random
from typing import Any

from pingan.demo.accidents import accidents
from pingan.demo.calendar import Calendar
from pingan.demo.campaigns import campaigns, cases, mass_incidents
from pingan.demo.families import barred_families, families
from pingan.demo.hazards import hazards, key_areas
from pingan.demo.monitoring import monitoring
from pingan.demo.places import District
from pingan.demo.plan import Plan
from pingan.demo.revocations import revocations
from pingan.demo.rounds import rounds
from pingan.demo.scoring import units

HAZARDS = 300


def draw(
    seed: int, district: District, cal: Calendar, standards: dict[str, dict[str, Any]]
) -> Plan:
    """Every command of the demo, in the order drawn; the same arguments give the same plan."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not a secret
    plan = Plan()
    key_areas(plan, rng, district, cal)
    hazards(plan, rng, district, cal, HAZARDS)
    rounds(plan, rng, district, cal)
    monitoring(plan, rng, district, cal)
    accidents(plan, rng, district, cal)
    campaigns(plan, rng, cal)
    cases(plan, rng, district, cal)
    mass_incidents(plan, rng, district, cal)
    made = units(plan, rng, district, cal, standards)
    families(plan, rng, district, cal, made)
    revocations(plan, rng, cal, made)
    barred_families(plan, rng, cal, made)
    return plan
