"""Request and answer bodies of the accounts API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pingan.api.times import OfficeDateTime
from pingan.auth.accounts import Account
from pingan.auth.principal import Principal, Role
from pingan.reference import TownshipName

Login = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$", description="Login name")
]
DisplayName = Annotated[
    str, Field(min_length=1, max_length=64, description="Name shown in history")
]
Password = Annotated[str, Field(min_length=8, max_length=256)]
Station = Annotated[str, Field(min_length=1, max_length=64, description="Police station")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignIn(Strict):
    login: Login
    password: Annotated[str, Field(min_length=1, max_length=256)] = Field(
        description="The account's password"
    )


class Session(BaseModel):
    token: str
    token_type: str = "Bearer"  # noqa: S105
    token_id: str
    expires_at: OfficeDateTime
    principal: PrincipalOut


class PrincipalOut(BaseModel):
    subject: str
    name: str
    role: Role
    township: str | None
    station: str | None
    token_id: str

    @classmethod
    def of(cls, principal: Principal) -> PrincipalOut:
        return cls(**vars(principal))


class NewAccount(Strict):
    login: Login
    name: DisplayName
    role: Role = Field(description="What the user may do (see Who may do what)")
    township: TownshipName | None = Field(
        default=None, description="The township of a township officer"
    )
    station: Station | None = None
    password: Password = Field(description="At least 8 characters")

    @model_validator(mode="after")
    def _township_officer_has_township(self) -> NewAccount:
        if self.role is Role.TOWNSHIP_OFFICER and not self.township:
            raise ValueError("a township officer needs a township")
        return self


class AccountChange(Strict):
    name: DisplayName | None = Field(default=None, description="A new display name")
    role: Role | None = Field(default=None, description="A new role")
    township: TownshipName | None = Field(default=None, description="A new township")
    station: Station | None = Field(default=None, description="A new police station")
    password: Password | None = Field(default=None, description="A new password")
    disabled: bool | None = Field(
        default=None, description="Disable (true) or enable (false) the account"
    )


class AccountOut(BaseModel):
    login: str
    name: str
    role: Role
    township: str | None
    station: str | None
    disabled: bool
    created_at: OfficeDateTime
    updated_at: OfficeDateTime

    @classmethod
    def of(cls, account: Account) -> AccountOut:
        return cls(**vars(account))


class Revoke(Strict):
    token_id: Annotated[str, Field(min_length=1, max_length=128)] = Field(
        description="The token's id (`jti`)"
    )
    expires_at: OfficeDateTime | None = Field(
        default=None, description="When the token expires (default: the longest token life)"
    )


Session.model_rebuild()
