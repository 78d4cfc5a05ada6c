"""Business time: the date a user states for a fact (found, held, sampled, verified...),
apart from the time it was recorded (the stored event's timestamp and the envelope's time).

A command may state a past business date, within limits: not after today in the office's
time zone, not more than a configurable number of days back, and not before the latest fact
already recorded on the same aggregate. Left out, it is today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from eventsourcing.domain import Aggregate

from pingan.write.domain import RuleViolation

ATTRIBUTE = "business_date"
#: How far back a business date may lie unless the application's env says otherwise
#: (`BUSINESS_DATE_LIMIT_DAYS`): far enough to bring in an office's past ledgers.
DEFAULT_LIMIT_DAYS = 3660


def resolve(stated: date | None, today: date, limit_days: int = DEFAULT_LIMIT_DAYS) -> date:
    """The business date of a command: the one stated, checked, or today."""
    if stated is None:
        return today
    if stated > today:
        raise RuleViolation(
            f"业务日期不能晚于今天 (the business date {stated.isoformat()} is after today, "
            f"{today.isoformat()})"
        )
    earliest = today - timedelta(days=limit_days)
    if stated < earliest:
        raise RuleViolation(
            f"业务日期不能早于 {earliest.isoformat()} (a business date may lie at most "
            f"{limit_days} days back)"
        )
    return stated


def stamp(
    aggregates: Iterable[Any],
    events: Iterable[Any],
    business_date: date,
    *,
    after_latest: bool = True,
) -> None:
    """Date the pending events of a command; refused if an aggregate already holds a later
    fact. An event that declares its own business date keeps it.

    Like the who-and-why metadata, the date is an attribute the mapper persists with the
    event, so the domain model does not carry it in every mutator.
    """
    for aggregate in aggregates if after_latest else ():
        latest = latest_business_date(aggregate)
        if latest is not None and business_date < latest:
            raise RuleViolation(
                f"业务日期不能早于该记录上一事项的日期 {latest.isoformat()} (the business date "
                f"{business_date.isoformat()} is before the latest fact recorded on it)"
            )
    for event in events:
        if vars(event).get(ATTRIBUTE) is None:
            object.__setattr__(event, ATTRIBUTE, business_date)


def latest_business_date(aggregate: Any) -> date | None:
    found = vars(aggregate).get(LATEST)
    return found if isinstance(found, date) else None


LATEST = "_latest_business_date"


class Fact(Aggregate.Event):
    """A domain event that keeps its aggregate's latest business date as it is applied."""

    def apply(self, aggregate: Any) -> None:
        remember(self, aggregate)
        super().apply(aggregate)


class Observation(Aggregate.Event):
    """A fact the clock observes on an aggregate (a deadline run out): dated like any fact,
    but it orders no later step, since the people's own steps may still be recorded on the
    dates they happened, before the day the clock ran."""


class FirstFact(Aggregate.Created):
    """The creating event of an aggregate whose facts carry business dates."""

    def apply(self, aggregate: Any) -> None:
        remember(self, aggregate)
        super().apply(aggregate)


def remember(event: Any, aggregate: Any) -> None:
    stated = vars(event).get(ATTRIBUTE)
    if isinstance(stated, date):
        latest = latest_business_date(aggregate)
        if latest is None or stated > latest:
            vars(aggregate)[LATEST] = stated
