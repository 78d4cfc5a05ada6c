"""The people registry's own logic, in memory."""

from __future__ import annotations

import pytest

from pingan.privacy import FORGOTTEN, Field, RecordKind, RetainedByLaw, Retention
from pingan.privacy.ciphers import AesGcm, Disabled, Sm4Gcm
from pingan.privacy.people import Disclosure, Reader
from pingan.privacy.sealed import parse
from pingan.privacy.store import MemoryPeople

KIND = RecordKind("tests.reporter", Retention.erasable_on_request("可删除"))
KEPT = RecordKind("tests.case", Retention.kept_by_law("依法保存"))
READER = Reader("s", "district_office", "test")


@pytest.mark.parametrize("cipher", [AesGcm(), Sm4Gcm()])
def test_a_sealed_value_names_its_algorithm_and_key_and_opens(cipher: AesGcm | Sm4Gcm) -> None:
    people = MemoryPeople(cipher)
    mention = people.mention(KIND, "r1", name="赵六", id_number="620502199001011234")
    assert mention.name is not None
    value = parse(mention.name)

    opened = people.reveal([Disclosure(mention.name, Field.NAME, "r1")], READER)

    assert value is not None and value.algorithm == cipher.name and value.key_version == 1
    assert value.person_id == mention.person.id
    assert "赵六" not in mention.name
    assert opened == ["赵六"]


def test_a_value_moved_to_another_field_does_not_open() -> None:
    people = MemoryPeople(AesGcm())
    mention = people.mention(KIND, "r1", name="赵六")
    assert mention.name is not None

    assert people.reveal([Disclosure(mention.name, Field.PHONE, "r1")], READER) == [FORGOTTEN]


def test_forgetting_erases_unless_a_record_kind_is_kept() -> None:
    people = MemoryPeople(Disabled())
    kept = people.mention(KEPT, "c1", phone="13900001111")
    again = people.mention(KIND, "r1", phone="13900001111")
    gone = people.mention(KIND, "r2", name="钱七")
    assert gone.name is not None

    with pytest.raises(RetainedByLaw, match="依法保存"):
        people.forget(kept.person.id, by="s", reason="x")
    people.forget(gone.person.id, by="s", reason="x")

    assert again.person == kept.person
    assert people.reveal([Disclosure(gone.name, Field.NAME, "r2")], READER) == [FORGOTTEN]
