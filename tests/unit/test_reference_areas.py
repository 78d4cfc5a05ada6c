"""The district's reference areas: shipped data, spellings, overlays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pingan.reference import UnknownArea, load_district, normalise


def test_the_shipped_data_holds_qinzhou_from_the_statistics_bureau() -> None:
    district = load_district()
    assert (district.name, district.code) == ("秦州区", "620502")
    assert len(district.townships) == 23
    coded = [v for t in district.townships for v in t.villages if v.code]
    assert len(coded) == 467
    assert district.township("玉泉镇").code == "620502100"
    assert district.village("玉泉镇", "莲亭居民委员会").code == "620502100024"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("玉泉", "玉泉镇"),
        ("玉泉鎮", "玉泉镇"),
        (" 玉泉 镇 ", "玉泉镇"),
        ("大城", "大城街道"),
        ("藉口", "藉口镇"),
    ],
)
def test_a_township_is_found_by_its_usual_spellings(written: str, canonical: str) -> None:
    assert load_district().township(written).name == canonical


@pytest.mark.parametrize(
    "written",
    ["莲亭居民委员会", "莲亭村", "蓮亭村", "莲亭社区", "莲亭居委会", "莲亭", "莲亭\u3000村"],
)
def test_the_former_urban_village_answers_to_its_old_and_short_names(written: str) -> None:
    assert load_district().village("玉泉镇", written).name == "莲亭居民委员会"


def test_the_other_named_urban_villages_are_communities_or_a_configured_village() -> None:
    district = load_district()
    assert district.village("玉泉镇", "閆新村").name == "闫新居民委员会"
    assert district.village("玉泉镇", "天水郡村").name == "天水郡居民委员会"
    assert district.village("玉泉镇", "东方红村").name == "东方红居民委员会"
    jinjiazhuang = district.village("玉泉镇", "金家庄村")
    assert (jinjiazhuang.name, jinjiazhuang.code) == ("金家庄村", None)


def test_an_area_alone_is_a_township_or_the_one_village_of_its_name() -> None:
    district = load_district()
    assert district.area("玉泉") == "玉泉镇"
    assert district.area("莲亭村") == "莲亭居民委员会"
    assert district.area("玉泉镇 莲亭社区") == "莲亭居民委员会"
    with pytest.raises(UnknownArea) as ambiguous:
        district.area("莲亭社区")
    assert set(ambiguous.value.matches) == {"玉泉镇 莲亭居民委员会", "天水郡街道 莲亭社区居委会"}


def test_normalising_folds_width_space_and_script() -> None:
    assert normalise(" 蓮亭\u3000村 ") == normalise("莲亭村") == "莲亭村"


def test_an_unknown_area_comes_with_close_matches() -> None:
    district = load_district()
    with pytest.raises(UnknownArea) as township:
        district.township("玉全镇")
    assert township.value.matches[0] == "玉泉镇"
    with pytest.raises(UnknownArea) as village:
        district.village("太京镇", "莲亭村")
    assert village.value.matches == ("玉泉镇 莲亭居民委员会",)


def test_a_configured_file_adds_renames_and_aliases_areas(tmp_path: Path) -> None:
    extra = tmp_path / "areas.json"
    extra.write_text(
        json.dumps(
            {
                "townships": [
                    {
                        "name": "太京镇",
                        "aliases": ["太京乡"],
                        "villages": [
                            {"name": "新窝驼社区", "code": "620502101001"},
                            {"name": "试点新村", "aliases": ["试点村"]},
                        ],
                    },
                    {"name": "新城街道", "villages": [{"name": "新城社区"}]},
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    district = load_district(extra)
    renamed = district.village("太京镇", "新窝驼社区")
    first_of_taijing = load_district().township("太京镇").villages[0].name
    assert district.village("太京乡", first_of_taijing) == renamed
    assert renamed.code == "620502101001"
    assert district.village("太京镇", "试点村").name == "试点新村"
    assert district.village("新城街道", "新城社区").code is None
    assert len(district.townships) == 24


def test_a_configured_file_may_be_yaml(tmp_path: Path) -> None:
    extra = tmp_path / "areas.yaml"
    extra.write_text("townships:\n  - name: 玉泉镇\n    aliases: [玉泉乡]\n", encoding="utf-8")
    assert load_district(extra).township("玉泉乡").name == "玉泉镇"
