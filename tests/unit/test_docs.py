"""The reference pages in docs/ are written from the code and kept current: every route of
every app with its body fields, every setting with its default and description."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pingan import docs
from pingan.run.settings import Settings

DOCS = Path(__file__).parents[2] / "docs"


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return docs.openapi_documents()


@pytest.fixture(scope="module")
def expected(documents: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {
        docs.API_PAGE: docs.render_api(documents),
        docs.SETTINGS_PAGE: docs.render_settings(),
    }


def test_the_committed_reference_pages_are_current(expected: dict[str, str]) -> None:
    stale = docs.stale(DOCS, expected)
    assert stale == [], f"docs/{', docs/'.join(stale)} is stale: run `python -m pingan.docs`"


def test_every_app_of_every_service_is_documented(documents: dict[str, dict[str, Any]]) -> None:
    assert {"accounts", "hazards", "campaigns", "scoring"} <= documents.keys()
    page = (DOCS / docs.API_PAGE).read_text("utf-8")
    for name, document in documents.items():
        for method, path, _ in docs._operations(document):
            assert f"| `{method.upper()} {path}` |" in page, (name, method, path)


def test_every_command_body_field_says_what_it_is(documents: dict[str, dict[str, Any]]) -> None:
    undescribed = [
        f"{method.upper()} /api/{name}{path}: {field['name']}"
        for name, document in documents.items()
        for method, path, operation in docs._operations(document)
        for field in docs.body_fields(operation, document["components"]["schemas"])
        if not field["description"].strip()
    ]
    assert undescribed == [], "give these body fields a Field(description=...)"


def test_a_body_field_is_shown_with_its_type_requirement_and_description(
    documents: dict[str, dict[str, Any]],
) -> None:
    document = documents["hazards"]
    operation = document["paths"]["/hazards/{hazard_id}/file"]["post"]
    fields = {f["name"]: f for f in docs.body_fields(operation, document["components"]["schemas"])}

    assert fields["grade"]["type"] == "one of `general`, `major`"
    assert fields["grade"]["required"] == "yes"
    assert fields["likelihood"]["type"] == "integer, ≥ 1, ≤ 5"
    assert fields["business_date"]["required"] == ""
    assert fields["business_date"]["description"].startswith("业务日期")
    report = document["paths"]["/hazards"]["post"]
    anonymous = docs.body_fields(report, document["components"]["schemas"])
    assert {
        "name": "anonymous",
        "type": "boolean",
        "required": "",
        "default": "`false`",
    }.items() <= next(f for f in anonymous if f["name"] == "anonymous").items()


def test_every_setting_is_described_and_listed_by_its_variable() -> None:
    page = (DOCS / docs.SETTINGS_PAGE).read_text("utf-8")
    for name, info in Settings.model_fields.items():
        assert info.description, f"Settings.{name} needs a description"
        assert f"| `{name.upper()}` |" in page
    assert '| `TIMEZONE` | str | `"Asia/Shanghai"` |' in page
    assert "| `JOB_INTERVAL_S` | float | `300` |" in page
    assert "`.env`" in page


def test_the_check_reports_a_stale_page(tmp_path: Path, expected: dict[str, str]) -> None:
    assert docs.write(tmp_path, expected) == [docs.API_PAGE, docs.SETTINGS_PAGE]
    assert docs.stale(tmp_path, expected) == []
    (tmp_path / docs.SETTINGS_PAGE).write_text("# Settings\n", "utf-8")

    assert docs.stale(tmp_path, expected) == [docs.SETTINGS_PAGE]
