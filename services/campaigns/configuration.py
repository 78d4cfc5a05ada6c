"""The office's own kinds of campaign and case, read from a YAML file.

`CAMPAIGN_KINDS_FILE` names it; the kinds it declares are added to the shipped ones (a code
already shipped is replaced)::

    case_kinds:
      - {code: elder_fraud, name: 养老诈骗, category: criminal}
    campaign_kinds:
      - code: elder_fraud
        name: 打击整治养老诈骗
        case_kinds: [elder_fraud, fraud]
        aliases: [养老诈骗专项]
    warning_rule:          # the early-warning rule (see campaigns.domain.warning_rule)
      z: 3.0
      trailing_months: 12
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from campaigns.domain.kinds import CampaignKind, CaseCategory, CaseKind, Homicide, Vocabulary
from campaigns.domain.warning_rule import WarningRule

ENV = "CAMPAIGN_KINDS_FILE"


def _case_kind(item: Mapping[str, Any]) -> CaseKind:
    return CaseKind(
        code=str(item["code"]),
        name=str(item["name"]),
        category=CaseCategory(item["category"]),
        homicide=Homicide(item.get("homicide", Homicide.NEVER.value)),
        aliases=tuple(str(a) for a in item.get("aliases", ())),
    )


def _campaign_kind(item: Mapping[str, Any]) -> CampaignKind:
    tag = item.get("place_tag")
    return CampaignKind(
        code=str(item["code"]),
        name=str(item["name"]),
        case_kinds=tuple(str(k) for k in item["case_kinds"]),
        aliases=tuple(str(a) for a in item.get("aliases", ())),
        place_tag=None if tag is None else str(tag),
    )


def vocabulary(path: str | Path | None) -> Vocabulary:
    """The shipped kinds, with those of the file at `path` (if any) added."""
    shipped = Vocabulary()
    if not path:
        return shipped
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return shipped.extended(
        [_case_kind(i) for i in data.get("case_kinds", ())],
        [_campaign_kind(i) for i in data.get("campaign_kinds", ())],
    )


def warning_rule(path: str | Path | None) -> WarningRule:
    """The early-warning rule, with what the file's `warning_rule` section sets::

    warning_rule: {z: 3.0, trailing_months: 12, seasonal_years: 3, min_history_months: 12,
                   floor: 0.5}
    """
    if not path:
        return WarningRule()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    section: Mapping[str, Any] = data.get("warning_rule") or {}
    known = {"z", "trailing_months", "seasonal_years", "min_history_months", "floor"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ValueError(f"unknown warning_rule settings: {', '.join(unknown)}")
    floats = {"z", "floor"}
    return WarningRule(
        **{k: float(v) if k in floats else int(v) for k, v in section.items()}  # type: ignore[arg-type]
    )
