"""`pingan forget`: the operator's way to forget a person at the district office's request."""

from __future__ import annotations

import asyncio
import getpass
from uuid import UUID

import click

from pingan.privacy.people import RetainedByLaw, UnknownPerson
from pingan.privacy.setup import ensure_privacy_database, open_people
from pingan.run.settings import get_settings


@click.command()
@click.argument("person_id", type=click.UUID)
@click.option("--reason", required=True, help="Why, e.g. the request's reference (kept).")
def forget(person_id: UUID, reason: str) -> None:
    """Forget a person: delete their key, so that no copy of their data can be read again.

    Refused when a record that names them must be kept by law; the rule is printed.
    """
    settings = get_settings()
    asyncio.run(ensure_privacy_database(settings))
    people = open_people(settings)
    try:
        outcome = people.forget(person_id, by=f"operator:{getpass.getuser()}", reason=reason)
    except UnknownPerson:
        raise click.ClickException(f"未找到此人 / no person with id {person_id}") from None
    except RetainedByLaw as kept:
        lines = "\n".join(f"  {rule}" for rule in kept.rules)
        raise click.ClickException(f"依法须保存,不能删除 / kept by law:\n{lines}") from None
    finally:
        people.close()
    click.echo(f"已删除 / forgotten: {outcome.person_id} ({', '.join(outcome.kinds)})")
