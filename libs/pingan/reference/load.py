"""Read the shipped reference areas and lay a configured file of extra or renamed ones over
them."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field

from pingan.reference.areas import District, Township, Village
from pingan.reference.names import normalise


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VillageEntry(_Strict):
    name: str = Field(min_length=1)
    code: str | None = None
    aliases: list[str] = Field(default_factory=list)


class TownshipEntry(_Strict):
    name: str = Field(min_length=1)
    code: str | None = None
    aliases: list[str] = Field(default_factory=list)
    villages: list[VillageEntry] = Field(default_factory=list)


class DistrictEntry(_Strict):
    name: str
    code: str


class AreasDocument(_Strict):
    """The shipped file and a configured overlay share this shape. In an overlay, an entry
    that matches a known area (by code, else by any of its names) extends it: a different name
    renames it and the old name stays an alias; any other entry is a new area."""

    source: str | None = None
    district: DistrictEntry | None = None
    townships: list[TownshipEntry] = Field(default_factory=list)


E = TypeVar("E", TownshipEntry, VillageEntry)


def _find(entries: list[E], new: E) -> E | None:
    if new.code is not None:
        for entry in entries:
            if entry.code == new.code:
                return entry
    keys = {normalise(n) for n in (new.name, *new.aliases)}
    return next((e for e in entries if keys & _keys(e)), None)


def _keys(entry: TownshipEntry | VillageEntry) -> set[str]:
    return {normalise(n) for n in (entry.name, *entry.aliases)}


def _merge_names(old: TownshipEntry | VillageEntry, new: TownshipEntry | VillageEntry) -> None:
    if new.name != old.name:
        old.aliases.append(old.name)
        old.name = new.name
    old.code = new.code or old.code
    old.aliases += [a for a in new.aliases if a not in old.aliases and a != old.name]


def overlay(base: AreasDocument, extra: AreasDocument) -> AreasDocument:
    merged = base.model_copy(deep=True)
    for town in extra.townships:
        known = _find(merged.townships, town)
        if known is None:
            merged.townships.append(town.model_copy(deep=True))
            continue
        _merge_names(known, town)
        for village in town.villages:
            found = _find(known.villages, village)
            if found is None:
                known.villages.append(village.model_copy(deep=True))
            else:
                _merge_names(found, village)
    return merged


def read_document(path: Path) -> AreasDocument:
    text = path.read_text(encoding="utf-8")
    raw: Any = yaml.safe_load(text) if path.suffix in {".yaml", ".yml"} else json.loads(text)
    return AreasDocument.model_validate(raw)


def shipped() -> AreasDocument:
    text = files("pingan.reference").joinpath("qinzhou.json").read_text(encoding="utf-8")
    return AreasDocument.model_validate_json(text)


def to_district(doc: AreasDocument) -> District:
    if doc.district is None:
        raise ValueError("the areas document names no district")
    return District(
        doc.district.name,
        doc.district.code,
        (
            Township(
                t.name,
                t.code,
                tuple(t.aliases),
                tuple(Village(v.name, v.code, tuple(v.aliases)) for v in t.villages),
            )
            for t in doc.townships
        ),
    )


@lru_cache(maxsize=8)
def load_district(areas_file: Path | None = None) -> District:
    """The shipped areas, with `areas_file` (JSON or YAML) laid over them."""
    doc = shipped()
    if areas_file is not None:
        doc = overlay(doc, read_document(areas_file))
    return to_district(doc)
