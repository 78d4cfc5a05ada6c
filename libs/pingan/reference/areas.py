"""The district's townships and villages: canonical names, codes, and every spelling that
names them."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from pingan.reference.names import normalise, township_short_forms, village_short_forms


@dataclass(frozen=True)
class Village:
    name: str
    code: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Township:
    name: str
    code: str | None
    aliases: tuple[str, ...] = ()
    villages: tuple[Village, ...] = ()


class UnknownArea(LookupError):
    def __init__(
        self, kind: str, name: str, matches: Iterable[str], township: str | None = None
    ) -> None:
        self.kind = kind
        self.name = name
        self.matches = tuple(matches)
        self.township = township
        super().__init__(f"unknown {kind} {name!r}")


T = TypeVar("T", "Township", "Village")


class _Index(Generic[T]):
    """Normalised spelling -> area. A name or configured alias wins over a short form; a short
    form that two areas share names neither."""

    def __init__(
        self,
        areas: Iterable[T],
        names: Callable[[T], Iterable[str]],
        short_forms: Callable[[str], list[str]],
        canonical: Callable[[T], str],
    ) -> None:
        self._canonical: Callable[[T], str] = canonical
        self._exact: dict[str, T] = {}
        short: dict[str, list[T]] = {}
        for area in areas:
            for name in names(area):
                self._exact.setdefault(normalise(name), area)
                for form in short_forms(name):
                    short.setdefault(normalise(form), []).append(area)
        self._short: dict[str, T] = {
            key: found[0]
            for key, found in short.items()
            if key not in self._exact and len({id(a) for a in found}) == 1
        }

    def get(self, name: str) -> T | None:
        key = normalise(name)
        return self._exact.get(key) or self._short.get(key)

    def close_matches(self, name: str, n: int = 5) -> list[str]:
        key = normalise(name)
        spellings = {**self._short, **self._exact}
        found = [spellings[k] for k in difflib.get_close_matches(key, spellings, n * 2, 0.5)]
        found += [area for k, area in spellings.items() if key and (key in k or k in key)]
        out: list[str] = []
        for area in found:
            if self._canonical(area) not in out:
                out.append(self._canonical(area))
        return out[:n]


class District:
    def __init__(self, name: str, code: str, townships: Iterable[Township]) -> None:
        self.name = name
        self.code = code
        self.townships = tuple(townships)
        self._townships = _Index(
            self.townships, lambda t: (t.name, *t.aliases), township_short_forms, _name
        )
        self._villages = {
            t.name: _Index(t.villages, lambda v: (v.name, *v.aliases), village_short_forms, _name)
            for t in self.townships
        }

    def township(self, name: str) -> Township:
        found = self._townships.get(name)
        if found is None:
            raise UnknownArea("township", name, self._townships.close_matches(name))
        return found

    def village(self, township: str, name: str) -> Village:
        """The village or community `name` of the township (any spelling of either)."""
        town = self.township(township)
        villages = self._villages[town.name]
        found = villages.get(name)
        if found is None:
            matches = villages.close_matches(name) or self._elsewhere(town.name, name)
            raise UnknownArea("village", name, matches, town.name)
        return found

    def area(self, name: str) -> str:
        """The canonical name of a township, or of a village or community named alone (when
        one township has it) or as "township village"; a township wins over a village."""
        town = self._townships.get(name)
        if town is not None:
            return town.name
        parts = name.split()
        if len(parts) == 2 and self._townships.get(parts[0]) is not None:
            return self.village(parts[0], parts[1]).name
        found = {
            (township, village.name)
            for township, index in self._villages.items()
            if (village := index.get(name)) is not None
        }
        if len(found) == 1:
            return found.pop()[1]
        matches = [f"{t} {v}" for t, v in sorted(found)] or self._townships.close_matches(name)
        raise UnknownArea("area", name, matches)

    def _elsewhere(self, township: str, name: str) -> list[str]:
        """The same name in other townships, as "township village": a wrong township."""
        return [
            f"{other} {found.name}"
            for other, index in self._villages.items()
            if other != township and (found := index.get(name)) is not None
        ]


def _name(area: Township | Village) -> str:
    return area.name
