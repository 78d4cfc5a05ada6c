"""What stripped a title (摘牌制), as the pages show it: the cause in words, linked to the
case or accident upstream, and the unit it happened in when that is another (a village's
case strips its township's title too). The bus's event types stay out of the pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pingan.api.i18n import Language
from pingan.web import labels

#: Where the record that stripped a title is shown, by the cause scoring names.
CAUSE_PAGES = {"major_case": "/cases", "safety_accident": "/accidents"}


@dataclass(frozen=True)
class Cause:
    words: str
    link: str | None = None
    #: the page of the unit the incident happened in, when it is not the revoked one
    within: str | None = None


def cause_of(
    revocation: Mapping[str, Any],
    incidents: Mapping[str, Mapping[str, Any]],
    language: Language,
) -> Cause:
    """A revocation's cause from the incident that caused it; a re-inspection's or a
    decision's reason is the words a person gave, and reads as they gave it."""
    incident = incidents.get(str(revocation.get("incident_id") or ""), {})
    cause = revocation.get("cause") or incident.get("cause")
    if cause is None:
        return Cause(str(revocation.get("reason") or ""))
    upstream = incident.get("upstream_id") or revocation.get("upstream_id")
    link = f"{CAUSE_PAGES[cause]}#r-{upstream}" if upstream and cause in CAUSE_PAGES else None
    matched = incident.get("matched_unit_id")
    unit = revocation.get("unit_id")
    within = f"/units/{matched}" if matched and str(matched) != str(unit) else None
    return Cause(labels.word(labels.CAUSES, cause, language), link, within)
