"""Published contracts: snapshots, the AsyncAPI document, and naming rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import jsonschema
from pydantic import ConfigDict

from hazards.contracts.hazard import HazardReportedV1
from pingan.bus.asyncapi import build_document
from pingan.bus.contracts import IntegrationEvent
from pingan.bus.envelope import MSG_ID, Envelope, message_id
from pingan.bus.snapshots import ASYNCAPI_FILE, REGENERATE, compare, snapshot_name, write
from pingan.service import ServiceSpec, all_services

CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "contracts"
SNAKE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"


def published() -> Iterator[tuple[ServiceSpec[Any], type[IntegrationEvent]]]:
    for spec in all_services().values():
        for contract in spec.contracts:
            yield spec, contract


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def test_services_publish_contracts() -> None:
    assert list(published()), "no service publishes any contract"
    for spec in all_services().values():
        assert not spec.publishes or spec.contracts, (
            f"{spec.name} relays events but lists no contracts"
        )


def test_every_published_contract_matches_its_snapshot_and_none_is_stale() -> None:
    differences = [d for d in compare(CONTRACTS_DIR) if d.path != ASYNCAPI_FILE]

    assert not differences, (
        "contract snapshots differ from the contracts:\n"
        + "\n".join(map(str, differences))
        + f"\nIf the change is intended (a new version, not an edit of a published one), run "
        f"`{REGENERATE}` and commit contracts/."
    )


def test_committed_asyncapi_document_is_the_generated_one() -> None:
    differences = [d for d in compare(CONTRACTS_DIR) if d.path == ASYNCAPI_FILE]

    assert not differences, (
        "\n".join(map(str, differences)) + f"\nRun `{REGENERATE}` and commit contracts/."
    )


def test_asyncapi_document_is_structurally_valid() -> None:
    document = build_document()

    assert document["asyncapi"] == "3.0.0"
    for ref in refs(document):
        resolve(document, ref)
    for name, channel in document["channels"].items():
        assert channel["messages"], name
    for name, operation in document["operations"].items():
        assert operation["action"] == "send", name
        channel = resolve(document, operation["channel"]["$ref"])
        for message in operation["messages"]:
            assert message["$ref"].startswith(operation["channel"]["$ref"] + "/messages/"), name
            assert resolve(document, message["$ref"]) in channel["messages"].values()
    for name, message in document["components"]["messages"].items():
        jsonschema.Draft7Validator.check_schema(message["payload"])
        jsonschema.Draft7Validator.check_schema(message["headers"])
        assert not list(refs(message["payload"])), f"{name}: payload must stand alone"


def test_asyncapi_document_describes_every_contract_on_its_subject() -> None:
    document = build_document()
    messages = document["components"]["messages"]

    for _, contract in published():
        message = messages[contract.event_type]
        assert message["headers"]["properties"]["ce-type"]["const"] == contract.event_type
        assert message["payload"]["$id"] == contract.event_type
        channel = document["channels"][contract.subject]
        assert channel["address"] == contract.subject
        assert contract.event_type in channel["messages"]
        assert f"{contract.subject}.send" in document["operations"]
    assert document["channels"]["deadletter"]["address"] == "deadletter.{projection}"


def test_headers_schema_accepts_what_the_relay_publishes() -> None:
    messages = build_document()["components"]["messages"]

    for spec, contract in published():
        ident = message_id(spec.name, 42)
        headers = Envelope(
            id=ident,
            source=f"/pingan/{spec.name}",
            type=contract.event_type,
            subject=str(uuid4()),
            time=datetime.now(UTC),
            position=42,
            correlation_id=str(uuid4()),
            causation_id=str(uuid4()),
            actor="system",
        ).to_headers() | {MSG_ID: ident}
        jsonschema.validate(headers, messages[contract.event_type]["headers"])


def test_a_changed_contract_no_longer_matches_its_snapshot() -> None:
    class HazardReportedWithUrgency(HazardReportedV1):
        model_config = ConfigDict(title="HazardReportedV1")
        __doc__ = HazardReportedV1.__doc__
        urgent: bool

    changed: ServiceSpec[Any] = ServiceSpec(
        name="hazards", title="Hazards", contracts=(HazardReportedWithUrgency,)
    )

    differences = {d.path: d for d in compare(CONTRACTS_DIR, {"hazards": changed})}

    reported = differences[snapshot_name("hazards", HazardReportedV1)]
    assert reported.kind == "changed"
    assert '"urgent"' in reported.diff


def test_write_makes_the_directory_match_and_compare_finds_missing_and_stale(
    tmp_path: Path,
) -> None:
    written = write(tmp_path)
    assert {d.kind for d in written} == {"missing"}
    assert compare(tmp_path) == []

    (tmp_path / snapshot_name("hazards", HazardReportedV1)).unlink()
    (tmp_path / "hazards" / "pingan.hazards.hazard.retired.v1.json").write_text("{}\n")

    assert {(d.kind, d.path) for d in compare(tmp_path)} == {
        ("stale", "hazards/pingan.hazards.hazard.retired.v1.json"),
        ("missing", snapshot_name("hazards", HazardReportedV1)),
    }
    write(tmp_path)
    assert compare(tmp_path) == []


def test_event_types_are_versioned_and_subjects_name_their_service() -> None:
    for spec, contract in published():
        assert re.fullmatch(r"[a-z][a-z0-9_.]*\.v[1-9][0-9]*", contract.event_type), (
            f"{contract.__name__}.event_type {contract.event_type!r} must end with .v<N>"
        )
        assert re.fullmatch(rf"{re.escape(spec.name)}\.{SNAKE}\.{SNAKE}", contract.subject), (
            f"{contract.__name__}.subject {contract.subject!r} must be "
            f"{spec.name}.<aggregate>.<event> in snake_case"
        )


def test_event_types_are_unique_across_services() -> None:
    types = [contract.event_type for _, contract in published()]

    assert len(types) == len(set(types))
