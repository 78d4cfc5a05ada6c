"""A family's ten stars on the in-memory store: awarded and withdrawn with reasons, tiers by
count, a yearly cycle in which last year's stars lapse unless re-confirmed, and the bar a
revoked title of an enclosing unit puts on new stars unless the title was restored."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from pingan.testing import in_memory
from pingan.write.domain import RuleViolation
from scoring.application import ScoringApplication
from scoring.domain.kinds import UnitKind
from scoring.domain.stars import Star, StarRating, parse_star, tier
from tests.unit.test_scoring_units import LIANTING, META, TODAY, hierarchy, name_unit, register

NEXT_YEAR = date(2027, 3, 1)


@pytest.fixture
def app() -> ScoringApplication:
    return in_memory(ScoringApplication)


def family(app: ScoringApplication) -> tuple[UUID, dict[str, UUID]]:
    units = hierarchy(app)
    found = register(
        app, UnitKind.FAMILY, name="王家", village=LIANTING, parent_id=units["compound"]
    )
    return found, units


def award(
    app: ScoringApplication, family_id: UUID, star: str, on: date = TODAY, today: date = TODAY
) -> None:
    app.award_star(
        family_id, star=star, reason="村民评议", awarded_on=on, metadata=META, today=today
    )


def rating(app: ScoringApplication, family_id: UUID) -> StarRating:
    found = app.star_rating(family_id)
    assert found is not None
    return found


def test_stars_are_awarded_and_withdrawn_and_the_tier_follows_the_count(
    app: ScoringApplication,
) -> None:
    family_id, _ = family(app)
    for star in Star:
        award(app, family_id, star.value)
    assert rating(app, family_id).tier.zh == "十星级平安家庭"
    app.withdraw_star(
        family_id, star="safety", reason="发生火灾", withdrawn_on=TODAY, metadata=META, today=TODAY
    )
    held = rating(app, family_id)
    assert Star.SAFETY not in held.stars and held.tier.zh == "九星级平安家庭"
    assert tier(0).zh == "未评星" and tier(1).en == "1-star family"


def test_a_star_is_named_by_code_or_chinese_and_an_unknown_one_is_refused(
    app: ScoringApplication,
) -> None:
    assert parse_star("法纪星") is parse_star("法纪") is parse_star("law") is Star.LAW
    family_id, _ = family(app)
    with pytest.raises(RuleViolation, match="unknown star wealth"):
        award(app, family_id, "wealth")


def test_a_star_is_awarded_once_and_withdrawn_only_when_held(app: ScoringApplication) -> None:
    family_id, _ = family(app)
    with pytest.raises(RuleViolation, match="not awarded in 2026"):
        app.withdraw_star(
            family_id, star="law", reason="-", withdrawn_on=TODAY, metadata=META, today=TODAY
        )
    award(app, family_id, "law")
    with pytest.raises(RuleViolation, match="already awarded in 2026"):
        award(app, family_id, "法纪星")


def test_only_a_family_is_rated(app: ScoringApplication) -> None:
    units = hierarchy(app)
    with pytest.raises(RuleViolation, match="is not a family"):
        award(app, units["compound"], "law")


def test_a_new_year_lapses_last_years_stars_until_they_are_confirmed(
    app: ScoringApplication,
) -> None:
    family_id, _ = family(app)
    award(app, family_id, "law")
    award(app, family_id, "unity")
    award(app, family_id, "health", on=NEXT_YEAR, today=NEXT_YEAR)
    held = rating(app, family_id)
    assert (held.cycle, held.stars) == (2027, {Star.HEALTH})
    award(app, family_id, "law", on=NEXT_YEAR, today=NEXT_YEAR)
    (opened,) = [e for e in app.events.get(held.id) if isinstance(e, StarRating.CycleOpened)][1:]
    assert opened.lapsed == ["law", "unity"]
    awarded = [e for e in app.events.get(held.id) if isinstance(e, StarRating.StarAwarded)]
    assert [(e.star, e.confirmed) for e in awarded[2:]] == [("health", False), ("law", True)]
    assert awarded[-1].stars == ["law", "health"]


def test_a_revoked_enclosing_title_bars_new_stars_for_its_bar_period(
    app: ScoringApplication,
) -> None:
    family_id, units = family(app)
    award(app, family_id, "law")
    name_unit(app, units["community"], "community", on=TODAY)
    app.revoke_title(
        units["community"], reason="弄虚作假", revoked_on=TODAY, metadata=META, today=TODAY
    )
    with pytest.raises(RuleViolation, match="barred from new stars until 2027-06-20"):
        award(app, family_id, "unity")
    app.withdraw_star(
        family_id, star="law", reason="复核", withdrawn_on=TODAY, metadata=META, today=TODAY
    )
    later = date(2027, 6, 20)
    award(app, family_id, "unity", on=later, today=later)
    assert rating(app, family_id).stars == {Star.UNITY}


def test_a_restored_title_lifts_the_bar(app: ScoringApplication) -> None:
    family_id, units = family(app)
    compound = units["compound"]
    name_unit(app, compound, "compound_old", on=TODAY)
    app.revoke_title(compound, reason="弄虚作假", revoked_on=TODAY, metadata=META, today=TODAY)
    with pytest.raises(RuleViolation, match="barred"):
        award(app, family_id, "law")
    app.lodge_appeal(compound, reason="不实", lodged_on=TODAY, metadata=META, today=TODAY)
    app.decide_appeal(
        compound,
        number=1,
        upheld=True,
        reason="申诉成立",
        decided_on=TODAY,
        metadata=META,
        today=TODAY,
    )
    award(app, family_id, "law")
    assert rating(app, family_id).stars == {Star.LAW}
