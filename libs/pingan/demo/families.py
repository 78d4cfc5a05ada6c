"""Ten-star safe and harmonious families (十星级平安和谐家庭) of the demo: not loaded yet.

The demo district is to hold `FAMILIES` families with their stars once scoring's family routes
(`/api/scoring/families…`) exist; until then this hook adds nothing, so that the plan, its
counts and its digest stay as they are. Fill it in by appending stories to the plan in phase
`SETUP` (families before anything that strips a title), drawing only from `rng`.
"""

from __future__ import annotations

import random

from pingan.demo.calendar import Calendar
from pingan.demo.places import District
from pingan.demo.plan import Plan
from pingan.demo.scoring import Unit

FAMILIES = 40


def families(
    plan: Plan, rng: random.Random, district: District, cal: Calendar, units: list[Unit]
) -> None:
    """Add the ten-star families; nothing while the family routes do not exist."""
