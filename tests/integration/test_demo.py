"""The demo district against a real system: `pingan up --demo` loads it through the public API,
the counts per kind are there, the same seed gives the same summary, a system holding data is
refused and --add adds to it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from pingan.auth.cli import keys_in
from pingan.demo.accounts import mint
from pingan.demo.run import NotEmpty, load_demo
from pingan.run.embedded import free_port
from tests.seeding import eventually
from tests.servers import Proc
from tests.tokens import bearer

pytestmark = pytest.mark.slow
SEED = 11
#: summary kind: the list whose total counts it
LISTS = {
    "key_areas": "/hazards/key-areas",
    "hazards": "/hazards/hazards",
    "rounds": "/hazards/rounds",
    "monitoring": "/hazards/monitoring",
    "accidents": "/hazards/accidents",
    "campaigns": "/campaigns/campaigns",
    "cases": "/campaigns/cases",
    "mass_incidents": "/campaigns/mass-incidents",
    "units": "/scoring/units",
    "families": "/scoring/families",
}


@pytest.fixture
def system(tmp_path: Path) -> Iterator[tuple[Proc, str, Path]]:
    data_dir, port = tmp_path / "data", free_port()
    proc = Proc(
        ["up", "--data-dir", str(data_dir), "--port", str(port), "--nats-port", "0", "--demo",
         "--demo-seed", str(SEED), "--workers", "2"],
        {},
        tmp_path,
        "up-demo",
        unset=("NATS_URL", "DATABASE_URL"),
    )  # fmt: skip
    try:
        yield proc, f"http://127.0.0.1:{port}", data_dir
    finally:
        proc.kill9()
        leftover = [
            p
            for p in psutil.process_iter(["cmdline", "status"])
            if str(tmp_path) in " ".join(p.info["cmdline"] or [])
            and p.info["status"] != psutil.STATUS_ZOMBIE
        ]
        for server in leftover:
            server.kill()
        psutil.wait_procs(leftover, timeout=10)


def printed_summary(proc: Proc) -> dict[str, Any] | None:
    output = proc.output()
    if "The demo district is loaded" not in output:
        assert "The demo was not loaded" not in output, output[-3000:]
        return None
    start = output.index("\n{", output.index("Press Ctrl-C to stop.")) + 1
    end = output.index("\n}", start) + 2
    summary: dict[str, Any] = json.loads(output[start:end])
    return summary


async def totals(url: str, token: str) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=f"{url}/api", headers=bearer(token)) as http:
        return {
            kind: (await http.get(path, params={"limit": 1})).json()["total"]
            for kind, path in LISTS.items()
        }


async def test_up_demo_loads_the_district_once_and_adds_the_same_again(
    system: tuple[Proc, str, Path],
) -> None:
    proc, url, data_dir = system

    async def loaded() -> dict[str, Any] | None:
        return printed_summary(proc)

    first = await eventually(loaded, timeout_s=600, what="pingan up --demo")
    tokens = mint(keys_in(data_dir))
    expected = {kind: first["counts"][kind] for kind in LISTS}
    # A family is a creation unit too.
    expected["units"] += first["counts"]["families"]

    async def counted() -> dict[str, int] | None:
        found = await totals(url, tokens.loader)
        return found if found == expected else None

    assert await eventually(counted, timeout_s=60, what="the views") == expected
    counts = first["counts"]
    assert counts["hazards"] >= 300
    assert counts["cases"] >= 400
    assert counts["campaigns"] >= 9
    assert counts["units"] >= 150
    assert counts["titles"] >= 60
    assert first["revoked_units"] == counts["revocations_caused"] >= 10
    assert counts["families"] >= 40
    assert counts["stars"] >= 200
    assert counts["star_withdrawals"] >= 1
    assert first["stars_barred"] == counts["stars_barred"] >= 1
    assert min(counts["follow_ups"], counts["upgrades"], counts["reinspections"]) >= 1
    async with httpx.AsyncClient(base_url=f"{url}/api", headers=bearer(tokens.loader)) as http:

        async def surge_warned() -> bool:
            # The warning reaction follows the case stream, so it may still be catching up.
            page = (await http.get("/campaigns/warnings", params={"area": "全区"})).json()
            return any(w["kind"] == "telecom_fraud" for w in page["items"])

        await eventually(surge_warned, timeout_s=60, what="the telecom-fraud surge's warning")
        revocations = (await http.get("/scoring/revocations", params={"limit": 1})).json()
        overdue = (await http.get("/scoring/reinspections", params={"state": "overdue"})).json()
        ten_stars = (await http.get("/scoring/families", params={"tier": 10})).json()
        areas = (await http.get("/hazards/key-areas", params={"kind": "urban_village"})).json()
    assert revocations["total"] >= 10
    assert overdue["total"] >= 1
    assert ten_stars["total"] >= 1
    assert {a["name"] for a in areas["items"]} == {
        "莲亭村",
        "天水郡村",
        "闫新村",
        "东方红村",
        "金家庄村",
    }

    with pytest.raises(NotEmpty):
        await load_demo(url, tokens.loader, tokens.verifier, seed=SEED, show_progress=False)

    again = await load_demo(
        url, tokens.loader, tokens.verifier, seed=SEED, add=True, show_progress=False
    )

    assert (again.plan_digest, again.counts, again.requests) == (
        first["plan_digest"],
        first["counts"],
        first["requests"],
    )
    # What is unique in the district (an area's unit, a key area's name) is kept, not doubled.
    assert again.kept > 0
    assert again.revoked_units == counts["revocations_caused"]
    assert again.stars_barred == counts["stars_barred"]

    async def doubled() -> dict[str, int] | None:
        found = await totals(url, tokens.loader)
        return found if found["cases"] == 2 * counts["cases"] else None

    after = await eventually(doubled, timeout_s=60, what="the added cases in the views")
    assert after["key_areas"] == counts["key_areas"]
