"""The base of every service's eventsourcing application: save with who and why, create at
most once per idempotency key."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, ProcessRecorder, Transcoding

from pingan.files.memory import MemoryStore
from pingan.files.store import FileStore
from pingan.privacy.ciphers import AesGcm
from pingan.privacy.people import People
from pingan.privacy.store import MemoryPeople
from pingan.write import business_time
from pingan.write.domain import DomainError
from pingan.write.duties import actors_of
from pingan.write.eventstore import notification_id
from pingan.write.idempotency import Claim, IdempotencyRecord, KeyReused
from pingan.write.metadata import EventMetadata, stamp

# The claim of the creating command running in this context, taken by its first save.
_pending_claim: ContextVar[Claim | None] = ContextVar("pending_claim", default=None)


@dataclass(frozen=True)
class Recorded:
    """What a command answers: the aggregate it changed and the position of its last event."""

    id: UUID
    position: int
    replayed: bool = False
    #: The stream the position is of, when the application knows it.
    stream: str = ""


A = TypeVar("A")


class RecordNotFound(AggregateNotFoundError):
    """No aggregate of the kind asked for has this id."""

    def __init__(self, kind: type[Any], ident: UUID) -> None:
        self.kind = re.sub(r"(?<!^)(?=[A-Z])", " ", kind.__name__).lower()
        self.ident = ident
        super().__init__(f"no {self.kind} with id {ident}")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class PeopleNotConnected(RuntimeError):
    """The application records personal data but was given no registry of people."""


class FilesNotConnected(RuntimeError):
    """The application refers to stored files but was given no file store."""


class ServiceApplication(Application[UUID]):
    recorder: ProcessRecorder
    #: The stream its events are published to, which answers name; set by the runtime.
    stream: str = ""
    _people: People | None = None
    _files: FileStore | None = None

    @property
    def files(self) -> FileStore:
        """The store of the files its commands refer to (pingan.files); in memory on the
        in-memory event store, connected by the service runtime otherwise."""
        if self._files is None:
            if self.env.get("PERSISTENCE_MODULE") != "eventsourcing.popo":
                raise FilesNotConnected(self.name)
            self._files = MemoryStore()
        return self._files

    @files.setter
    def files(self, files: FileStore) -> None:
        self._files = files

    @property
    def people(self) -> People:
        """The registry that seals personal data (pingan.privacy). On the in-memory store it
        is in memory too, since keys must live exactly as long as the events they open;
        on PostgreSQL the service runtime connects the shared one."""
        if self._people is None:
            if self.env.get("PERSISTENCE_MODULE") != "eventsourcing.popo":
                raise PeopleNotConnected(self.name)
            self._people = MemoryPeople(AesGcm())
        return self._people

    @people.setter
    def people(self, people: People) -> None:
        self._people = people

    def construct_recorder(self) -> ProcessRecorder:
        """A process recorder, so that reactions can commit their events together with the
        upstream position they answer (it records commands' events just as before)."""
        return self.factory.process_recorder()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def get(self, aggregate_id: UUID, kind: type[A]) -> A:
        """The aggregate with this id, which must be of `kind` (else RecordNotFound)."""
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise RecordNotFound(kind, aggregate_id) from None
        if not isinstance(found, kind):
            raise RecordNotFound(kind, aggregate_id)
        return found

    def actors(self, aggregate_id: UUID, *kinds: str) -> frozenset[str]:
        """Who recorded the aggregate's events of the named kinds (all kinds when none is
        named), by token subject: the input of the separation-of-duties checks."""
        return actors_of(self.events.get(aggregate_id), *kinds)

    def dated(self, stated: date | None, today: date | None) -> date | None:
        """The business date of a command (see `business_time`): the stated one within the
        limits, or today; none when neither is known."""
        if today is None:
            return stated
        limit = int(self.env.get("BUSINESS_DATE_LIMIT_DAYS") or business_time.DEFAULT_LIMIT_DAYS)
        return business_time.resolve(stated, today, limit)

    def record(
        self,
        *aggregates: Any,
        metadata: EventMetadata,
        business_date: date | None = None,
        after_latest: bool = True,
        also: Sequence[Any] = (),
    ) -> Recorded:
        """Save the aggregates' pending events in one transaction, stamped with `metadata`
        and, when given, the business date of the facts they record (by default no earlier
        than the latest fact on each aggregate; a command whose date the domain orders by its
        own rules passes `after_latest=False`).

        `also` are bookkeeping aggregates the command changes in the same transaction (a
        reservation, a register of links): their dates do not order the command's, and their
        events are stored first, so that the answer's position is one of the command's own.

        Answers with the first aggregate's id and the position of the last event stored.
        """
        claim = _pending_claim.get()
        kept = [event for aggregate in also for event in aggregate.collect_events()]
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        if not events and not kept:
            return Recorded(aggregates[0].id, 0, stream=self.stream)
        events = kept + events
        answered = len(events)
        if claim is not None:
            _pending_claim.set(None)
            # Saved right after the command's own events, in the same insert, so that the
            # answer's position (the command's last event, the one views will see; the claim
            # itself is never published) is the claim's own position minus one.
            record = IdempotencyRecord.claim(claim, aggregates[0].id)
            events += record.collect_events()
        if business_date is not None:
            business_time.stamp(aggregates, events, business_date, after_latest=after_latest)
        stamp(events, metadata)
        recordings = self.save(*events)
        return Recorded(
            aggregates[0].id, recordings[answered - 1].notification.id, stream=self.stream
        )

    def create_once(self, claim: Claim | None, create: Callable[[], Recorded]) -> Recorded:
        """Run a creating command at most once per claimed key: the claim is saved in the
        command's own transaction, and a retry (or a request racing it) answers the first
        answer, marked `replayed`. The same key with another body is refused (KeyReused)."""
        if claim is None:
            return create()
        first = self._first_answer(claim)
        if first is not None:
            return first
        token = _pending_claim.set(claim)
        try:
            return create()
        except (IntegrityError, DomainError):
            # A request racing this one with the same key may have won meanwhile: then this
            # one's conflict (on the key, or on a name the first one reserved) is its answer.
            first = self._first_answer(claim)
            if first is None:
                raise
            return first
        finally:
            _pending_claim.reset(token)

    def _first_answer(self, claim: Claim) -> Recorded | None:
        try:
            record: object = self.repository.get(claim.record_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(record, IdempotencyRecord) or record.fingerprint != claim.fingerprint:
            raise KeyReused
        position = notification_id(self.recorder, record.id, 1) - 1
        return Recorded(record.created_id, position, replayed=True, stream=self.stream)
