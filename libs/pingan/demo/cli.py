"""The `pingan demo` command."""

from __future__ import annotations

import asyncio
import json

import click
import httpx

from pingan.demo.accounts import DemoTokens, open_accounts, role_of
from pingan.demo.client import DemoRefused
from pingan.demo.run import PARALLEL, NotEmpty, Summary, load_demo

SEED = click.option("--seed", default=1, show_default=True, type=int, help="Draws the district.")


async def tokens_for(url: str, token: str, verifier_token: str | None) -> DemoTokens:
    if verifier_token:
        return DemoTokens(token, verifier_token)
    if await role_of(url, token) == "district_office":
        return await open_accounts(url, token)
    raise click.UsageError(
        "a second token is needed to verify rectifications (验收不能由整改报告人完成): pass "
        "--verifier-token, or a district-office --token to open the demo's accounts"
    )


def run_demo(
    url: str,
    tokens: DemoTokens,
    seed: int,
    add: bool,
    *,
    show_progress: bool = True,
    parallel: int = PARALLEL,
) -> Summary:
    try:
        return asyncio.run(
            load_demo(
                url,
                tokens.loader,
                tokens.verifier,
                seed=seed,
                add=add,
                show_progress=show_progress,
                parallel=parallel,
            )
        )
    except NotEmpty as exc:
        raise click.ClickException(str(exc)) from exc
    except (DemoRefused, httpx.HTTPError) as exc:
        raise click.ClickException(f"the demo stopped: {exc}") from exc


def echo_summary(summary: Summary) -> None:
    click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))


@click.command()
@click.option("--url", required=True, help="The system's base URL, e.g. http://127.0.0.1:8000")
@click.option("--token", required=True, help="A service token (pingan token --role service).")
@click.option(
    "--verifier-token",
    help="A token of another subject, who verifies rectifications (default: with a "
    "district-office --token, two service accounts are opened for the demo).",
)
@SEED
@click.option("--add", is_flag=True, help="Load even though the system already holds data.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option(
    "--parallel",
    default=PARALLEL,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Requests in flight at most.",
)
def demo(
    url: str,
    token: str,
    verifier_token: str | None,
    seed: int,
    add: bool,
    no_progress: bool,
    parallel: int,
) -> None:
    """Load the demo district (平安秦州) into a running system through its public API, and
    print what it created; refused on a system holding data unless --add."""
    tokens = asyncio.run(tokens_for(url, token, verifier_token))
    summary = run_demo(url, tokens, seed, add, show_progress=not no_progress, parallel=parallel)
    echo_summary(summary)
