"""`pingan up`: the whole system from pip-installed servers, started and stopped as a user would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from pingan.run.embedded import free_port
from pingan.run.supervisor import bind
from tests.seeding import eventually
from tests.servers import Proc, banner_token
from tests.tokens import bearer

SERVICES = ("hazards", "campaigns", "scoring")


@pytest.fixture
def up(tmp_path: Path) -> Iterator[list[Proc]]:
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.kill9()
    # The embedded servers outlive a killed `up` (PostgreSQL daemonises): stop what is left.
    leftover = processes_using(tmp_path)
    for server in leftover:
        server.kill()
    psutil.wait_procs(leftover, timeout=10)


def start_up(started: list[Proc], data_dir: Path, port: int, logs: Path) -> Proc:
    proc = Proc(
        ["up", "--data-dir", str(data_dir), "--port", str(port), "--nats-port", "0"],
        {},
        logs,
        f"up-{len(started)}",
        unset=("NATS_URL", "DATABASE_URL"),
    )
    started.append(proc)
    return proc


def processes_using(path: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if str(path) in cmdline and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(proc)
    return found


async def test_up_serves_every_service_keeps_data_and_stops_cleanly(
    up: list[Proc], tmp_path: Path
) -> None:
    data_dir, port = tmp_path / "data", free_port()
    first = start_up(up, data_dir, port, tmp_path)
    await eventually(lambda: _printed(first, "Pingan is up"), timeout_s=60, what="pingan up")
    base = f"http://127.0.0.1:{port}/api"
    token = banner_token(first)

    async with httpx.AsyncClient(base_url=base, timeout=10, headers=bearer(token)) as http:
        health = [await http.get(f"/{service}/healthz") for service in SERVICES]
        anonymous = await http.get("/hazards/hazards", headers={"Authorization": ""})
        created = await http.post(
            "/hazards/hazards",
            json={
                "title": "Cracked gas pipe",
                "category": "fire",
                "source": "public_report",
                "township": "玉泉镇",
                "village": "闫新村",
                "address": "Block 2",
                "reporter": "resident",
            },
        )
    output = first.output()
    assert first.terminate() == 0
    assert processes_using(data_dir) == []

    second = start_up(up, data_dir, port, tmp_path)
    await eventually(
        lambda: _printed(second, "Pingan is up"), timeout_s=60, what="the second start"
    )
    # The key stays in the data directory: the first start's token still works.
    async with httpx.AsyncClient(base_url=base, timeout=10, headers=bearer(token)) as http:
        kept = await http.get(
            f"/hazards/hazards/{created.json()['id']}",
            params={"min_position": created.json()["position"]},
        )
    assert second.terminate() == 0

    assert [r.status_code for r in health] == [200, 200, 200]
    assert anonymous.status_code == 401
    assert created.status_code == 201, created.text
    assert f"http://127.0.0.1:{port}" in output
    assert "nats://127.0.0.1:" in output
    assert "postgresql://" in output
    assert kept.status_code == 200
    assert kept.json()["title"] == "Cracked gas pipe"
    assert processes_using(data_dir) == []


async def test_up_refuses_a_port_in_use(up: list[Proc], tmp_path: Path) -> None:
    port = free_port()
    taken = bind("127.0.0.1", port)
    try:
        proc = start_up(up, tmp_path / "data", port, tmp_path)
        code = proc.popen.wait(60)
    finally:
        taken.close()

    assert code != 0
    assert f"127.0.0.1:{port}" in proc.output()
    assert "Traceback" not in proc.output()


async def test_up_refuses_an_unusable_data_dir(up: list[Proc], tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")

    proc = start_up(up, not_a_dir, free_port(), tmp_path)
    code = proc.popen.wait(60)

    assert code != 0
    assert "data directory" in proc.output()
    assert "Traceback" not in proc.output()


async def up_and_serving(proc: Proc, what: str) -> Proc:
    await eventually(lambda: _printed(proc, "Pingan is up"), timeout_s=60, what=what)
    return proc


async def readyz(port: int) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/api", timeout=10) as http:
        return await http.get("/hazards/readyz")


async def _printed(proc: Proc, text: str) -> bool:
    if proc.popen.poll() is not None:
        raise AssertionError(f"pingan up exited early:\n{proc.output()[-3000:]}")
    return text in proc.output()


async def test_up_recovers_after_being_killed(up: list[Proc], tmp_path: Path) -> None:
    data_dir, port = tmp_path / "data", free_port()
    first = start_up(up, data_dir, port, tmp_path)
    await up_and_serving(first, "pingan up")
    first.kill9()

    second = start_up(up, data_dir, port, tmp_path)
    await up_and_serving(second, "the restart")
    ready = await readyz(port)
    assert second.terminate() == 0

    assert ready.status_code == 200, ready.text
    assert processes_using(data_dir) == []


async def test_a_second_up_on_a_data_dir_in_use_refuses_and_the_first_keeps_serving(
    up: list[Proc], tmp_path: Path
) -> None:
    data_dir, port = tmp_path / "data", free_port()
    first = start_up(up, data_dir, port, tmp_path)
    await up_and_serving(first, "pingan up")
    servers_before = {p.pid for p in processes_using(data_dir)}

    second = start_up(up, data_dir, free_port(), tmp_path)
    code = second.popen.wait(20)
    ready = await readyz(port)
    servers_after = {p.pid for p in processes_using(data_dir)} - {second.pid}

    assert code != 0
    assert f"pid {first.pid}" in second.output()
    assert f"http://127.0.0.1:{port}" in second.output()
    assert "Traceback" not in second.output()
    assert "Pingan is up" not in second.output()
    assert ready.status_code == 200, ready.text
    assert servers_after == servers_before


async def test_up_starts_after_the_instance_holding_its_data_dir_was_killed(
    up: list[Proc], tmp_path: Path
) -> None:
    data_dir, port = tmp_path / "data", free_port()
    first = start_up(up, data_dir, port, tmp_path)
    await up_and_serving(first, "pingan up")
    first.kill9()
    left = processes_using(data_dir)
    for proc in left:
        proc.kill()
    psutil.wait_procs(left, timeout=10)

    second = start_up(up, data_dir, port, tmp_path)
    await up_and_serving(second, "the restart")
    ready = await readyz(port)
    assert second.terminate() == 0

    assert ready.status_code == 200, ready.text
    assert processes_using(data_dir) == []


def children_of(proc: Proc) -> dict[str, psutil.Process]:
    """The `pingan` processes that `up` started, by command (serve, relay, project, jobs)."""
    found: dict[str, psutil.Process] = {}
    for child in psutil.Process(proc.pid).children():
        try:
            cmdline = child.cmdline()
        except psutil.Error:  # just killed: a zombie until `up` reaps it
            continue
        if cmdline[1:3] == ["-m", "pingan"]:
            command = cmdline[3]
            key = f"{command}-{len([k for k in found if k.startswith(command)]) + 1}"
            found[key] = child
    return found


async def test_up_runs_apis_relays_and_consumers_as_processes_and_restarts_one_that_dies(
    up: list[Proc], tmp_path: Path
) -> None:
    data_dir, port = tmp_path / "data", free_port()
    proc = Proc(
        ["up", "--data-dir", str(data_dir), "--port", str(port), "--nats-port", "0", "--workers=2"],
        {},
        tmp_path,
        "up-workers",
        unset=("NATS_URL", "DATABASE_URL"),
    )
    up.append(proc)
    await up_and_serving(proc, "pingan up")
    before = children_of(proc)
    before["relay-1"].kill()
    before["project-1"].kill()
    await eventually(
        lambda: _restarted(proc, before, ("relay-1", "project-1")),
        timeout_s=30,
        what="the relay and the projector started again",
    )

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}/api", timeout=10, headers=bearer(banner_token(proc))
    ) as http:
        created = await http.post(
            "/hazards/hazards",
            json={
                "title": "Blocked fire exit",
                "category": "fire",
                "source": "public_report",
                "township": "玉泉镇",
                "village": "闫新村",
                "address": "Market hall",
                "reporter": "resident",
            },
        )
        seen = await http.get(
            f"/hazards/hazards/{created.json()['id']}",
            params={"min_position": created.json()["position"], "wait": 20},
        )
    after = children_of(proc)
    assert proc.terminate() == 0

    assert sorted(before) == ["jobs-1", "project-1", "react-1", "relay-1", "serve-1", "serve-2"]
    assert sorted(after) == sorted(before)
    assert created.status_code == 201, created.text
    assert seen.status_code == 200, seen.text
    assert "ended with code -9" in proc.output()
    assert not [p for p in after.values() if p.is_running() and p.status() != "zombie"]


async def test_children_of_a_killed_up_stop_by_themselves(up: list[Proc], tmp_path: Path) -> None:
    proc = start_up(up, tmp_path / "data", free_port(), tmp_path)
    await up_and_serving(proc, "pingan up")
    children = list(children_of(proc).values())

    psutil.Process(proc.pid).kill()
    _, alive = psutil.wait_procs(children, timeout=20)

    assert len(children) >= 4
    assert alive == []


async def _restarted(proc: Proc, before: dict[str, psutil.Process], names: tuple[str, ...]) -> bool:
    now = children_of(proc)
    return all(name in now and now[name].pid != before[name].pid for name in names)
