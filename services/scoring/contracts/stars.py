"""A family's ten stars (subjects `scoring.star_rating.<event>`, 十星级平安家庭).

`cycle_opened` starts a family's yearly rating (年度评星) and names the stars of the last
cycle that `lapsed`; a star lapsed that is awarded again in the new cycle is `confirmed`.
`stars_awarded` and `star_withdrawn` carry the cycle's stars after the change, so a reader
needs no earlier event to know the family's tier.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import Field

from pingan.bus.contracts import IntegrationEvent, translator
from scoring.contracts.common import ScoringEvent
from scoring.domain.stars import StarRating

STARS = Field(description="The cycle's stars after the change: law, unity, learning, …")


class StarRatingEvent(ScoringEvent):
    rating_id: UUID
    family_id: UUID = Field(description="The family's creation unit")


class StarRatingOpenedV1(StarRatingEvent):
    """A family's star rating was opened with its first star."""

    event_type = "pingan.scoring.star_rating.opened.v1"
    subject = "scoring.star_rating.opened"

    name: str
    township: str
    village: str | None


class StarCycleOpenedV1(StarRatingEvent):
    """A new yearly rating cycle began for the family; last cycle's stars lapsed."""

    event_type = "pingan.scoring.star_rating.cycle_opened.v1"
    subject = "scoring.star_rating.cycle_opened"

    year: int
    opened_on: date
    lapsed: list[str] = Field(description="Last cycle's stars, to be re-confirmed")


class StarAwardedV1(StarRatingEvent):
    """A star was awarded to the family in a cycle."""

    event_type = "pingan.scoring.star_rating.star_awarded.v1"
    subject = "scoring.star_rating.star_awarded"

    star: str
    reason: str
    awarded_on: date
    cycle: int
    confirmed: bool = Field(description="Held in the last cycle too (re-confirmed)")
    stars: list[str] = STARS


class StarWithdrawnV1(StarRatingEvent):
    """A star was withdrawn from the family in a cycle."""

    event_type = "pingan.scoring.star_rating.star_withdrawn.v1"
    subject = "scoring.star_rating.star_withdrawn"

    star: str
    reason: str
    withdrawn_on: date
    cycle: int
    stars: list[str] = STARS


PUBLISHED: dict[type[Any], type[StarRatingEvent]] = {
    StarRating.Opened: StarRatingOpenedV1,
    StarRating.CycleOpened: StarCycleOpenedV1,
    StarRating.StarAwarded: StarAwardedV1,
    StarRating.StarWithdrawn: StarWithdrawnV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "rating_id")
