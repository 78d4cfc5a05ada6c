"""What `pingan up` does once, before its processes start: a view of an earlier version is
rebuilt then, so the jobs and APIs never read its old tables."""

from __future__ import annotations

from pingan.consume import tracking
from pingan.run.cli import _prepare
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import get_service


async def test_a_view_of_an_earlier_version_is_rebuilt_before_the_processes_start(
    settings: Settings,
) -> None:
    spec = get_service("hazards")
    await _prepare([spec], settings)
    runtime = ServiceRuntime(spec, settings)
    await runtime.start(with_application=False)
    try:
        register = next(v for v in runtime.views if v.name == "hazard_register")
        async with runtime.pool.acquire() as conn:
            await conn.execute("ALTER TABLE hazard_register DROP COLUMN deadline_reminded_for")
            await tracking.store_version(conn, register.name, register.version - 1)

        await _prepare([spec], settings)

        async with runtime.pool.acquire() as conn:
            columns = await conn.fetchval(
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = 'hazard_register' AND column_name = 'deadline_reminded_for'"
            )
            stored = await tracking.stored_version(conn, register.name)
    finally:
        await runtime.stop()

    assert (columns, stored) == (1, register.version)
