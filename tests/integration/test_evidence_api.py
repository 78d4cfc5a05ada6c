"""Evidence over the real API: files uploaded, told by their content, named by their SHA-256
in the rectification and verification, recorded in the events and served back."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import SecretStr

from hazards.application import HazardsApplication
from pingan.bus.envelope import Header
from pingan.files.s3 import S3Location, S3Store
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.problems import store_position
from tests.tokens import inspector_headers

API = "/api/hazards"
EVIDENCE = f"{API}/hazards/evidence"
PROBLEM = "application/problem+json"
JPEG = b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00" + os.urandom(300 * 1024)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2048)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + os.urandom(1024)
HEIC = struct.pack(">I", 24) + b"ftypheix\0\0\0\0mif1heix" + os.urandom(4096)
REPORT: dict[str, Any] = {
    "title": "Loose wiring at the market",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "No. 3 Lane, Lianting",
    "reporter": "grid worker Li",
}
FILE = {
    "category": "fire",
    "grade": "general",
    "file_number": "QZ-2026-901",
    "likelihood": 2,
    "severity": 2,
}


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The suite's settings, with the files in a directory or, for a test that asks for
    `s3`, in a bucket of the session's S3 server."""
    if getattr(request, "param", "directory") != "s3":
        return settings
    location: S3Location = request.getfixturevalue("s3_location")
    return settings.model_copy(
        update={
            "files_backend": "s3",
            "files_s3_endpoint_url": location.endpoint_url,
            "files_s3_bucket": location.bucket,
            "files_s3_access_key_id": location.access_key_id,
            "files_s3_secret_access_key": SecretStr(location.secret_access_key or ""),
        }
    )


BOTH_STORES = pytest.mark.parametrize("settings", ["directory", "s3"], indirect=True)


async def upload(
    client: httpx.AsyncClient, name: str, content: bytes, claimed: str = "image/jpeg"
) -> httpx.Response:
    return await client.post(EVIDENCE, files={"file": (name, content, claimed)})


async def filed_hazard(client: httpx.AsyncClient) -> str:
    reported = await client.post(f"{API}/hazards", json=REPORT)
    hazard_id: str = reported.json()["id"]
    filed = await client.post(f"{API}/hazards/{hazard_id}/file", json=FILE)
    assert filed.status_code == 200, filed.text
    return hazard_id


@BOTH_STORES
async def test_an_upload_is_stored_by_its_hash_and_served_back_with_its_type(
    client: httpx.AsyncClient,
) -> None:
    answer = await upload(client, "整改后.jpg", JPEG, claimed="application/octet-stream")
    again = await upload(client, "second-name.jpg", JPEG)
    heic = await upload(client, "IMG_0042.HEIC", HEIC, claimed="application/octet-stream")

    sha256 = hashlib.sha256(JPEG).hexdigest()
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "sha256": sha256,
        "size": len(JPEG),
        "media_type": "image/jpeg",
        "name": "整改后.jpg",
        "href": f"{EVIDENCE}/{sha256}",
    }
    assert answer.headers["Location"] == f"{EVIDENCE}/{sha256}"
    assert again.status_code == 201 and again.json()["name"] == "整改后.jpg"
    assert heic.status_code == 201 and heic.json()["media_type"] == "image/heic"

    served = await client.get(f"{EVIDENCE}/{sha256}")
    assert served.status_code == 200
    assert served.content == JPEG
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert (
        "filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%90%8E.jpg"
        in (served.headers["content-disposition"])
    )


@pytest.mark.parametrize(
    ("name", "content", "slug", "detected"),
    [
        ("photo.pdf", PNG, "file-name-mismatch", "image/png"),
        ("report.jpg", PDF, "file-name-mismatch", "application/pdf"),
        ("notes.jpg", "整改情况:已完成\n".encode() * 20, "file-type-refused", None),
        ("clip.gif", b"GIF89a\x01\x00\x01\x00" + b"\0" * 64, "file-type-refused", None),
    ],
    ids=["png-named-pdf", "pdf-named-jpg", "text-named-jpg", "gif"],
)
async def test_a_file_is_judged_by_its_content_never_its_name_or_claimed_type(
    client: httpx.AsyncClient, name: str, content: bytes, slug: str, detected: str | None
) -> None:
    refused = await upload(client, name, content, claimed="image/jpeg")
    chinese = await client.post(
        EVIDENCE,
        files={"file": (name, content, "image/jpeg")},
        headers={"Accept-Language": "zh-CN"},
    )

    assert refused.status_code == 415 and refused.headers["content-type"] == PROBLEM
    body = refused.json()
    assert body["type"] == f"urn:pingan:problem:{slug}"
    assert name in body["detail"]
    assert body.get("detected_type") == detected
    assert "image/heic" in body["accepted_types"]
    assert chinese.status_code == 415
    assert chinese.json()["title"] in ("文件名与内容不符", "文件类型不受支持")
    assert (await client.get(f"{EVIDENCE}/{hashlib.sha256(content).hexdigest()}")).status_code == (
        404
    )


