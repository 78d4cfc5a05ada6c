"""A passing consultation of the residents (民意测评 and 村(居)民代表会议), for the tests that
assess a unit under a standard that asks for one."""

from __future__ import annotations

from datetime import date
from typing import Any

from scoring.domain.standards import Meeting, Opinion, Standard

#: The meeting day of the passing consultation: before every assessment the tests make.
HELD_ON = date(2025, 5, 1)
PASSING_OPINION = Opinion(respondents=100, in_favour=98)
PASSING_MEETING = Meeting(held_on=HELD_ON, representatives=30, attending=25, votes_for=20)
#: The same, as the assessment's request body carries it.
PASSING_CONSULTATION = {
    "opinion": {"respondents": 100, "in_favour": 98},
    "meeting": {
        "held_on": HELD_ON.isoformat(),
        "representatives": 30,
        "attending": 25,
        "votes_for": 20,
    },
}


def consultation(standard: Standard) -> dict[str, Any]:
    """The passing opinion evaluation and meeting, each where the standard asks for it."""
    found: dict[str, Any] = {}
    if standard.opinion is not None:
        found["opinion"] = PASSING_OPINION
    if standard.meeting is not None:
        found["meeting"] = PASSING_MEETING
    return found
