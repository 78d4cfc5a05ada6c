"""Separation of duties: checks that one person does not both do a thing and approve it.

People are compared by the subject of their token, which every stored event carries in its
metadata (`pingan.write.metadata`): an application reads who did the earlier steps with
`ServiceApplication.actors` and passes them here. The checks are pure and framework-free, so
a domain model may call them too.

Rules the services use or will use:

- hazards: the verifier of a rectification is neither the person who reported the hazard nor
  one who reported its rectification (`require_other_person`);
- scoring: an assessor or officer does not assess a unit of their own township's league table
  (`require_outside_township`); a title is conferred only after its public notice period has
  run (`require_notice_elapsed`), and by the district office (the role table's
  `scoring.confer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from pingan.write.domain import DomainError
from pingan.write.metadata import metadata_of


class DutyConflict(DomainError):
    """A command refused because its actor did, or is tied to, an earlier step."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        #: A stable name of the rule, e.g. "verifier-not-reporter".
        self.rule = rule


def actors_of(events: Iterable[Any], *kinds: str) -> frozenset[str]:
    """The subjects who recorded the events of the named kinds (class names, e.g. "Reported")."""
    found = set()
    for event in events:
        if kinds and type(event).__name__ not in kinds:
            continue
        meta = metadata_of(event)
        if meta is not None:
            found.add(meta.actor)
    return frozenset(found)


def require_other_person(actor: str, earlier: Iterable[str], *, rule: str, message: str) -> None:
    """Refuse when `actor` is one of those who did the earlier step."""
    if actor in set(earlier):
        raise DutyConflict(rule, message)


def require_outside_township(
    actor_township: str | None, township: str, *, rule: str, message: str
) -> None:
    """Refuse when the actor belongs to the township the record is ranked in."""
    if actor_township is not None and actor_township == township:
        raise DutyConflict(rule, message)


def require_notice_elapsed(
    published_on: date, today: date, days: int, *, rule: str, message: str
) -> None:
    """Refuse before `days` full days of public notice (公示) have passed since publication."""
    if today < published_on + timedelta(days=days):
        raise DutyConflict(rule, message)
