"""The caller of a request, as its token states it: the seam for authorisation by role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    DISTRICT_OFFICE = "district_office"
    TOWNSHIP_OFFICER = "township_officer"
    POLICE = "police"
    INSPECTOR = "inspector"
    ASSESSOR = "assessor"
    VIEWER = "viewer"
    #: A machine account, for bulk loads and benchmarks.
    SERVICE = "service"


@dataclass(frozen=True)
class Principal:
    subject: str
    name: str
    role: Role
    township: str | None
    station: str | None
    token_id: str


#: How each role is shown to a person (Chinese first).
ROLE_TITLES: dict[Role, str] = {
    Role.DISTRICT_OFFICE: "区综治办",
    Role.TOWNSHIP_OFFICER: "乡镇(街道)综治办",
    Role.POLICE: "派出所",
    Role.INSPECTOR: "检查整改单位",
    Role.ASSESSOR: "平安创建评审",
    Role.VIEWER: "查看",
    Role.SERVICE: "服务账号",
}
