"""Personal data that can be forgotten (crypto-shredding).

A person is an id issued at their first mention and found again through a keyed hash
(HMAC-SHA256) of their phone or identity number. Their name, phone and identity number are
sealed field by field under a key of their own; records (events, snapshots, messages, views)
hold only the sealed text and the person id. Forgetting a person deletes their key: every
copy of their data, wherever it was copied, becomes unreadable, and reads as `FORGOTTEN`.

Using it in a service:

1. Declare each kind of record that names people, with its retention rule (PIPL art. 47)::

       SUSPECT = RecordKind("campaigns.suspect", Retention.kept_by_law("刑事案件档案 ..."))

2. In the application, mention the person when the command records them, and put the sealed
   fields into the event (declare them `Sealed`, a `str` to the transcoder and to JSON)::

       mention = self.people.mention(SUSPECT, case_id, name=..., phone=..., id_number=...)
       Case(..., suspect_id=mention.person.id, suspect_name=mention.name)

   Choose the record's id beforehand (`Aggregate(id=...)`) so that the mention names it.
3. Publish the sealed fields and the person id as they are; views store them as they are.
4. In a query route, show them through `disclose(runtime.people, principal, purpose, ...)`:
   it opens what `may_see` allows, records each opened value in the read audit (who, whose,
   which field, when, why), and withholds the rest (`WITHHELD`).

The district office reads the audit at `GET /privacy/reads` and forgets a person with
`POST /privacy/people/{id}/forget` or `pingan forget PERSON_ID --reason ...`; a person named
in a kind of record that the law keeps is refused, with the rules hit. The keys, look-ups,
mentions and audit live in one privacy database shared by the services (see README).
"""

from pingan.privacy.access import PersonalFields, disclose, may_see
from pingan.privacy.people import (
    FORGOTTEN,
    WITHHELD,
    Field,
    Mention,
    People,
    PersonRef,
    Reader,
    RetainedByLaw,
    UnknownPerson,
)
from pingan.privacy.retention import RecordKind, Retention
from pingan.privacy.sealed import Sealed, is_sealed

__all__ = [
    "FORGOTTEN",
    "WITHHELD",
    "Field",
    "Mention",
    "People",
    "PersonRef",
    "PersonalFields",
    "Reader",
    "RecordKind",
    "RetainedByLaw",
    "Retention",
    "Sealed",
    "UnknownPerson",
    "disclose",
    "is_sealed",
    "may_see",
]
