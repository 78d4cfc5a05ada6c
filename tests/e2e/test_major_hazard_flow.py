"""One major hazard from report to closure, over HTTP, through the bus, across processes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from pingan.run.embedded import free_port
from pingan.run.settings import Settings
from tests.conftest import Spawn
from tests.seeding import eventually
from tests.tokens import inspector_headers, office_headers

#: The photos and the certificate of the rectifications, uploaded before they are named.
EVIDENCE = {
    "photo-1.jpg": b"\xff\xd8\xff\xe0 stock moved",
    "photo-2.jpg": b"\xff\xd8\xff\xe0 sprinklers fitted",
    "cert.pdf": b"%PDF-1.7 acceptance certificate",
}


async def _ready(http: httpx.AsyncClient) -> bool:
    try:
        return (await http.get("/readyz")).status_code == 200
    except httpx.TransportError:
        return False


async def test_a_major_hazard_goes_from_report_to_closure(spawn: Spawn, settings: Settings) -> None:
    port = free_port()
    spawn("serve", "hazards", "--port", str(port))
    spawn("relay", "hazards")
    spawn("project", "hazards")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    deadline = today + timedelta(days=30)
    steps: list[tuple[str, dict[str, Any]]] = [
        (
            "file",
            {
                "category": "flammable_explosive",
                "grade": "major",
                "file_number": "QZ-2026-017",
                "likelihood": 4,
                "severity": 5,
                "determination_basis": "《危险化学品企业重大危险源安全包保责任制办法》",
            },
        ),
        ("listing", {"supervising_unit": "区委政法委", "level": "district", "listed_by": "综治办"}),
        (
            "plan",
            {
                "measures": "Move the stock out; fit sprinklers",
                "deadline": deadline.isoformat(),
                "responsible_person": "Manager Zhao",
                "funds_yuan": "48000.00",
                "contingency_plan": "Evacuation plan v2",
            },
        ),
        ("responsibility", {"responsible_unit": "玉泉镇安监站", "responsible_person": "Zhao Lei"}),
        ("schedule", {"batch": "2026 第二批", "starts_on": today.isoformat()}),
        ("start", {}),
        ("interim-controls", {"measure": "Fire watch every night"}),
        ("rectification", {"summary": "Stock moved", "evidence": ["photo-1.jpg"]}),
        (
            "verification",
            {
                "inspector": "Inspector Wu",
                "verified_on": today.isoformat(),
                "passed": False,
                "notes": "Sprinklers not yet fitted",
            },
        ),
        (
            "rectification",
            {"summary": "Sprinklers fitted", "evidence": ["photo-2.jpg", "cert.pdf"]},
        ),
        (
            "verification",
            {
                "inspector": "Inspector Wu",
                "verified_on": today.isoformat(),
                "passed": True,
                "notes": "All fixed",
            },
        ),
        # The listing is lifted by its own act once verified (摘牌), then the hazard closes.
        ("listing/lift", {"reason": "验收通过", "lifted_by": "综治办"}),
        ("close", {"closed_by": "综治办"}),
    ]

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}/api/hazards",
        timeout=10,
        headers=office_headers(settings),
    ) as http:
        await eventually(lambda: _ready(http), what="the api")
        created = await http.post(
            "/hazards",
            headers={"X-Request-ID": "step-report"},
            json={
                "title": "Fireworks stored in a residential block",
                "category": "flammable_explosive",
                "source": "public_report",
                "township": "玉泉镇",
                "village": "东方红村",
                "address": "Building 4",
                "reporter": "resident hotline",
            },
        )
        hazard_id = created.json()["id"]
        incomplete_plan = await http.post(
            f"/hazards/{hazard_id}/plan", json={"measures": "x", "deadline": deadline.isoformat()}
        )
        position = created.json()["position"]
        uploaded = {}
        for name, content in EVIDENCE.items():
            answer = await http.post("/hazards/evidence", files={"file": (name, content)})
            assert answer.status_code == 201, answer.text
            uploaded[name] = answer.json()["sha256"]
        for n, (step, body) in enumerate(steps):
            if "evidence" in body:
                body = {**body, "evidence": [uploaded[name] for name in body["evidence"]]}
            # The one who verifies is not the one who reported the rectification.
            signer = inspector_headers(settings) if step == "verification" else {}
            response = await http.post(
                f"/hazards/{hazard_id}/{step}",
                json=body,
                headers={"X-Request-ID": f"step-{n}", **signer},
            )
            assert response.status_code == 200, (step, response.text)
            position = response.json()["position"]
        view = await http.get(f"/hazards/{hazard_id}", params={"min_position": position})
        history = await http.get(f"/hazards/{hazard_id}/history")
        after_close = await http.post(f"/hazards/{hazard_id}/start")

    assert incomplete_plan.status_code == 409  # not filed yet
    hazard = view.json()
    assert hazard["status"] == "closed"
    assert hazard["colour"] == "red"
    assert hazard["returned_for_rectification"] == 1
    # Returned once for rectification, and struck off the ledger (销号) at closure.
    assert hazard["on_ledger"] is False
    assert hazard["on_time"] is True
    assert hazard["listing_level"] is None
    assert hazard["deadline"] == deadline.isoformat()
    assert [(e["step"], e["name"]) for e in hazard["evidence"]] == [
        ("rectification", "photo-1.jpg"),
        ("rectification", "photo-2.jpg"),
        ("rectification", "cert.pdf"),
    ]
    entries = history.json()["entries"]
    assert [e["event"] for e in entries] == [
        "Reported",
        "Filed",
        "ListedForSupervision",
        "Planned",
        "ResponsibilityAssigned",
        "Scheduled",
        "RectificationStarted",
        "InterimControlRecorded",
        "RectificationReported",
        "VerificationFailed",
        "RectificationReported",
        "VerificationPassed",
        "ListingLifted",
        "Closed",
    ]
    assert entries[0]["correlation_id"] == "step-report"
    assert entries[-1]["correlation_id"] == f"step-{len(steps) - 1}"
    assert after_close.status_code == 409
    assert after_close.json()["current_state"] == "closed"
