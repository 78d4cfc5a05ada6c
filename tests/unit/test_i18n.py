"""Language negotiation and catalogue lookups for the texts a person reads."""

from __future__ import annotations

import pytest

from pingan.api.i18n import Catalogue, fill, negotiate


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh-CN"),
        ("", "zh-CN"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-TW", "zh-CN"),
        ("fr, de;q=0.5", "zh-CN"),
        ("zh;q=0.4, en;q=0.8", "en"),
        ("en;q=0.4, zh-CN;q=0.8", "zh-CN"),
        ("en;q=0, *", "zh-CN"),
        ("en;q=1.000, zh;q=1", "en"),
        ("en;q=banana, zh;q=0.1", "zh-CN"),
        ("*", "zh-CN"),
        ("fr, en;q=0.1", "en"),
    ],
)
def test_the_answer_language_follows_the_q_values(header: str | None, language: str) -> None:
    assert negotiate(header) == language


def test_a_detail_is_translated_through_its_template_and_terms() -> None:
    catalogue = Catalogue(
        terms={"major": "重大"}, details={"the accident is already graded {g}": "该事故已定为{g}"}
    )
    assert catalogue.detail("the accident is already graded major", "zh-CN") == "该事故已定为重大"
    assert catalogue.detail("something else", "zh-CN") == "something else"
    assert catalogue.detail("the accident is already graded major", "en").endswith("major")


def test_a_missing_value_leaves_its_placeholder() -> None:
    assert fill("{a} and {b}", {"a": 1}) == "1 and {b}"
