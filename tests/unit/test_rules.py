"""The role table and the township scope, as pure logic."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pingan.api.problems import Problem
from pingan.auth import rules
from pingan.auth.actions import ACTION_NAMES, Action
from pingan.auth.principal import Principal, Role
from pingan.auth.rules import TABLE, Grant, markdown_table, township_scope
from pingan.write.duties import (
    DutyConflict,
    require_notice_elapsed,
    require_other_person,
    require_outside_township,
)

README = Path(__file__).parents[2] / "README.md"


def principal(role: Role, township: str | None = None, station: str | None = None) -> Principal:
    return Principal("s", "n", role, township, station, "t")


def test_the_readme_and_the_module_show_the_table_as_declared() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")
    assert markdown_table() in (rules.__doc__ or "")


def test_every_action_has_roles_and_a_name() -> None:
    assert set(TABLE) == set(Action) == set(ACTION_NAMES)


def test_the_service_account_does_all_the_district_office_does_but_keep_accounts() -> None:
    office = {a for a, roles in TABLE.items() if Role.DISTRICT_OFFICE in roles}
    service = {a for a, roles in TABLE.items() if Role.SERVICE in roles}

    assert office == set(Action)
    assert service == office - {Action.ACCOUNTS_MANAGE, Action.PERSONAL_DATA_MANAGE}


def test_a_viewer_only_reads() -> None:
    viewer = {a for a, roles in TABLE.items() if Role.VIEWER in roles}

    assert all(a.value.endswith(".read") for a in viewer - {Action.PUBLIC, Action.SIGNED_IN})


def test_township_officers_keep_to_their_township_and_others_go_everywhere() -> None:
    assert township_scope(principal(Role.TOWNSHIP_OFFICER, "玉泉镇"), {}) == frozenset({"玉泉镇"})
    assert township_scope(principal(Role.TOWNSHIP_OFFICER), {}) == frozenset()
    assert township_scope(principal(Role.POLICE), {}) == frozenset()
    for role in (Role.DISTRICT_OFFICE, Role.INSPECTOR, Role.ASSESSOR, Role.VIEWER, Role.SERVICE):
        assert township_scope(principal(role), {}) is None


def test_a_list_keeps_to_the_callers_township_and_refuses_another() -> None:
    officer = principal(Role.TOWNSHIP_OFFICER, "玉泉镇")
    grant = Grant(officer, Action.HAZARDS_READ, frozenset({"玉泉镇"}))

    assert grant.township_filter(None) == "玉泉镇"
    assert grant.township_filter("玉泉镇") == "玉泉镇"
    with pytest.raises(Problem) as refused:
        grant.township_filter("太京镇")
    assert (refused.value.status, refused.value.slug) == (403, "other-township")


def test_a_caller_of_several_townships_names_one_in_a_list() -> None:
    grant = Grant(principal(Role.POLICE, station="s"), Action.CAMPAIGNS_READ, frozenset({"a", "b"}))

    with pytest.raises(Problem) as refused:
        grant.township_filter(None)
    assert refused.value.slug == "township-required"
    assert Grant(principal(Role.VIEWER), Action.HAZARDS_READ, None).township_filter(None) is None


def test_the_same_person_cannot_do_both_duties() -> None:
    require_other_person("wu", {"zhang"}, rule="r", message="m")
    with pytest.raises(DutyConflict) as conflict:
        require_other_person("zhang", {"zhang", "li"}, rule="r", message="m")
    assert conflict.value.rule == "r"


def test_an_officer_does_not_assess_their_own_township() -> None:
    require_outside_township(None, "玉泉镇", rule="r", message="m")
    require_outside_township("太京镇", "玉泉镇", rule="r", message="m")
    with pytest.raises(DutyConflict):
        require_outside_township("玉泉镇", "玉泉镇", rule="r", message="m")


def test_a_title_waits_for_its_public_notice_period() -> None:
    published = date(2026, 3, 1)
    require_notice_elapsed(published, date(2026, 3, 8), 7, rule="r", message="m")
    with pytest.raises(DutyConflict):
        require_notice_elapsed(published, date(2026, 3, 7), 7, rule="r", message="m")
