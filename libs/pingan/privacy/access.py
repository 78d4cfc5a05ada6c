"""Who may see a record's personal data, and the values an API answer shows them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from pingan.auth.principal import Principal, Role
from pingan.privacy.people import WITHHELD, Disclosure, Field, People, Reader
from pingan.privacy.sealed import Sealed


def may_see(principal: Principal, township: str, *, anonymous: bool) -> bool:
    """The district office sees everyone; the township officer of the record's township
    sees those who did not ask for anonymity; every other role sees nothing."""
    if principal.role is Role.DISTRICT_OFFICE:
        return True
    return (
        principal.role is Role.TOWNSHIP_OFFICER and principal.township == township and not anonymous
    )


@dataclass(frozen=True)
class PersonalFields:
    """One record's sealed fields of one person, with what decides who may see them."""

    record_id: str
    township: str
    anonymous: bool
    fields: Mapping[Field, Sealed | None]


async def disclose(
    people: People, principal: Principal, purpose: str, records: Sequence[PersonalFields]
) -> list[dict[Field, str | None]]:
    """Each record's fields as `principal` may see them: opened (and audited) or withheld."""
    wanted: list[Disclosure] = []
    answers: list[dict[Field, str | None]] = []
    for record in records:
        visible = may_see(principal, record.township, anonymous=record.anonymous)
        shown: dict[Field, str | None] = {}
        for f, sealed in record.fields.items():
            if sealed is None:
                shown[f] = None
            elif visible:
                wanted.append(Disclosure(sealed, f, record.record_id))
            else:
                shown[f] = WITHHELD
        answers.append(shown)
    if wanted:
        reader = Reader(principal.subject, principal.role.value, purpose)
        opened = iter(await run_in_threadpool(people.reveal, wanted, reader))
        for record, shown in zip(records, answers, strict=True):
            for f, sealed in record.fields.items():
                if f not in shown and sealed is not None:
                    shown[f] = next(opened)
    return answers
