"""Texts a person reads, Chinese first: language negotiation and message catalogues."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

Language = Literal["zh-CN", "en"]
DEFAULT: Language = "zh-CN"

_RANGE = re.compile(r"^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)$")
_Q = re.compile(r"^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$", re.IGNORECASE)


def negotiate(accept_language: str | None) -> Language:
    """The language to answer in (RFC 9110 §12.5.4, basic filtering): the supported language
    the client ranks highest by q-value, earlier on ties; Chinese when nothing matches."""
    best: tuple[float, int, Language] | None = None
    for order, item in enumerate((accept_language or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        tag = parts[0]
        if not _RANGE.match(tag):
            continue
        q = 1.0
        for param in parts[1:]:
            if _Q.match(param.replace(" ", "")):
                q = float(param.replace(" ", "")[2:])
            elif param.lower().startswith("q="):
                q = -1.0
        language = _supported(tag)
        if language is None or q <= 0:
            continue
        if best is None or (q, -order) > (best[0], -best[1]):
            best = (q, order, language)
    return DEFAULT if best is None else best[2]


def _supported(tag: str) -> Language | None:
    primary = tag.lower().split("-")[0]
    if tag == "*" or primary == "zh":
        return "zh-CN" if tag != "*" else DEFAULT
    if primary == "en":
        return "en"
    return None


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def __call__(self, language: Language) -> str:
        return self.zh if language == "zh-CN" else self.en


@dataclass(frozen=True)
class ProblemText:
    title: Text
    detail: Text | None = None


@dataclass(frozen=True)
class Catalogue:
    """A service's texts, laid over the platform's.

    `problems`: per problem slug, a title and a detail template (placeholders filled from the
    problem's parameters). `terms`: Chinese for an English word a detail carries (an entity,
    a state, an action). `details`: Chinese for an English detail a model or a route gives,
    `{name}` standing for any run of text.
    """

    problems: Mapping[str, ProblemText] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)

    def over(self, base: Catalogue) -> Catalogue:
        return Catalogue(
            problems={**base.problems, **self.problems},
            terms={**base.terms, **self.terms},
            details={**base.details, **self.details},
        )

    def term(self, word: object, language: Language) -> str:
        text = str(word)
        return self.terms.get(text, text) if language == "zh-CN" else text

    def detail(self, english: str, language: Language) -> str:
        if language != "zh-CN":
            return english
        for pattern, (regex, names) in _compiled(tuple(self.details)).items():
            found = regex.fullmatch(english)
            if found:
                values = {n: self.term(found.group(n), language) for n in names}
                return self.details[pattern].format_map(values)
        return english


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> dict[str, tuple[re.Pattern[str], list[str]]]:
    out: dict[str, tuple[re.Pattern[str], list[str]]] = {}
    for pattern in patterns:
        regex, names = "", []
        for literal, name, _, _ in string.Formatter().parse(pattern):
            regex += re.escape(literal)
            if name:
                regex += f"(?P<{name}>.+?)"
                names.append(name)
        out[pattern] = (re.compile(regex), names)
    return out


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, Any]) -> str:
    """The template with the values it names; a missing one stays as written."""
    return string.Formatter().vformat(template, (), _Keep(values))
