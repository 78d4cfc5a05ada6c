"""The `contracts/` directory: JSON Schema snapshots of every published event, and the
AsyncAPI document, generated from the installed services and checked against what is committed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pingan.bus.asyncapi import build_document
from pingan.bus.contracts import IntegrationEvent
from pingan.service import ServiceSpec, all_services

ASYNCAPI_FILE = "asyncapi.json"
REGENERATE = "pingan contracts"


def render(document: Mapping[str, Any]) -> str:
    """Deterministic JSON: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def snapshot_name(service: str, contract: type[IntegrationEvent]) -> str:
    return f"{service}/{contract.event_type}.json"


def expected_files(services: Mapping[str, ServiceSpec[Any]] | None = None) -> dict[str, str]:
    """Relative path (POSIX) -> content of every file `contracts/` should hold."""
    services = all_services() if services is None else services
    files = {
        snapshot_name(name, contract): render(contract.json_schema())
        for name, spec in services.items()
        for contract in spec.contracts
    }
    files[ASYNCAPI_FILE] = render(build_document(services))
    return files


def _present(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*.json") if path.is_file()}


@dataclass(frozen=True)
class Difference:
    kind: Literal["changed", "missing", "stale"]
    path: str
    diff: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}" + (f"\n{self.diff}" if self.diff else "")


def compare(root: Path, services: Mapping[str, ServiceSpec[Any]] | None = None) -> list[Difference]:
    """What differs between `root` and the generated files, in path order."""
    return _compare(root, expected_files(services))


def _compare(root: Path, expected: Mapping[str, str]) -> list[Difference]:
    present = _present(root)
    found: list[Difference] = []
    for name in sorted(expected.keys() | present):
        if name not in expected:
            found.append(Difference("stale", name))
        elif name not in present:
            found.append(Difference("missing", name))
        else:
            actual = (root / name).read_bytes().decode("utf-8")
            if actual != expected[name]:
                lines = difflib.unified_diff(
                    actual.splitlines(keepends=True),
                    expected[name].splitlines(keepends=True),
                    fromfile=f"committed {name}",
                    tofile=f"generated {name}",
                )
                found.append(Difference("changed", name, "".join(lines)))
    return found


def write(root: Path, services: Mapping[str, ServiceSpec[Any]] | None = None) -> list[Difference]:
    """Make `root` hold exactly the generated files; return what had to change."""
    expected = expected_files(services)
    differences = _compare(root, expected)
    for difference in differences:
        path = root / difference.path
        if difference.kind == "stale":
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(expected[difference.path].encode("utf-8"))
    return differences


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pingan.bus.snapshots", description=__doc__)
    parser.add_argument("--dir", type=Path, default=Path("contracts"))
    parser.add_argument("--check", action="store_true", help="compare only; fail on differences")
    args = parser.parse_args(argv)
    differences = compare(args.dir) if args.check else write(args.dir)
    for difference in differences:
        print(difference if args.check else f"{difference.kind}: {difference.path}")
    return 1 if args.check and differences else 0


if __name__ == "__main__":
    sys.exit(main())
