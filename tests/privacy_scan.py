"""Search every place a person's data could have been copied to for their plaintext."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pingan.run.postgres import PgTarget


@dataclass
class ScanResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    hits: list[str] = field(default_factory=list)

    def add(self, other: ScanResult) -> ScanResult:
        return ScanResult(
            self.tables + other.tables,
            self.rows + other.rows,
            self.files + other.files,
            self.hits + other.hits,
        )


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


async def scan_database(db: PgTarget, needles: Iterable[str]) -> ScanResult:
    """Every row of every table in the database's public schema, raw values."""
    wanted = [n.encode() for n in needles]
    found = ScanResult()
    conn = await db.connect()
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        for table in tables:
            name = table["table_name"]
            found.tables += 1
            for row in await conn.fetch(f'SELECT * FROM "{name}"'):  # noqa: S608
                found.rows += 1
                for column, value in row.items():
                    raw = _as_bytes(value)
                    found.hits += [f"{db.database}.{name}.{column}" for n in wanted if n in raw]
    finally:
        await conn.close()
    return found


def scan_files(root: Path, needles: Iterable[str]) -> ScanResult:
    """Every file under `root` (the JetStream store, read raw)."""
    wanted = [n.encode() for n in needles]
    found = ScanResult()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        found.files += 1
        raw = path.read_bytes()
        found.hits += [str(path.relative_to(root)) for n in wanted if n in raw]
    return found