async def test_a_file_over_the_bound_is_413_and_is_not_stored(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication], settings: Settings
) -> None:
    hazards.settings = settings.model_copy(update={"files_max_bytes": 256 * 1024})
    big = JPEG[: 256 * 1024 + 1]

    refused = await upload(client, "big.jpg", big)
    fits = await upload(client, "fits.jpg", JPEG[: 256 * 1024])

    assert refused.status_code == 413 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["type"] == "urn:pingan:problem:file-too-large"
    assert refused.json()["max_bytes"] == 256 * 1024
    assert hazards.files.stat(hashlib.sha256(big).hexdigest()) is None
    assert fits.status_code == 201


async def test_a_body_over_the_upload_bound_is_refused_by_the_platform(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    too_big = b"\xff\xd8\xff" + b"\0" * settings.limit_upload_body_bytes

    refused = await upload(client, "huge.jpg", too_big)

    assert refused.status_code == 413
    assert refused.json()["type"] == "urn:pingan:problem:body-too-large"


async def test_an_upload_needs_a_file_part(client: httpx.AsyncClient) -> None:
    answer = await client.post(EVIDENCE, files={"other": ("a.jpg", JPEG, "image/jpeg")})

    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM


async def test_an_unknown_or_ill_formed_hash_is_404(client: httpx.AsyncClient) -> None:
    unknown = await client.get(f"{EVIDENCE}/{hashlib.sha256(b'nothing').hexdigest()}")
    ill_formed = await client.get(f"{EVIDENCE}/..%2F..%2Fetc%2Fpasswd")

    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
    assert ill_formed.status_code == 404


async def test_rectification_naming_a_file_never_uploaded_is_422_naming_it_and_writes_nothing(
    client: httpx.AsyncClient, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    hazard_id = await filed_hazard(client)
    kept = (await upload(client, "before.jpg", JPEG)).json()["sha256"]
    missing = hashlib.sha256(b"never uploaded").hexdigest()
    before = await store_position(hazards)

    refused = await client.post(
        f"{API}/hazards/{hazard_id}/rectification",
        json={"summary": "rewired", "evidence": [kept, missing], "on_the_spot": True},
    )
    chinese = await client.post(
        f"{API}/hazards/{hazard_id}/rectification",
        json={"summary": "rewired", "evidence": [missing], "on_the_spot": True},
        headers={"Accept-Language": "zh-CN"},
    )
    ill_formed = await client.post(
        f"{API}/hazards/{hazard_id}/rectification",
        json={"summary": "rewired", "evidence": ["photo-1.jpg"], "on_the_spot": True},
    )

    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["type"] == "urn:pingan:problem:files-not-stored"
    assert refused.json()["missing"] == [missing]
    assert missing in refused.json()["detail"]
    assert chinese.json()["title"] == "所引用的文件尚未上传"
    assert ill_formed.status_code == 422
    assert await store_position(hazards) == before


@BOTH_STORES
async def test_upload_rectify_and_verify_record_the_files_and_the_register_links_them(
    client: httpx.AsyncClient,
    hazards: ServiceRuntime[HazardsApplication],
    settings: Settings,
) -> None:
    hazard_id = await filed_hazard(client)
    photo = (await upload(client, "整改后.jpg", JPEG)).json()
    report = (await upload(client, "验收报告.pdf", PDF, claimed="application/pdf")).json()

    rectified = await client.post(
        f"{API}/hazards/{hazard_id}/rectification",
        json={"summary": "rewired", "evidence": [photo["sha256"]], "on_the_spot": True},
    )
    assert rectified.status_code == 200, rectified.text
    verified = await client.post(
        f"{API}/hazards/{hazard_id}/verification",
        json={
            "inspector": "吴检查",
            "verified_on": datetime.now(ZoneInfo(settings.timezone)).date().isoformat(),
            "passed": True,
            "notes": "ok",
            "evidence": [report["sha256"].upper()],
        },
        headers=inspector_headers(settings),
    )
    assert verified.status_code == 200, verified.text

    shown = await client.get(
        f"{API}/hazards/{hazard_id}", params={"min_position": verified.json()["position"]}
    )
    assert shown.status_code == 200
    evidence = shown.json()["evidence"]
    assert [(e["step"], e["sha256"], e["name"], e["media_type"], e["size"]) for e in evidence] == [
        ("rectification", photo["sha256"], "整改后.jpg", "image/jpeg", len(JPEG)),
        ("verification", report["sha256"], "验收报告.pdf", "application/pdf", len(PDF)),
    ]
    for item in evidence:
        served = await client.get(item["href"])
        assert served.status_code == 200 and served.headers["content-type"] == item["media_type"]
    listed = await client.get(f"{API}/hazards", params={"status": "verified"})
    assert listed.json()["items"][0]["evidence"] == evidence

    published = await hazards.js.get_last_msg("HAZARDS", "hazards.hazard.rectification_verified")
    assert (published.headers or {})[Header.TYPE] == (
        "pingan.hazards.hazard.rectification_verified.v2"
    )
    assert json.loads(published.data or b"")["evidence"] == [
        {
            "sha256": report["sha256"],
            "size": len(PDF),
            "media_type": "application/pdf",
            "name": "验收报告.pdf",
        }
    ]
    if settings.files_backend == "s3":
        assert isinstance(hazards.files, S3Store)
        assert hazards.files.stat(photo["sha256"]) is not None
    rectification = await hazards.js.get_last_msg(
        "HAZARDS", "hazards.hazard.rectification_reported"
    )
    assert json.loads(rectification.data or b"")["evidence"][0]["sha256"] == photo["sha256"]
