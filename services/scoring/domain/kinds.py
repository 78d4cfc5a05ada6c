"""The kinds of creation unit (创建单位) and the area hierarchy they form."""

from __future__ import annotations

from enum import StrEnum

from pingan.write.domain import Label


class UnitKind(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    TOWNSHIP = "township"
    COMMUNITY = "community"
    VILLAGE = "village"
    COMPOUND_OLD = "compound_old"
    COMPOUND_NEW = "compound_new"
    ORGANISATION = "organisation"
    ENTERPRISE = "enterprise"
    INDUSTRY = "industry"
    HOSPITAL = "hospital"
    MARKET = "market"
    SCHOOL = "school"
    FAMILY = "family"


K = UnitKind
KIND_LABELS: dict[UnitKind, Label] = {
    K.DISTRICT: Label("区", "district"),
    K.STREET: Label("街道", "street"),
    K.TOWNSHIP: Label("乡镇", "township"),
    K.COMMUNITY: Label("社区", "community"),
    K.VILLAGE: Label("村", "village"),
    K.COMPOUND_OLD: Label("老旧小区", "old residential compound"),
    K.COMPOUND_NEW: Label("新建小区", "new residential compound"),
    K.ORGANISATION: Label("机关单位", "organisation"),
    K.ENTERPRISE: Label("企业", "enterprise"),
    K.INDUSTRY: Label("行业", "industry"),
    K.HOSPITAL: Label("医院", "hospital"),
    K.MARKET: Label("商贸市场", "market"),
    K.SCHOOL: Label("学校", "school"),
    K.FAMILY: Label("家庭", "family"),
}

#: Units that stand for an area of the reference data: one unit per township or village,
#: with an id derived from the area, so that an upstream event's township and village name it.
AREA_KINDS = frozenset({K.STREET, K.TOWNSHIP, K.COMMUNITY, K.VILLAGE})
_TOWNSHIP_LEVEL = frozenset({K.STREET, K.TOWNSHIP})
_VILLAGE_LEVEL = frozenset({K.COMMUNITY, K.VILLAGE})
_COMPOUNDS = frozenset({K.COMPOUND_OLD, K.COMPOUND_NEW})
_PLACES = frozenset({K.ORGANISATION, K.ENTERPRISE, K.INDUSTRY, K.HOSPITAL, K.MARKET, K.SCHOOL})

#: district → township/street → village/community → compound → family; a workplace or
#: school lies in a township or a village; a family in a village, community or compound.
PARENT_KINDS: dict[UnitKind, frozenset[UnitKind]] = {
    K.DISTRICT: frozenset(),
    **dict.fromkeys(_TOWNSHIP_LEVEL, frozenset({K.DISTRICT})),
    K.COMMUNITY: frozenset({K.STREET, K.TOWNSHIP}),
    K.VILLAGE: frozenset({K.TOWNSHIP}),
    **dict.fromkeys(_COMPOUNDS, _VILLAGE_LEVEL),
    **dict.fromkeys(_PLACES, _TOWNSHIP_LEVEL | _VILLAGE_LEVEL),
    K.FAMILY: _VILLAGE_LEVEL | _COMPOUNDS,
}


def is_township_level(kind: UnitKind) -> bool:
    return kind in _TOWNSHIP_LEVEL


def is_village_level(kind: UnitKind) -> bool:
    return kind in _VILLAGE_LEVEL
