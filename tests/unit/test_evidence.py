"""Evidence is uploaded files: commands name them by SHA-256, events record each file, and
facts recorded before files were stored still read, their references as names."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.contracts.hazard import EvidenceFile, RectificationReportedV2
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade, Source
from pingan.files import FilesNotStored
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="c", causation_id="c", actor="officer")
PHOTO = b"\xff\xd8\xff\xe0" + b"after the rewiring"


def filed(app: HazardsApplication) -> UUID:
    hazard_id = app.report_hazard(
        title="Exposed wiring",
        category=Category.FIRE,
        source=Source.PUBLIC_REPORT,
        township="玉泉镇",
        village="天水郡村",
        address="Lane 9",
        reporter="a resident",
        metadata=META,
    ).id
    app.file_hazard(
        hazard_id,
        category=Category.FIRE,
        grade=Grade.GENERAL,
        file_number="QZ-9",
        likelihood=1,
        severity=2,
        metadata=META,
    )
    return hazard_id


def test_the_rectification_records_each_named_file_once(app: HazardsApplication) -> None:
    hazard_id = filed(app)
    photo = app.files.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="整改后.jpg")

    app.report_rectification(
        hazard_id,
        summary="rewired",
        evidence=[photo.sha256, photo.sha256],
        on_the_spot=True,
        metadata=META,
    )

    event = app.events.get(hazard_id)
    (rectified,) = [e for e in event if isinstance(e, Hazard.RectificationReported)]
    assert rectified.evidence == [
        {
            "sha256": photo.sha256,
            "size": len(PHOTO),
            "media_type": "image/jpeg",
            "name": "整改后.jpg",
        }
    ]
    published = to_integration_event(rectified)
    assert isinstance(published, RectificationReportedV2)
    assert published.evidence == [EvidenceFile(**rectified.evidence[0])]


def test_a_file_never_uploaded_is_refused_naming_every_missing_one(
    app: HazardsApplication,
) -> None:
    hazard_id = filed(app)
    kept = app.files.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="p.jpg").sha256
    missing = [hashlib.sha256(b"a").hexdigest(), hashlib.sha256(b"b").hexdigest()]

    with pytest.raises(FilesNotStored) as refused:
        app.report_rectification(
            hazard_id,
            summary="rewired",
            evidence=[missing[0], kept, missing[1]],
            on_the_spot=True,
            metadata=META,
        )

    assert refused.value.missing == missing
    assert not any(isinstance(e, Hazard.RectificationReported) for e in app.events.get(hazard_id))


def test_an_old_rectification_with_plain_references_reads_as_evidence_with_names_only(
    app: HazardsApplication,
) -> None:
    hazard_id = filed(app)
    photo = app.files.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="p.jpg").sha256
    app.report_rectification(
        hazard_id, summary="rewired", evidence=[photo], on_the_spot=True, metadata=META
    )
    recorded = [e for e in app.events.get(hazard_id) if isinstance(e, Hazard.RectificationReported)]
    stored = app.mapper.to_stored_event(recorded[0])
    state = json.loads(stored.state)
    # As version 1 stored it: references as plain strings, and no class version.
    state.pop("class_version", None)
    state["evidence"] = ["photo-1.jpg", "invoice 2"]
    old = dataclasses.replace(stored, state=json.dumps(state).encode())

    read = app.mapper.to_domain_event(old)

    assert isinstance(read, Hazard.RectificationReported)
    assert read.evidence == [
        {"sha256": None, "size": None, "media_type": None, "name": "photo-1.jpg"},
        {"sha256": None, "size": None, "media_type": None, "name": "invoice 2"},
    ]
    published = to_integration_event(read)
    assert isinstance(published, RectificationReportedV2)
    assert published.evidence[0] == EvidenceFile(
        sha256=None, size=None, media_type=None, name="photo-1.jpg"
    )


def test_an_old_verification_reads_with_no_evidence(app: HazardsApplication) -> None:
    hazard_id = filed(app)
    app.report_rectification(
        hazard_id, summary="rewired", evidence=[], on_the_spot=True, metadata=META
    )
    inspector = EventMetadata(correlation_id="d", causation_id="d", actor="inspector")
    app.verify_rectification(
        hazard_id,
        inspector="Zhao",
        verified_on=app.get_hazard(hazard_id).created_on.date(),
        passed=True,
        notes="",
        metadata=inspector,
    )
    (passed,) = [e for e in app.events.get(hazard_id) if isinstance(e, Hazard.VerificationPassed)]
    stored = app.mapper.to_stored_event(passed)
    state = json.loads(stored.state)
    state.pop("class_version", None)
    del state["evidence"]

    read = app.mapper.to_domain_event(dataclasses.replace(stored, state=json.dumps(state).encode()))

    assert isinstance(read, Hazard.VerificationPassed) and read.evidence == []
