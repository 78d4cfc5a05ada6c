"""A revocation's cause reads in words, linked to the record upstream that caused it; the
bus's event type never shows."""

from __future__ import annotations

from pingan.web.causes import Cause, cause_of

UNIT, VILLAGE, CASE, INCIDENT = "u-1", "u-2", "c-1", "i-1"
REVOKED = {
    "unit_id": UNIT,
    "cause": "major_case",
    "incident_id": INCIDENT,
    "reason": "重大治安案件: pingan.campaigns.case.flagged_major.v1",
}


def test_a_case_that_stripped_a_title_reads_in_words_and_links_to_the_case() -> None:
    incidents = {INCIDENT: {"cause": "major_case", "upstream_id": CASE, "matched_unit_id": UNIT}}
    assert cause_of(REVOKED, incidents, "zh-CN") == Cause("重大治安案件", f"/cases#r-{CASE}")
    assert cause_of(REVOKED, incidents, "en").words == "major public-order case"


def test_a_case_in_a_unit_within_links_to_that_unit_too() -> None:
    incidents = {INCIDENT: {"cause": "major_case", "upstream_id": CASE, "matched_unit_id": VILLAGE}}
    assert cause_of(REVOKED, incidents, "zh-CN").within == f"/units/{VILLAGE}"


def test_a_mass_incident_reads_in_words_without_a_page_to_link() -> None:
    revoked = {**REVOKED, "cause": "mass_incident"}
    found = cause_of(revoked, {}, "zh-CN")
    assert found == Cause("群体性事件")
    assert "pingan." not in found.words


def test_a_reinspections_reason_reads_as_the_person_gave_it() -> None:
    revoked = {"unit_id": UNIT, "cause": None, "incident_id": None, "reason": "复查不合格"}
    assert cause_of(revoked, {}, "zh-CN") == Cause("复查不合格")
