"""What the demo sends: stories of steps, drawn whole before anything is sent."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: a named unit's later commands, counted by what they are
AFTERCARE = {"follow-ups": "follow_ups", "upgrades": "upgrades", "reinspections": "reinspections"}


@dataclass(frozen=True)
class Ref:
    """The id another story's first command answered, filled in when it is sent."""

    name: str


@dataclass(frozen=True)
class Step:
    """One command: `{id}` in the path is the story's own record."""

    path: str
    body: dict[str, Any] = field(default_factory=dict)
    method: str = "POST"
    verifier: bool = False


@dataclass
class Story:
    """A record and what happens to it, in order; `name` keeps its id for later stories."""

    kind: str
    steps: list[Step]
    phase: int
    name: str | None = None
    #: unique in the system (an area unit, a key-area name): kept as it is under --add
    unique: bool = False


@dataclass
class Plan:
    stories: list[Story] = field(default_factory=list)
    #: units whose titles the reactions must have revoked before the demo is done
    revoked_units: list[str] = field(default_factory=list)
    #: stars sent once the titles are revoked, to families the revocations bar (422)
    barred: list[tuple[str, Step]] = field(default_factory=list)

    def add(self, story: Story) -> Story:
        self.stories.append(story)
        return story

    def counts(self) -> dict[str, int]:
        """Records per kind: a round's findings are hazards, a naming is a title."""
        counts = Counter(story.kind for story in self.stories)
        for story in self.stories:
            for step in story.steps:
                if step.path.endswith("/findings"):
                    counts["hazards"] += 1
                elif step.path.endswith("/naming"):
                    counts["titles"] += 1
                elif step.path.endswith("/stars"):
                    counts["stars"] += 1
                elif step.path.endswith("/withdrawal"):
                    counts["star_withdrawals"] += 1
                elif step.path.rsplit("/", 1)[-1] in AFTERCARE:
                    counts[AFTERCARE[step.path.rsplit("/", 1)[-1]]] += 1
        counts["revocations_caused"] = len(self.revoked_units)
        counts["stars_barred"] = len(self.barred)
        return dict(sorted(counts.items()))

    def requests(self) -> int:
        return sum(len(story.steps) for story in self.stories) + len(self.barred)

    def digest(self) -> str:
        """A fingerprint of every command the plan sends, for telling two plans apart."""
        sent = [
            [story.kind, story.phase, [[s.method, s.path, s.body, s.verifier] for s in story.steps]]
            for story in self.stories
        ]
        sent.append([[ref, s.path, s.body] for ref, s in self.barred])
        text = json.dumps(sent, ensure_ascii=False, sort_keys=True, default=_plain)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plain(value: object) -> str:
    if isinstance(value, Ref):
        return f"ref:{value.name}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def resolve(value: Any, refs: dict[str, str]) -> Any:
    """The value with every `Ref` replaced by the id it names, dates as ISO text."""
    if isinstance(value, Ref):
        return refs[value.name]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: resolve(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, refs) for v in value]
    return value
