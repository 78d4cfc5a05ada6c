"""How a written area name becomes the key it is looked up by, and its usual short forms."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")

# Longest first: a name is cut at the first suffix that ends it.
_TOWNSHIP_SUFFIXES = {
    "街道办事处": ("街道", "街道办"),
    "街道": ("街道办", "街道办事处"),
    "镇": (),
    "乡": (),
}
_VILLAGE_SUFFIXES = {
    "社区居民委员会": ("社区", "居委会", "社区居委会", "居民委员会"),
    "社区居委会": ("社区", "居委会", "居民委员会", "社区居民委员会"),
    # An urban village that became a community keeps answering to its old name, XX村.
    "居民委员会": ("社区", "居委会", "社区居委会", "村"),
    "居委会": ("社区", "居民委员会", "社区居委会", "村"),
    "村民委员会": ("村", "村委会"),
    "村委会": ("村", "村民委员会"),
    "社区": ("居委会", "居民委员会"),
    "村": ("村委会", "村民委员会"),
}


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(name: str) -> str:
    """The key of a name: full-width forms folded (NFKC), whitespace gone, simplified script.

    Keys are only compared, never shown: OpenCC turns 藉口 into 借口, which is fine as long as
    the canonical name and what a user types both pass through here.
    """
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    return str(_to_simplified().convert(folded))


def _short_forms(name: str, suffixes: dict[str, tuple[str, ...]]) -> list[str]:
    for suffix, others in suffixes.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return [stem, *(stem + other for other in others)]
    return []


def township_short_forms(name: str) -> list[str]:
    """玉泉镇 -> 玉泉; 大城街道 -> 大城, 大城街道办."""
    return _short_forms(name, _TOWNSHIP_SUFFIXES)


def village_short_forms(name: str) -> list[str]:
    """莲亭居民委员会 -> 莲亭, 莲亭社区, 莲亭居委会; 寨子村民委员会 -> 寨子, 寨子村."""
    return _short_forms(name, _VILLAGE_SUFFIXES)
