"""Who is calling: signed bearer tokens, the accounts that sign in, and the request's Principal."""

from pingan.auth.principal import Principal, Role

__all__ = ["Principal", "Role"]
