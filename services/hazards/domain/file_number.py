"""File numbers (档案编号): one hazard per number in the district, and the office's own series.

A number is held by a reservation, an aggregate whose id derives from the number's normal
form, saved in the same transaction as the filing that takes it: a second filing with the
same number is a version conflict on that id and cannot commit, however the two race.
The normal form ignores what a clerk would not call a different number: surrounding and
inner blanks, letter case and full-width characters, as a Chinese input method types them.

A filing that states no number is issued the next of the office's series for the year of
its business date, `<prefix>-<year>-<sequence>` with at least four digits (QZ-2026-0042),
from a counter per year saved in the same transaction too; the counter skips a number that
a clerk has already given by hand.
"""

from __future__ import annotations

import re
import unicodedata
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.domain import DomainError

NAMESPACE = UUID("0b7c8e52-41d6-4f0a-9e3b-6c2a9d1f7e45")
#: The office's prefix unless the service's `FILE_NUMBER_PREFIX` says otherwise (秦州).
DEFAULT_PREFIX = "QZ"
_BLANKS = re.compile(r"\s+")


def normal_form(number: str) -> str:
    return _BLANKS.sub("", unicodedata.normalize("NFKC", number)).upper()


def reservation_id(number: str) -> UUID:
    return uuid5(NAMESPACE, f"file-number\n{normal_form(number)}")


def sequence_id(prefix: str, year: int) -> UUID:
    return uuid5(NAMESPACE, f"file-number-sequence\n{normal_form(prefix)}\n{year}")


class FileNumberTaken(DomainError):
    """The number is held by another hazard."""

    def __init__(self, number: str, holder: UUID) -> None:
        self.number = number
        self.holder = holder
        super().__init__(f"the file number {number} is already held by hazard {holder}")


class FileNumber(Aggregate):
    """The reservation of one file number by the hazard filed under it."""

    class Reserved(Aggregate.Created):
        number: str
        hazard_id: UUID

    @staticmethod
    def create_id(number: str, hazard_id: UUID) -> UUID:
        return reservation_id(number)

    @event(Reserved)
    def __init__(self, number: str, hazard_id: UUID) -> None:
        self.number = number
        self.hazard_id = hazard_id


class FileNumberSequence(Aggregate):
    """The last number the office's series issued in one year."""

    class Started(Aggregate.Created):
        prefix: str
        year: int

    class Issued(Aggregate.Event):
        sequence: int

    @staticmethod
    def create_id(prefix: str, year: int) -> UUID:
        return sequence_id(prefix, year)

    @event(Started)
    def __init__(self, prefix: str, year: int) -> None:
        self.prefix = prefix
        self.year = year
        self.last = 0

    def number(self, sequence: int) -> str:
        return f"{self.prefix}-{self.year}-{sequence:04d}"

    def issue(self) -> str:
        self._issued(sequence=self.last + 1)
        return self.number(self.last)

    @event(Issued)
    def _issued(self, sequence: int) -> None:
        self.last = sequence
